import type { KeyMetadata, KMSClient } from '@aws-sdk/client-kms';
import type { KeyFacts, ObservedPolicy } from '../reconcile/types.js';
import { AccessDeniedError, NotFoundError } from './errors.js';
import { KmsKeyPolicyAdapter } from './KmsKeyPolicyAdapter.js';
import { loadSdk } from './loadSdk.js';
import { observePolicy, unreadable } from './observePolicy.js';
import { kmsKeyScope } from './scopes.js';
import { callAws } from './toAdapterError.js';

export interface ReadKeyFactsOptions {
  /** A KMS client in the key's region: with the key account's credentials when `readPolicy`. */
  client: Pick<KMSClient, 'send'>;
  /** False when we hold no credentials of the key's account: GetKeyPolicy does not work across accounts. */
  readPolicy: boolean;
  /** Whether this service may change the key policy (an account it manages). */
  writable: boolean;
}

/**
 * What a reconcile needs to know about one KMS key: DescribeKey and GetKeyPolicy, in parallel.
 * NotFoundException means the key does not exist; AccessDenied leaves the metadata unknown or the
 * policy `unreadable`. AWS managed keys are never writable (their policies cannot be changed).
 */
export async function readKeyFacts(keyArn: string, options: ReadKeyFactsOptions): Promise<KeyFacts> {
  const [metadata, policy] = await Promise.all([
    describeKey(options.client, keyArn),
    options.readPolicy
      ? observePolicy(() => new KmsKeyPolicyAdapter({ client: options.client }).get(keyArn))
      : Promise.resolve(
          unreadable('GetKeyPolicy does not work across accounts and no role could be assumed'),
        ),
  ]);
  if (metadata === 'missing' || policy.state === 'holder-missing') {
    return { keyArn, exists: false, policy: { state: 'none' }, writable: false };
  }
  const scope = kmsKeyScope(metadata?.Arn ?? keyArn);
  const facts: KeyFacts = {
    keyArn,
    exists: true,
    policy: policy as ObservedPolicy,
    writable: options.writable && metadata?.KeyManager !== 'AWS',
  };
  const fields: Partial<KeyFacts> = {
    region: scope.region,
    account: metadata?.AWSAccountId ?? scope.account,
    keyState: metadata?.KeyState,
    keyManager: metadata?.KeyManager,
    keySpec: metadata?.KeySpec ?? metadata?.CustomerMasterKeySpec,
    keyUsage: metadata?.KeyUsage,
  };
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined) Object.assign(facts, { [name]: value });
  }
  return facts;
}

/** KeyMetadata; `missing` for NotFoundException; `undefined` when we may not describe it. */
async function describeKey(
  client: Pick<KMSClient, 'send'>,
  keyArn: string,
): Promise<KeyMetadata | 'missing' | undefined> {
  const { DescribeKeyCommand } = await loadSdk('kms');
  try {
    const output = await callAws(`DescribeKey ${keyArn}`, () =>
      client.send(new DescribeKeyCommand({ KeyId: keyArn })),
    );
    return output.KeyMetadata;
  } catch (error) {
    if (error instanceof NotFoundError) return 'missing';
    if (error instanceof AccessDeniedError) return undefined;
    throw error;
  }
}
