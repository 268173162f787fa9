import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { parsePolicy, serializePolicy } from '../policy/index.js';
import type { PolicyDocument } from '../policy/types.js';
import type { BucketPolicyPort } from '../reconcile/ports.js';
import { clientOf } from './clientSource.js';
import { NotFoundError } from './errors.js';
import { callAws } from './toAdapterError.js';
import type { ClientSource } from './types.js';

export type S3BucketPolicyAdapterOptions = ClientSource<Pick<S3Client, 'send'>>;

/**
 * BucketPolicyPort over GetBucketPolicy / PutBucketPolicy / DeleteBucketPolicy (reference §2).
 * Destinations may live in other accounts and regions: give `clientFor`, e.g.
 * `{ clientFor: destinationClients(factory, facts) }`.
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
    try {
      const output = await callAws(`GetBucketPolicy ${bucket}`, () =>
        client.send(new GetBucketPolicyCommand({ Bucket: bucket })),
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
    await callAws(`PutBucketPolicy ${bucket}`, () =>
      client.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: serializePolicy(document) })),
    );
  }

  async delete(bucket: string): Promise<void> {
    const client = await clientOf(this.options, bucket);
    await callAws(`DeleteBucketPolicy ${bucket}`, () =>
      client.send(new DeleteBucketPolicyCommand({ Bucket: bucket })),
    );
  }
}
