import type { KeyMetadata } from '@aws-sdk/client-kms';
import type { InventoryConfiguration, ListBucketInventoryConfigurationsOutput } from '@aws-sdk/client-s3';

/**
 * One call's outcome as the wire gave it, the same for every client: the HTTP status, and either the
 * parsed output (the operation's output shape, without the SDK's `$metadata`) or the error's Code.
 */
export type Reply<T> =
  | { ok: true; status: number; value: T }
  | { ok: false; status: number; code: string; message: string };

/** The fields of ListBucketInventoryConfigurations' output, as both clients name them. */
export type InventoryPage = Omit<ListBucketInventoryConfigurationsOutput, '$metadata'>;

/** DescribeKey's KeyMetadata without dates (the CLI prints epoch seconds, the SDK a Date). */
export type KeyFields = Omit<KeyMetadata, 'CreationDate' | 'DeletionDate' | 'ValidTo'>;

/** Every operation the conformance cases drive: its arguments and its (normalized) output. */
export interface Operations {
  createBucket: { args: [bucket: string]; output: unknown };
  /** `expectedOwner`: S3's bucket owner condition (`ExpectedBucketOwner`, `--expected-bucket-owner`). */
  headBucket: { args: [bucket: string, expectedOwner?: string]; output: { BucketRegion?: string } };
  /**
   * Every bucket whose name starts with `prefix`, `pageSize` a page (ListBuckets' MaxBuckets, each
   * ContinuationToken followed to the end), in `bucketRegion` only when given: names and regions.
   */
  listBuckets: {
    args: [prefix: string, pageSize: number, bucketRegion?: string];
    output: { Buckets: { Name?: string; BucketRegion?: string }[] };
  };
  putInventory: { args: [bucket: string, configuration: InventoryConfiguration]; output: unknown };
  getInventory: { args: [bucket: string, id: string]; output: InventoryConfiguration };
  listInventory: { args: [bucket: string, continuationToken?: string]; output: InventoryPage };
  deleteInventory: { args: [bucket: string, id: string]; output: unknown };
  putBucketPolicy: { args: [bucket: string, policy: string, expectedOwner?: string]; output: unknown };
  /** The policy document exactly as returned (a JSON string). */
  getBucketPolicy: { args: [bucket: string, expectedOwner?: string]; output: string };
  deleteBucketPolicy: { args: [bucket: string, expectedOwner?: string]; output: unknown };
  createKey: { args: [description: string]; output: KeyFields };
  describeKey: { args: [keyId: string]; output: KeyFields };
  /** `policyName` undefined sends no PolicyName (AWS then uses `default`). */
  getKeyPolicy: {
    args: [keyId: string, policyName?: string];
    output: { Policy?: string; PolicyName?: string };
  };
  putKeyPolicy: { args: [keyId: string, policy: string, policyName?: string]; output: unknown };
  disableKey: { args: [keyId: string]; output: unknown };
  enableKey: { args: [keyId: string]; output: unknown };
  /** The output without DeletionDate (the CLI prints epoch seconds, the SDK a Date). */
  scheduleKeyDeletion: {
    args: [keyId: string, pendingWindowInDays: number];
    output: { KeyId?: string; KeyState?: string; PendingWindowInDays?: number };
  };
}

export type OperationName = keyof Operations;

/** One API call as data, so a client can run a whole sequence in one go (the CLI: in one process). */
export interface Call<K extends OperationName = OperationName> {
  op: K;
  args: Operations[K]['args'];
}

/** `call('getInventory', bucket, id)` */
export function call<K extends OperationName>(op: K, ...args: Operations[K]['args']): Call<K> {
  return { op, args };
}

/** The replies of a sequence of calls, typed position by position. */
export type Replies<C extends readonly Call[]> = {
  [I in keyof C]: C[I] extends Call<infer K> ? Reply<Operations[K]['output']> : never;
};

/**
 * A client the conformance cases run through (SDK v3, AWS CLI). `run` makes the calls one after
 * another, in order, and never rejects for an AWS error (only for a client-side failure, e.g. the
 * CLI missing or rejecting its arguments), so every case asserts on `Reply`s alike.
 */
export interface ConformanceClient {
  /** Shown in test names: `sdk-v3`, `aws-cli`. */
  readonly name: string;
  run<const C extends readonly Call[]>(...calls: C): Promise<Replies<C>>;
}

/** Shorthand for a single call. */
export async function one<K extends OperationName>(
  client: ConformanceClient,
  op: K,
  ...args: Operations[K]['args']
): Promise<Reply<Operations[K]['output']>> {
  const [reply] = await client.run(call(op, ...args));
  return reply as Reply<Operations[K]['output']>;
}
