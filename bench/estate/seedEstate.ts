import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  PutBucketInventoryConfigurationCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mapLimit } from '../../lib/core/concurrency/mapLimit.js';
import { fileToItems } from '../../lib/core/desired/tableItems.js';
import type { InventoryConfiguration } from '../../lib/core/inventory/types.js';
import {
  actualConfigurations,
  desiredConfiguration,
  destinationPolicy,
  type EstatePlan,
  KMS_KEYS,
  keyPolicy,
} from './planEstate.js';

/** How the seeding reaches the local AWS: your credentials (`LocalAws.env`), not the functions' role. */
export interface SeedClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export interface SeededEstate {
  plan: EstatePlan;
  account: string;
  keyArns: string[];
  /** Each source's desired configuration, by bucket. */
  desired: Map<string, InventoryConfiguration>;
}

/** Requests in flight while seeding: moto answers one at a time; a few in flight hide the round trips. */
const SEED_PARALLELISM = 16;
/** DynamoDB's BatchWriteItem maximum. */
const BATCH_WRITE_ITEMS = 25;

/**
 * Seeds the estate as people left it (buckets, keys, hand-written policies, drifted configurations) and
 * its desired state in the table, directly with the SDK. Run it before any latency rule is set: the
 * calls are setup, not the measurement.
 */
export async function seedEstate(
  plan: EstatePlan,
  config: SeedClientConfig,
  desiredTable: string,
): Promise<SeededEstate> {
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const kms = new KMSClient(config);
  const sts = new STSClient(config);
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(config));
  try {
    const buckets = [...plan.destinations, ...plan.sources.map((source) => source.bucket)];
    await mapLimit(buckets, SEED_PARALLELISM, (Bucket) => s3.send(new CreateBucketCommand({ Bucket })));

    const account = (await sts.send(new GetCallerIdentityCommand({}))).Account!;
    const keyArns = await mapLimit(Array.from({ length: KMS_KEYS }), KMS_KEYS, async (_, index) => {
      const key = await kms.send(
        new CreateKeyCommand({
          Description: `s3ir bench: reports ${index + 1}`,
          Policy: keyPolicy(account),
          // The service changes only keys tagged so (IAM, and the facts it reads).
          Tags: [{ TagKey: 's3ir:inventory-key', TagValue: 'true' }],
        }),
      );
      return key.KeyMetadata!.Arn!;
    });
    await mapLimit(plan.destinations, SEED_PARALLELISM, (Bucket) =>
      s3.send(new PutBucketPolicyCommand({ Bucket, Policy: destinationPolicy(Bucket, account) })),
    );

    const desired = new Map<string, InventoryConfiguration>();
    for (const source of plan.sources)
      desired.set(source.bucket, desiredConfiguration(source, plan, keyArns));
    const actual = plan.sources.flatMap((source) =>
      actualConfigurations(source, desired.get(source.bucket)!).map((configuration) => ({
        bucket: source.bucket,
        configuration,
      })),
    );
    await mapLimit(actual, SEED_PARALLELISM, ({ bucket, configuration }) =>
      s3.send(
        new PutBucketInventoryConfigurationCommand({
          Bucket: bucket,
          Id: configuration.Id,
          InventoryConfiguration: configuration,
        }),
      ),
    );

    const items = fileToItems(
      {
        version: 1,
        buckets: Object.fromEntries(
          [...desired].map(([bucket, configuration]) => [bucket, { inventories: [configuration] }]),
        ),
      },
      { fileName: 'bench.yaml', appliedBy: 's3ir-bench', appliedAt: new Date().toISOString() },
    );
    const batches: Record<string, unknown>[][] = [];
    for (let start = 0; start < items.length; start += BATCH_WRITE_ITEMS) {
      batches.push(items.slice(start, start + BATCH_WRITE_ITEMS) as unknown as Record<string, unknown>[]);
    }
    await mapLimit(batches, 4, (batch) => writeAll(documents, desiredTable, batch));
    return { plan, account, keyArns, desired };
  } finally {
    s3.destroy();
    kms.destroy();
    sts.destroy();
    documents.destroy();
  }
}

/** One BatchWriteItem, then its unprocessed items again until none are left. */
async function writeAll(
  documents: DynamoDBDocumentClient,
  table: string,
  items: Record<string, unknown>[],
): Promise<void> {
  let pending = items.map((Item) => ({ PutRequest: { Item } }));
  for (let round = 0; pending.length > 0; round++) {
    if (round === 10)
      throw new Error(`DynamoDB left ${pending.length} desired items unwritten after 10 rounds`);
    const output = await documents.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
    pending = (output.UnprocessedItems?.[table] ?? []) as typeof pending;
  }
}
