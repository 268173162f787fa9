import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  type KeyMetadata,
  ListAliasesCommand,
} from '@aws-sdk/client-kms';
import {
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  HeadBucketCommand,
  ListBucketsCommand,
} from '@aws-sdk/client-s3';
import { MOTO_DEFAULT_ACCOUNT_ID } from '../constants.js';
import type { KnownAccounts } from '../gateway/KnownAccounts.js';
import { fromMotoPolicy } from '../gateway/motoPolicyEnvelope.js';
import type { MotoClients } from './MotoClients.js';
import type { BucketFacts, KeyFacts } from './types.js';

const errorName = (error: unknown) => (error as { name?: string }).name;

/** GetBucketLocation's answer as a region: empty is us-east-1, `EU` eu-west-1 (docs/aws-facts.md §2). */
function regionOf(constraint: string | undefined): string {
  if (!constraint) return 'us-east-1';
  return constraint === 'EU' ? 'eu-west-1' : constraint;
}

/**
 * Reads, from moto and once per delivery run, what deciding a delivery needs: a bucket's owner and
 * region, its policy, and a key's state, manager, region and policy. Destinations and keys shared by
 * many sources are read once.
 */
export class DeliveryFactsReader {
  private readonly buckets = new Map<string, Promise<BucketFacts | undefined>>();
  private readonly policies = new Map<string, Promise<string | undefined>>();
  private readonly keys = new Map<string, Promise<KeyFacts | undefined>>();

  constructor(
    private readonly clients: MotoClients,
    private readonly accounts: KnownAccounts,
  ) {}

  /** Undefined when the bucket does not exist. */
  bucket(name: string): Promise<BucketFacts | undefined> {
    return memo(this.buckets, name, () => this.readBucket(name));
  }

  /** The bucket policy text; undefined when it has none. */
  bucketPolicy(name: string): Promise<string | undefined> {
    return memo(this.policies, name, async () => {
      try {
        const { Policy } = await this.clients
          .s3(MOTO_DEFAULT_ACCOUNT_ID)
          .send(new GetBucketPolicyCommand({ Bucket: name }));
        // Read from moto directly: unwrap what the gateway stored (gateway/motoPolicyEnvelope.ts).
        return Policy === undefined ? undefined : fromMotoPolicy(Policy);
      } catch (error) {
        if (errorName(error) === 'NoSuchBucketPolicy') return undefined;
        throw error;
      }
    });
  }

  /** `keyId` as configured: an ARN, or an id/alias resolved in the fallback account and region. Undefined: no such key. */
  key(keyId: string, fallback: { account: string; region: string }): Promise<KeyFacts | undefined> {
    const [, , , region = fallback.region, account = fallback.account] = keyId.startsWith('arn:')
      ? keyId.split(':')
      : [];
    return memo(this.keys, `${account}/${region}/${keyId}`, () => this.readKey(keyId, account, region));
  }

  private async readBucket(name: string): Promise<BucketFacts | undefined> {
    const any = this.clients.s3(MOTO_DEFAULT_ACCOUNT_ID);
    try {
      await any.send(new HeadBucketCommand({ Bucket: name }));
    } catch (error) {
      if (errorName(error) === 'NotFound' || errorName(error) === 'NoSuchBucket') return undefined;
      throw error;
    }
    const [owner, location] = await Promise.all([
      this.ownerOf(name),
      any.send(new GetBucketLocationCommand({ Bucket: name })),
    ]);
    return { name, owner, region: regionOf(location.LocationConstraint) };
  }

  /** moto has no call that names a bucket's owner: ask each known account's ListBuckets. */
  private async ownerOf(name: string): Promise<string | undefined> {
    for (const account of this.accounts.list()) {
      const { Buckets } = await this.clients.s3(account).send(new ListBucketsCommand({ Prefix: name }));
      if (Buckets?.some((bucket) => bucket.Name === name)) return account;
    }
    return undefined;
  }

  private async readKey(keyId: string, account: string, region: string): Promise<KeyFacts | undefined> {
    const kms = this.clients.kms(account, region);
    let metadata: KeyMetadata | undefined;
    try {
      ({ KeyMetadata: metadata } = await kms.send(new DescribeKeyCommand({ KeyId: keyId })));
    } catch (error) {
      if (errorName(error) === 'NotFoundException') return undefined;
      throw error;
    }
    if (!metadata?.Arn || !metadata.KeyId) return undefined;
    const [{ Policy }, { Aliases }] = await Promise.all([
      kms.send(new GetKeyPolicyCommand({ KeyId: metadata.KeyId, PolicyName: 'default' })),
      kms.send(new ListAliasesCommand({ KeyId: metadata.KeyId })),
    ]);
    // moto creates `alias/aws/*` keys on first use but calls them CUSTOMER managed: the alias tells.
    const awsAlias = Aliases?.find((alias) => alias.AliasName?.startsWith('alias/aws/'))?.AliasName;
    return {
      arn: metadata.Arn,
      account: metadata.AWSAccountId ?? account,
      region: metadata.Arn.split(':')[3] ?? region,
      state: metadata.KeyState ?? 'Unknown',
      awsManagedAlias: metadata.KeyManager === 'AWS' ? (awsAlias ?? 'AWS managed') : awsAlias,
      // Read from moto directly: unwrap what the gateway stored (gateway/motoPolicyEnvelope.ts).
      policy: Policy === undefined ? undefined : fromMotoPolicy(Policy),
    };
  }
}

function memo<T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (!value) {
    value = read();
    cache.set(key, value);
  }
  return value;
}
