import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { parsePolicy, serializePolicy } from '../../core/policy/parsePolicy.js';
import type { PolicyDocument } from '../../core/policy/types.js';
import type { BucketPolicyPort } from '../../core/reconcile/ports.js';
import { clientOf } from './clientSource.js';
import { NotFoundError } from './errors.js';
import { bucketOwnerInput, type ExpectedOwner } from './expectedOwner.js';
import { callAws } from './toAdapterError.js';
import type { ClientSource } from './types.js';

export type S3BucketPolicyAdapterOptions = ClientSource<Pick<S3Client, 'send'>> & {
  /**
   * Sent as `ExpectedBucketOwner` on every call, e.g. `destinationOwners(facts)`: S3 answers 403 AccessDenied
   * when another account owns the bucket, so no policy is read from or written to a bucket that changed hands.
   */
  expectedBucketOwner?: ExpectedOwner;
};

/**
 * BucketPolicyPort over GetBucketPolicy / PutBucketPolicy / DeleteBucketPolicy (docs/aws-facts.md §2).
 * Destinations may live in other accounts and regions: give `clientFor`, e.g.
 * `{ clientFor: destinationClients(factory, facts), expectedBucketOwner: destinationOwners(facts) }`.
 */
export class S3BucketPolicyAdapter implements BucketPolicyPort {
  private readonly options: S3BucketPolicyAdapterOptions;

  constructor(options: S3BucketPolicyAdapterOptions) {
    this.options = options;
  }

  /**
   * The parsed policy, or `undefined` when the bucket has none (NoSuchBucketPolicy).
   * @throws MalformedPolicyError (lib/policy) when S3 returns text that is not a policy document.
   */
  async get(bucket: string): Promise<PolicyDocument | undefined> {
    const client = await clientOf(this.options, bucket);
    const owner = await bucketOwnerInput(bucket, this.options.expectedBucketOwner);
    try {
      const output = await callAws(`GetBucketPolicy ${bucket}`, () =>
        client.send(new GetBucketPolicyCommand(owner)),
      );
      return output.Policy ? parsePolicy(output.Policy) : undefined;
    } catch (error) {
      if (error instanceof NotFoundError && error.resource === 'bucket-policy') return undefined;
      throw error;
    }
  }

  /** Replaces the whole policy with `document`, sent compact as lib/policy serializes it. */
  async put(bucket: string, document: PolicyDocument): Promise<void> {
    const client = await clientOf(this.options, bucket);
    const owner = await bucketOwnerInput(bucket, this.options.expectedBucketOwner);
    await callAws(`PutBucketPolicy ${bucket}`, () =>
      client.send(new PutBucketPolicyCommand({ ...owner, Policy: serializePolicy(document) })),
    );
  }

  async delete(bucket: string): Promise<void> {
    const client = await clientOf(this.options, bucket);
    const owner = await bucketOwnerInput(bucket, this.options.expectedBucketOwner);
    await callAws(`DeleteBucketPolicy ${bucket}`, () => client.send(new DeleteBucketPolicyCommand(owner)));
  }
}
