import {
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  GetKeyPolicyCommand,
  type KeyMetadata,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  DeleteBucketInventoryConfigurationCommand,
  DeleteBucketPolicyCommand,
  GetBucketInventoryConfigurationCommand,
  GetBucketPolicyCommand,
  HeadBucketCommand,
  type InventoryConfiguration,
  ListBucketInventoryConfigurationsCommand,
  ListBucketsCommand,
  PutBucketInventoryConfigurationCommand,
  PutBucketPolicyCommand,
} from '@aws-sdk/client-s3';
import { kmsClient, s3Client } from '../localAwsClients.js';
import type {
  Call,
  ConformanceClient,
  KeyFields,
  OperationName,
  Operations,
  Replies,
  Reply,
} from './conformanceClient.js';

/** How this client makes each operation's one call. */
type Handlers = {
  [K in OperationName]: (...args: Operations[K]['args']) => Promise<Reply<Operations[K]['output']>>;
};

interface SdkOutput {
  $metadata: { httpStatusCode?: number };
}

/** Sends one SDK call and keeps what the wire said: status and output, or status and error Code. */
async function reply<O extends SdkOutput, T>(
  send: () => Promise<O>,
  pick: (output: O) => T,
): Promise<Reply<T>> {
  try {
    const output = await send();
    return { ok: true, status: output.$metadata.httpStatusCode ?? 0, value: pick(output) };
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    // No status: the request never got an HTTP answer (connection refused, timeout): not a conformance fact.
    if (status === undefined) throw error;
    const { name, message } = error as Error;
    return { ok: false, status, code: name, message };
  }
}

/** The output without the SDK's `$metadata`, as the CLI prints it. */
function body<O extends SdkOutput>({ $metadata: _, ...rest }: O): Omit<O, '$metadata'> {
  return rest;
}

function keyFields(metadata: KeyMetadata | undefined): KeyFields {
  const { CreationDate: _c, DeletionDate: _d, ValidTo: _v, ...fields } = metadata ?? { KeyId: '' };
  return fields;
}

/** `ExpectedBucketOwner` when given. */
const expectedOwner = (owner: string | undefined) =>
  owner === undefined ? {} : { ExpectedBucketOwner: owner };

/** AWS SDK for JavaScript v3 (path-style S3, one attempt) against the local AWS. */
export function sdkV3Client(): ConformanceClient {
  const s3 = s3Client();
  const kms = kmsClient();
  const handlers: Handlers = {
    createBucket: (Bucket) => reply(() => s3.send(new CreateBucketCommand({ Bucket })), body),
    headBucket: (Bucket, owner) =>
      reply(
        () => s3.send(new HeadBucketCommand({ Bucket, ...expectedOwner(owner) })),
        (output) => ({ BucketRegion: output.BucketRegion }),
      ),
    listBuckets: async (Prefix, MaxBuckets, BucketRegion) => {
      const Buckets: { Name?: string; BucketRegion?: string }[] = [];
      let ContinuationToken: string | undefined;
      for (;;) {
        const page = await reply(
          () =>
            s3.send(
              new ListBucketsCommand({
                Prefix,
                MaxBuckets,
                ...(BucketRegion !== undefined && { BucketRegion }),
                ...(ContinuationToken !== undefined && { ContinuationToken }),
              }),
            ),
          (output) => output,
        );
        if (!page.ok) return page;
        for (const { Name, BucketRegion: region } of page.value.Buckets ?? [])
          Buckets.push({ Name, BucketRegion: region });
        ContinuationToken = page.value.ContinuationToken;
        if (ContinuationToken === undefined) return { ok: true, status: page.status, value: { Buckets } };
      }
    },
    putInventory: (Bucket, InventoryConfiguration) =>
      reply(
        () =>
          s3.send(
            new PutBucketInventoryConfigurationCommand({
              Bucket,
              Id: InventoryConfiguration.Id,
              InventoryConfiguration,
            }),
          ),
        body,
      ),
    getInventory: (Bucket, Id) =>
      reply(
        () => s3.send(new GetBucketInventoryConfigurationCommand({ Bucket, Id })),
        (output) => output.InventoryConfiguration ?? ({} as InventoryConfiguration),
      ),
    listInventory: (Bucket, ContinuationToken) =>
      reply(
        () =>
          s3.send(
            new ListBucketInventoryConfigurationsCommand({
              Bucket,
              ...(ContinuationToken ? { ContinuationToken } : {}),
            }),
          ),
        body,
      ),
    deleteInventory: (Bucket, Id) =>
      reply(() => s3.send(new DeleteBucketInventoryConfigurationCommand({ Bucket, Id })), body),
    putBucketPolicy: (Bucket, Policy, owner) =>
      reply(() => s3.send(new PutBucketPolicyCommand({ Bucket, Policy, ...expectedOwner(owner) })), body),
    getBucketPolicy: (Bucket, owner) =>
      reply(
        () => s3.send(new GetBucketPolicyCommand({ Bucket, ...expectedOwner(owner) })),
        (output) => output.Policy ?? '',
      ),
    deleteBucketPolicy: (Bucket, owner) =>
      reply(() => s3.send(new DeleteBucketPolicyCommand({ Bucket, ...expectedOwner(owner) })), body),
    createKey: (Description) =>
      reply(
        () => kms.send(new CreateKeyCommand({ Description })),
        (output) => keyFields(output.KeyMetadata),
      ),
    describeKey: (KeyId) =>
      reply(
        () => kms.send(new DescribeKeyCommand({ KeyId })),
        (output) => keyFields(output.KeyMetadata),
      ),
    getKeyPolicy: (KeyId, PolicyName) =>
      reply(() => kms.send(new GetKeyPolicyCommand({ KeyId, ...(PolicyName ? { PolicyName } : {}) })), body),
    putKeyPolicy: (KeyId, Policy, PolicyName) =>
      reply(
        () => kms.send(new PutKeyPolicyCommand({ KeyId, Policy, ...(PolicyName ? { PolicyName } : {}) })),
        body,
      ),
    disableKey: (KeyId) => reply(() => kms.send(new DisableKeyCommand({ KeyId })), body),
    enableKey: (KeyId) => reply(() => kms.send(new EnableKeyCommand({ KeyId })), body),
    scheduleKeyDeletion: (KeyId, PendingWindowInDays) =>
      reply(
        () => kms.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays })),
        ({ KeyId, KeyState, PendingWindowInDays }) => ({ KeyId, KeyState, PendingWindowInDays }),
      ),
  };
  return {
    name: 'sdk-v3',
    async run<const C extends readonly Call[]>(...calls: C): Promise<Replies<C>> {
      const replies: Reply<unknown>[] = [];
      for (const { op, args } of calls)
        replies.push(await (handlers[op] as (...a: unknown[]) => Promise<Reply<unknown>>)(...args));
      return replies as Replies<C>;
    },
  };
}
