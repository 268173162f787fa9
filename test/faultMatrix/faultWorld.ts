import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, GetKeyPolicyCommand, KMSClient, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  DeleteBucketInventoryConfigurationCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  ChangeMessageVisibilityBatchCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parse } from 'yaml';
import { functionEnv } from '../../infra/local/service/functionEnv.js';
import { LambdaRuntime } from '../../infra/local/service/LambdaRuntime.js';
import { scheduledEvent, sqsEvent } from '../../infra/local/service/lambdaEvents.js';
import { type BatchResponse, FunctionName } from '../../infra/local/service/types.js';
import { fileToItems } from '../../lib/core/desired/tableItems.js';
import type { InventoryConfiguration } from '../../lib/core/inventory/types.js';

/**
 * The world of the fault matrix (issue 17, point 1): an estate on a local AWS gateway whose fault rules are
 * the matrix's alone, and the real handlers of functions/ run in this process as `npm start` runs them
 * (infra/local/service): schedule → SQS → reconcile with partial batch responses, and the CloudTrail change
 * events through s3Change. It needs nothing from vitest, so `npm run faults` uses it as the test does.
 */

export const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** A statement of another team on the destination: it must come through every row byte-identical. */
export const FOREIGN_SID = 'AnalyticsTeamReads';

export interface FaultWorldOptions {
  /** The gateway the world talks to; its fault rules must be the world's own. */
  endpoint: string;
  /** The local AWS's env (its audit table). */
  env: Record<string, string>;
}

/** The estate's names. `solo` is the bucket the bucket-scoped faults hit. */
export interface EstateNames {
  plainA: string;
  plainB: string;
  sealed: string;
  solo: string;
  dest: string;
}

/** What one pass of the event source did: batches handled and their failed items. */
export interface DrainReport {
  batches: number;
  messages: number;
  failedItems: number;
  /** Invocations that threw as a whole (Lambda retries the batch after the visibility timeout). */
  invocationErrors: string[];
  /** Deletes that failed: the messages come back (the visibility timeout passing is simulated). */
  lostDeletes: number;
}

export const uniqueName = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

/** A configuration of the estate: daily CSV into the destination, with an optional KMS key. */
export function estateConfiguration(dest: string, keyArn?: string): InventoryConfiguration {
  return {
    Id: 'daily',
    IsEnabled: true,
    IncludedObjectVersions: 'Current',
    Schedule: { Frequency: 'Daily' },
    Destination: {
      S3BucketDestination: {
        Bucket: `arn:aws:s3:::${dest}`,
        Format: 'CSV',
        Prefix: 'inventory',
        AccountId: ACCOUNT,
        ...(keyArn !== undefined && { Encryption: { SSEKMS: { KeyId: keyArn } } }),
      },
    },
    OptionalFields: ['Size', 'StorageClass'],
  };
}

/** A table of the world's own, keyed as the infra/resources file that serverless.yml deploys defines it. */
async function createTable(dynamodb: DynamoDBClient, file: string, id: string, name: string): Promise<void> {
  const definitions = parse(
    await readFile(new URL(`../../infra/resources/${file}`, import.meta.url), 'utf8'),
  ) as Record<string, { Properties: Record<string, unknown> }>;
  const { BillingMode, AttributeDefinitions, KeySchema } = definitions[id]!.Properties;
  await dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode,
      AttributeDefinitions,
      KeySchema,
    } as CreateTableCommandInput),
  );
}

/** The fault matrix's estate, its tables, queues and topic, and the functions loaded on them. */
export class FaultWorld {
  readonly names: EstateNames;
  readonly s3: S3Client;
  readonly kms: KMSClient;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly documents: DynamoDBDocumentClient;
  private readonly dynamodb: DynamoDBClient;
  readonly endpoint: string;
  desiredTable = '';
  stateTable = '';
  auditTable = '';
  keyArn = '';
  /** The key policy as created: its statements are the key owner's, never to be lost. */
  keyPolicy = '';
  queue = { url: '', arn: '' };
  alertQueue = { url: '', arn: '' };
  topicArn = '';
  private runtime: LambdaRuntime | undefined;
  private lastEventId: string | null = null;
  /** Run the next `n` deletes of the event source as lost (the SQS redelivery row). */
  loseDeletes = 0;

  constructor(options: FaultWorldOptions) {
    this.endpoint = options.endpoint;
    this.auditTable = options.env.S3IR_AUDIT_TABLE ?? 's3ir-audit';
    const config = { endpoint: options.endpoint, region: REGION, credentials, maxAttempts: 2 };
    this.s3 = new S3Client({ ...config, forcePathStyle: true });
    this.kms = new KMSClient(config);
    this.sqs = new SQSClient(config);
    this.sns = new SNSClient(config);
    this.dynamodb = new DynamoDBClient(config);
    this.documents = DynamoDBDocumentClient.from(this.dynamodb, {
      marshallOptions: { removeUndefinedValues: true },
    });
    this.names = {
      plainA: uniqueName('fm-plain-a'),
      plainB: uniqueName('fm-plain-b'),
      sealed: uniqueName('fm-sealed'),
      solo: uniqueName('fm-solo'),
      dest: uniqueName('fm-dest'),
    };
  }

  /** The source buckets, each declaring `daily`. */
  get sources(): string[] {
    const { plainA, plainB, sealed, solo } = this.names;
    return [plainA, plainB, sealed, solo];
  }

  /**
   * Creates the estate (buckets, the destination's foreign statement, a customer managed key), the tables,
   * queue, topic and an alert queue subscribed to it, declares the sources, then loads the functions with
   * the env serverless.yml would give them. Call once per process: the functions read their env at load.
   */
  async create(extraEnv: Record<string, string> = {}): Promise<void> {
    const { dest, sealed } = this.names;
    for (const bucket of [...this.sources, dest])
      await this.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await this.foreignOnlyDestination();
    const key = await this.kms.send(
      new CreateKeyCommand({ Tags: [{ TagKey: 's3ir:inventory-key', TagValue: 'true' }] }),
    );
    this.keyArn = key.KeyMetadata!.Arn!;
    this.keyPolicy = (
      await this.kms.send(new GetKeyPolicyCommand({ KeyId: this.keyArn, PolicyName: 'default' }))
    ).Policy!;

    this.desiredTable = uniqueName('fm-desired');
    this.stateTable = uniqueName('fm-state');
    await createTable(this.dynamodb, 'desired-state-table.yml', 'DesiredStateTable', this.desiredTable);
    await createTable(this.dynamodb, 'state-table.yml', 'StateTable', this.stateTable);
    const items = fileToItems(
      {
        version: 1,
        buckets: Object.fromEntries(
          this.sources.map((bucket) => [
            bucket,
            {
              inventories: [estateConfiguration(dest, bucket === sealed ? this.keyArn : undefined)],
            },
          ]),
        ),
      },
      { fileName: 'fault-matrix.yaml', appliedBy: 'fault-matrix', appliedAt: new Date().toISOString() },
    );
    await this.documents.send(
      new BatchWriteCommand({
        RequestItems: { [this.desiredTable]: items.map((Item) => ({ PutRequest: { Item } })) },
      }),
    );

    // Long enough that a batch in flight is never handed out twice (serverless.yml gives 720 s).
    this.queue = await this.makeQueue(uniqueName('fm-reconcile'), '150');
    this.alertQueue = await this.makeQueue(uniqueName('fm-alerts'), '30');
    this.topicArn = (await this.sns.send(new CreateTopicCommand({ Name: uniqueName('fm-topic') }))).TopicArn!;
    await this.sns.send(
      new SubscribeCommand({ TopicArn: this.topicArn, Protocol: 'sqs', Endpoint: this.alertQueue.arn }),
    );
    const prepared = await functionEnv({
      env: {
        AWS_REGION: REGION,
        AWS_ENDPOINT_URL: this.endpoint,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        S3IR_DESIRED_TABLE: this.desiredTable,
        S3IR_STATE_TABLE: this.stateTable,
        S3IR_AUDIT_TABLE: this.auditTable,
        S3IR_ALERT_TOPIC_ARN: this.topicArn,
        S3IR_QUEUE_URL: this.queue.url,
        S3IR_ALLOWED_ACCOUNTS: ACCOUNT,
        // A failed bucket comes back at once instead of after a jittered delay: the matrix stays short.
        S3IR_RETRY_DELAY_MAX_SECONDS: '0',
        S3IR_ALERT_REMINDER_HOURS: '0',
        ...extraEnv,
      },
      logLevel: 'CRITICAL',
    });
    for (const name of ['S3IR_MAX_CHANGES', 'S3IR_MAX_DELETES', 'S3IR_MAX_RECEIVE_COUNT'])
      delete process.env[name];
    this.runtime = await LambdaRuntime.load(prepared.env);
    await this.changeEvents(); // start reading events after the estate was made
  }

  private async makeQueue(name: string, visibility: string): Promise<{ url: string; arn: string }> {
    const url = (
      await this.sqs.send(
        new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: visibility } }),
      )
    ).QueueUrl!;
    const { Attributes } = await this.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
    );
    return { url, arn: Attributes!.QueueArn! };
  }

  /** The destination's policy back to the foreign statement alone (our grant gone). */
  async foreignOnlyDestination(): Promise<void> {
    await this.s3.send(
      new PutBucketPolicyCommand({ Bucket: this.names.dest, Policy: JSON.stringify(this.foreignPolicy()) }),
    );
  }

  foreignPolicy() {
    const { dest } = this.names;
    return {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: FOREIGN_SID,
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/analytics` },
          Action: ['s3:GetObject', 's3:ListBucket'],
          Resource: [`arn:aws:s3:::${dest}`, `arn:aws:s3:::${dest}/*`],
        },
      ],
    };
  }

  /**
   * Drift, made by hand as an operator would (through the gateway, so CloudTrail-shaped events follow):
   * every source's configuration deleted, the destination's grant and the key's grant removed.
   */
  async unsettle(): Promise<void> {
    for (const bucket of this.sources)
      await this.s3.send(new DeleteBucketInventoryConfigurationCommand({ Bucket: bucket, Id: 'daily' }));
    await this.foreignOnlyDestination();
    await this.kms.send(
      new PutKeyPolicyCommand({ KeyId: this.keyArn, PolicyName: 'default', Policy: this.keyPolicy }),
    );
  }

  /** The change events since the last call, handed to s3Change one at a time as EventBridge would. */
  async changeEvents(): Promise<{ events: number; errors: string[] }> {
    const since = this.lastEventId === null ? '' : `?since=${this.lastEventId}`;
    const page = (await (await fetch(`${this.endpoint}/_local/events${since}`)).json()) as {
      events: unknown[];
      lastId: string | null;
    };
    const first = this.lastEventId === null;
    this.lastEventId = page.lastId ?? this.lastEventId;
    if (first) return { events: 0, errors: [] };
    const errors: string[] = [];
    for (const event of page.events) {
      try {
        await this.runtime!.invoke(FunctionName.S3Change, event);
      } catch (error) {
        errors.push(describe(error));
      }
    }
    return { events: page.events.length, errors };
  }

  /** One scheduled sweep: `undefined` when the invocation failed (EventBridge runs the next one). */
  async sweep(): Promise<{ buckets: number } | { error: string }> {
    try {
      return await this.runtime!.invoke<{ buckets: number }>(
        FunctionName.Schedule,
        scheduledEvent(REGION, 's3ir-schedule'),
      );
    } catch (error) {
      return { error: describe(error) };
    }
  }

  /**
   * The reconcile queue's event source: receives batches of 10, invokes reconcile, deletes what
   * `batchItemFailures` does not name, until a receive comes back empty or `maxBatches` were handled (a
   * fault that never clears must not hold the matrix).
   */
  async drain(maxBatches = 30): Promise<DrainReport> {
    const report: DrainReport = {
      batches: 0,
      messages: 0,
      failedItems: 0,
      invocationErrors: [],
      lostDeletes: 0,
    };
    while (report.batches < maxBatches) {
      const page = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queue.url,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      const messages = page.Messages ?? [];
      if (messages.length === 0) break;
      report.batches += 1;
      report.messages += messages.length;
      let response: BatchResponse;
      try {
        response = await this.runtime!.invoke<BatchResponse>(
          FunctionName.Reconcile,
          sqsEvent(messages, this.queue.arn, REGION),
        );
      } catch (error) {
        report.invocationErrors.push(describe(error));
        await this.visibleAgain(messages);
        continue;
      }
      const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
      report.failedItems += failed.size;
      const done = messages.filter((message) => !failed.has(message.MessageId!));
      if (done.length === 0) continue;
      if (this.loseDeletes > 0) {
        // The delete never reached SQS: the messages come back once their visibility timeout passes.
        this.loseDeletes -= 1;
        report.lostDeletes += done.length;
        await this.visibleAgain(done);
        continue;
      }
      await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.queue.url,
          Entries: done.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle!,
          })),
        }),
      );
    }
    return report;
  }

  /** The visibility timeout of `messages`, passed now (what waiting 720 s would do). */
  private async visibleAgain(messages: Message[]): Promise<void> {
    await this.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: this.queue.url,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle!,
          VisibilityTimeout: 0,
        })),
      }),
    );
  }

  /** Empties the reconcile queue without reconciling (between rows). */
  async discardQueued(): Promise<number> {
    let discarded = 0;
    for (;;) {
      const page = await this.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: this.queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      const messages = page.Messages ?? [];
      if (messages.length === 0) return discarded;
      discarded += messages.length;
      await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.queue.url,
          Entries: messages.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle!,
          })),
        }),
      );
    }
  }

  /** POSTs fault rules to the gateway. */
  async inject(rules: readonly Record<string, unknown>[]): Promise<void> {
    if (rules.length === 0) return;
    const response = await fetch(`${this.endpoint}/_local/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules }),
    });
    if (!response.ok) throw new Error(`POST /_local/faults: ${response.status} ${await response.text()}`);
  }

  /** Clears every fault rule (the gateway's rules are the world's alone). */
  async clearFaults(): Promise<number> {
    const response = await fetch(`${this.endpoint}/_local/faults`, { method: 'DELETE' });
    return ((await response.json()) as { cleared: number }).cleared;
  }

  /** How many errors the rules injected so far. */
  async injectedErrors(): Promise<number> {
    const response = await fetch(`${this.endpoint}/_local/faults`);
    const { rules } = (await response.json()) as { rules: { injected: number }[] };
    return rules.reduce((sum, rule) => sum + rule.injected, 0);
  }

  async destroy(): Promise<void> {
    await this.runtime?.idle();
    for (const client of [this.s3, this.kms, this.sqs, this.sns, this.dynamodb]) client.destroy();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
