import type { KMSClient } from '@aws-sdk/client-kms';
import { parsePolicy, serializePolicy } from '../../core/policy/parsePolicy.js';
import type { PolicyDocument } from '../../core/policy/types.js';
import type { KeyPolicyPort } from '../../core/reconcile/ports.js';
import { clientOf } from './clientSource.js';
import { AWS_DEFAULTS } from './constants.js';
import { AwsAdapterError } from './errors.js';
import { loadSdk } from './loadSdk.js';
import { callAws } from './toAdapterError.js';
import type { ClientSource } from './types.js';

export type KmsKeyPolicyAdapterOptions = ClientSource<Pick<KMSClient, 'send'>> & {
  /** Always `default` on AWS (docs/aws-facts.md §3). */
  policyName?: string;
};

/**
 * KeyPolicyPort over GetKeyPolicy / PutKeyPolicy. KeyId is the full key ARN (works cross-account);
 * GetKeyPolicy and PutKeyPolicy need credentials of the key's account, hence usually
 * `{ clientFor: (arn) => factory.kmsForKey(arn) }`. It never sets BypassPolicyLockoutSafetyCheck: a policy
 * that would lock the caller out is refused by KMS (MalformedPolicyDocumentException), as it should be.
 * The KMS package is loaded on first use (lib/adapters/aws/loadSdk): only SSE-KMS configurations need it.
 */
export class KmsKeyPolicyAdapter implements KeyPolicyPort {
  private readonly options: KmsKeyPolicyAdapterOptions;
  private readonly policyName: string;

  constructor(options: KmsKeyPolicyAdapterOptions) {
    this.options = options;
    this.policyName = options.policyName ?? AWS_DEFAULTS.keyPolicyName;
  }

  /** @throws NotFoundError (`NotFoundException`) for a missing key; MalformedPolicyError for a bad policy. */
  async get(keyArn: string): Promise<PolicyDocument> {
    const client = await clientOf(this.options, keyArn);
    const { GetKeyPolicyCommand } = await loadSdk('kms');
    const output = await callAws(`GetKeyPolicy ${keyArn}`, () =>
      client.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: this.policyName })),
    );
    if (!output.Policy) {
      throw new AwsAdapterError({
        code: 'EmptyKeyPolicy',
        message: `GetKeyPolicy ${keyArn}: no policy returned`,
      });
    }
    return parsePolicy(output.Policy);
  }

  async put(keyArn: string, document: PolicyDocument): Promise<void> {
    const client = await clientOf(this.options, keyArn);
    const { PutKeyPolicyCommand } = await loadSdk('kms');
    await callAws(`PutKeyPolicy ${keyArn}`, () =>
      client.send(
        new PutKeyPolicyCommand({
          KeyId: keyArn,
          PolicyName: this.policyName,
          Policy: serializePolicy(document),
        }),
      ),
    );
  }
}
