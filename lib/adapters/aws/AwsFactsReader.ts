import type { BucketFacts, DestinationFacts, KeyFacts } from '../../core/reconcile/types.js';
import { matchesBucketPatterns } from './bucketPatterns.js';
import type { ClientFactory } from './ClientFactory.js';
import { NotFoundError } from './errors.js';
import { observePolicy } from './observePolicy.js';
import { RunCache } from './RunCache.js';
import { type BucketLocation, readBucketLocation } from './readBucketLocation.js';
import { readKeyFacts } from './readKeyFacts.js';
import { S3BucketPolicyAdapter } from './S3BucketPolicyAdapter.js';
import { kmsKeyScope } from './scopes.js';
import { type DestinationRef, type FactsRequest, WritableAccounts } from './types.js';

/** The parts of the client factory the reader uses. */
export type FactsClients = Pick<ClientFactory, 'homeAccount' | 'canReach' | 's3' | 'kms'>;

export interface AwsFactsReaderOptions {
  factory: FactsClients;
  /** Share one per run between readers to read each destination and key once (default: a new one). */
  cache?: RunCache;
  /** Whose policies this service may change (default: every account it can assume into). */
  writable?: WritableAccounts;
  /**
   * The destination buckets whose policy the service may write (`S3IR_DESTINATION_BUCKETS`: names or
   * `prefix*`); any other destination is `writable: false`. Undefined: no restriction.
   */
  destinationBuckets?: readonly string[];
}

/**
 * Gathers the {@link BucketFacts} the planner needs for one source bucket: its region, and for each
 * destination bucket and KMS key existence, region, policy, proven owner (ExpectedBucketOwner), the key's
 * `s3ir:inventory-key` tag, and whether we may change it. Every S3 call carries ExpectedBucketOwner.
 * Everything is read through the per-run cache, so a destination or key shared by many sources costs its
 * calls once.
 * @example
 * const reader = new AwsFactsReader({ factory, cache });
 * const facts = await reader.read({ bucket: 'src', region, destinations: ['dest'], keys: [keyArn] });
 */
export class AwsFactsReader {
  private readonly factory: FactsClients;
  private readonly cache: RunCache;
  private readonly writable: WritableAccounts;
  private readonly destinationBuckets: readonly string[] | undefined;

  constructor(options: AwsFactsReaderOptions) {
    this.factory = options.factory;
    this.cache = options.cache ?? new RunCache();
    this.writable = options.writable ?? WritableAccounts.Reachable;
    this.destinationBuckets = options.destinationBuckets;
  }

  async read(request: FactsRequest): Promise<BucketFacts> {
    const account = request.account ?? (await this.factory.homeAccount());
    const region = request.region ?? (await this.bucketRegion(request.bucket, account));
    const refs = new Map<string, DestinationRef>();
    for (const entry of request.destinations) {
      const ref = typeof entry === 'string' ? { bucket: entry } : entry;
      if (!refs.has(ref.bucket)) refs.set(ref.bucket, ref);
    }
    const [destinations, keys] = await Promise.all([
      Promise.all([...refs.values()].map((ref) => this.destination(ref, account, region))),
      Promise.all([...new Set(request.keys)].map((keyArn) => this.key(keyArn))),
    ]);
    return {
      bucket: request.bucket,
      account,
      region,
      destinations: Object.fromEntries(destinations.map((facts) => [facts.bucket, facts])),
      keys: Object.fromEntries(keys.map((facts) => [facts.keyArn, facts])),
    };
  }

  /**
   * A bucket's region (once per run). Callers should keep it: a bucket never moves (DESIGN, cost).
   * @throws NotFoundError when the bucket does not exist, AccessDeniedError when S3 refused HeadBucket
   *   and did not name the region.
   */
  async bucketRegion(bucket: string, account?: string): Promise<string> {
    const owner = account ?? (await this.factory.homeAccount());
    const location = await this.location(bucket, owner);
    // Refused without a region: the refusal is the cause, not the missing region.
    if (location.exists && location.region === undefined && location.denied) throw location.denied;
    if (!location.exists || location.region === undefined) {
      throw new NotFoundError({
        code: location.exists ? 'NoBucketRegion' : 'NoSuchBucket',
        message: location.exists
          ? `S3 did not say where bucket ${bucket} is`
          : `Bucket ${bucket} does not exist`,
        resource: 'bucket',
      });
    }
    return location.region;
  }

  /**
   * Facts about one destination bucket, read once per run per (account, bucket). `account` is the owner it
   * must have: the configuration's AccountId, else the source's account. Both reads carry it as
   * `ExpectedBucketOwner`, so S3 itself proves the owner (`ownerVerified`): the GetBucketPolicy made for
   * every destination (the only call in steady state, when its region is known) answering a policy or
   * NoSuchBucketPolicy, and the HeadBucket of a first read, when made, not refusing. A 403 proves nothing
   * (another owner, or no permission): `ownerVerified: false`, and the policy is not writable.
   */
  destination(ref: DestinationRef, sourceAccount: string, sourceRegion: string): Promise<DestinationFacts> {
    const account = ref.account ?? sourceAccount;
    return this.cache.getOrLoad(`destination|${account}|${ref.bucket}`, async () => {
      const [reachable, mayWrite] = await Promise.all([this.reachable(account), this.mayWrite(account)]);
      // Without a role in the owner's account, try with our own credentials: its policy may let us read.
      const client = await this.factory.s3({
        account: reachable ? account : await this.factory.homeAccount(),
        region: ref.region ?? sourceRegion,
      });
      const policyRead = new S3BucketPolicyAdapter({ client, expectedBucketOwner: account });
      const [location, policy] = await Promise.all([
        ref.region === undefined
          ? this.location(ref.bucket, account)
          : ({ exists: true, region: ref.region } as BucketLocation),
        observePolicy(() => policyRead.get(ref.bucket)),
      ]);
      if (!location.exists || policy.state === 'holder-missing') {
        return {
          bucket: ref.bucket,
          exists: false,
          account,
          policy: { state: 'none' },
          writable: false,
          ownerVerified: false,
        };
      }
      const ownerVerified =
        (policy.state === 'present' || policy.state === 'none') && location.ownerVerified !== false;
      const writable =
        mayWrite && ownerVerified && matchesBucketPatterns(ref.bucket, this.destinationBuckets);
      const facts: DestinationFacts = {
        bucket: ref.bucket,
        exists: true,
        account,
        policy,
        writable,
        ownerVerified,
      };
      if (location.region !== undefined) facts.region = location.region;
      return facts;
    });
  }

  /** Facts about one KMS key (full ARN), read once per run. */
  key(keyArn: string): Promise<KeyFacts> {
    return this.cache.getOrLoad(`key|${keyArn}`, async () => {
      const scope = kmsKeyScope(keyArn);
      const account = scope.account ?? (await this.factory.homeAccount());
      const [reachable, writable] = await Promise.all([this.reachable(account), this.mayWrite(account)]);
      const client = await this.factory.kms({
        account: reachable ? account : await this.factory.homeAccount(),
        region: scope.region,
      });
      return readKeyFacts(keyArn, { client, readPolicy: reachable, writable });
    });
  }

  private location(bucket: string, account: string): Promise<BucketLocation> {
    return this.cache.getOrLoad(`location|${account}|${bucket}`, async () => {
      const reachable = await this.reachable(account);
      const client = await this.factory.s3({
        account: reachable ? account : await this.factory.homeAccount(),
      });
      return readBucketLocation(client, bucket, account);
    });
  }

  /** Whether we hold (or can assume) credentials of `account`; asked once per run. */
  private reachable(account: string): Promise<boolean> {
    return this.cache.getOrLoad(`reach|${account}`, () => this.factory.canReach(account));
  }

  private async mayWrite(account: string): Promise<boolean> {
    if (this.writable === WritableAccounts.Home) return account === (await this.factory.homeAccount());
    return this.reachable(account);
  }
}
