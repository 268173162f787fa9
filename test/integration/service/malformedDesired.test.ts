import { CreateBucketCommand, ListBucketInventoryConfigurationsCommand } from '@aws-sdk/client-s3';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../../infra/local/gateway.js';
import { status } from '../../../lib/cli/commands/status.js';
import { ACCOUNT, FaultWorld, uniqueName } from '../../faultMatrix/faultWorld.js';
import {
  itemsForMissingBuckets,
  MALFORMED_TEMPLATE_FIELDS,
  type MalformedItem,
  malformedItems,
  malformedTemplates,
  validConfiguration,
} from '../../helpers/malformedDesiredItems.js';
import { localAws } from '../local/localAwsClients.js';
import { privateGateway } from '../local/privateGateway.js';

/**
 * Issue 17, point 7: more than 100 malformed desired-state items written straight into the table, beside
 * one valid item per bucket, through the real schedule → SQS → reconcile handlers on a gateway of this file's
 * own (its call counts are this file's alone). Each is refused with a reason naming the item and the field,
 * in `s3ir status` and in the bucket's one `reconcile-failed` alert; nothing is applied from any; the valid
 * items converge; a steady sweep writes nothing to DynamoDB. Bad `#templates` items likewise: refused with
 * the template and the field, in `s3ir status` (`refusedTemplates`) and in one alert about `#templates`.
 */
const CORPUS_BUCKETS = 10;
const savedEnv = { ...process.env };
let gateway: Gateway | undefined;
let world: FaultWorld | undefined;
let buckets: string[] = [];
let missing: string[] = [];
let corpus: MalformedItem[] = [];
interface AlertBody {
  type: string;
  bucket: string;
  summary: string;
  detail?: { problems?: string[] };
}
let firstAlerts: AlertBody[] = [];

async function sweep(): Promise<void> {
  await world!.sweep();
  await world!.drain();
}

async function alerts(): Promise<AlertBody[]> {
  const got: AlertBody[] = [];
  for (let empty = 0; empty < 2; ) {
    const page = await world!.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: world!.alertQueue.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    const messages = page.Messages ?? [];
    if (messages.length === 0) empty += 1;
    for (const message of messages) got.push(JSON.parse(JSON.parse(message.Body!).Message) as AlertBody);
    if (messages.length > 0)
      await world!.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: world!.alertQueue.url,
          Entries: messages.map((m, index) => ({ Id: String(index), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
  }
  return got;
}

async function calls(): Promise<Record<string, number>> {
  return (await (await fetch(`${gateway!.endpoint}/_local/calls`)).json()) as Record<string, number>;
}

beforeAll(async () => {
  gateway = await privateGateway();
  if (!gateway) return;
  world = new FaultWorld({ endpoint: gateway.endpoint, env: localAws().env });
  // Each bucket's own reconcile-failed alert, naming its refused items, is what this file checks: the first
  // sweep's are not summarised here (#18 point 4: test/e2e/adoptionSummary.test.ts).
  await world.create({ S3IR_ADOPTION_SINGLE_ALERTS: 'all' });
  const { dest } = world.names;
  buckets = Array.from({ length: CORPUS_BUCKETS }, () => uniqueName('corpus'));
  missing = [uniqueName('corpus-gone'), uniqueName('corpus-gone')];
  for (const bucket of buckets) await world.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  corpus = malformedItems(buckets, dest, ACCOUNT);
  const items = [
    ...corpus.map((entry) => entry.item),
    ...buckets.map((bucket) => ({
      bucket,
      id: 'valid',
      configuration: validConfiguration('valid', dest, ACCOUNT),
    })),
    ...malformedTemplates(dest, ACCOUNT),
    ...itemsForMissingBuckets(missing, dest, ACCOUNT),
  ];
  // One by one: a batch is limited to 16 MB and some items are hundreds of KB.
  for (const Item of items)
    await world.documents.send(new PutCommand({ TableName: world.desiredTable, Item }));
  await sweep();
  firstAlerts = await alerts();
}, 300_000);

afterAll(async () => {
  await world?.destroy();
  await gateway?.close();
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
});

describe('a corpus of malformed desired-state items in the table', () => {
  it('holds more than 100 malformed items of every kind the issue names', (context) => {
    if (!world) return context.skip('no private gateway');
    expect(corpus.length).toBeGreaterThanOrEqual(100);
    expect(new Set(corpus.map((entry) => entry.kind))).toEqual(
      new Set([
        'wrong type',
        'Id not id',
        'unknown field',
        'bad ARN',
        'invalid enum',
        'oversized',
        'bad value',
      ]),
    );
  });

  it('applies nothing from any of them, and converges every valid item beside them', async (context) => {
    if (!world) return context.skip('no private gateway');
    for (const bucket of buckets) {
      const listed = await world.s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: bucket }));
      expect(
        (listed.InventoryConfigurationList ?? []).map((c) => c.Id),
        bucket,
      ).toEqual(['valid']);
    }
    for (const bucket of world.sources) {
      const listed = await world.s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: bucket }));
      expect(
        (listed.InventoryConfigurationList ?? []).map((c) => c.Id),
        bucket,
      ).toEqual(['daily']);
    }
  });

  it('sends one reconcile-failed alert per bucket, naming every refused item and its field', async (context) => {
    if (!world) return context.skip('no private gateway');
    const failed = firstAlerts.filter(
      (alert) => alert.type === 'reconcile-failed' && alert.bucket !== '#templates',
    );
    expect(failed.map((alert) => alert.bucket).sort()).toEqual([...buckets, ...missing].sort());
    for (const entry of corpus) {
      const alert = failed.find((a) => a.bucket === entry.bucket)!;
      const problem = alert.detail?.problems?.find((line) => line.includes(`"${entry.id}"`));
      expect(problem, `${entry.bucket}/${entry.id}`).toBeDefined();
      expect(problem, `${entry.bucket}/${entry.id}`).toContain(`${entry.field}: `);
    }
    for (const bucket of missing) {
      const alert = failed.find((a) => a.bucket === bucket)!;
      expect(alert.summary).toContain(bucket);
      expect(alert.summary).toMatch(/does not exist/);
    }
  });

  it('sends one reconcile-failed alert about the templates, naming every refused template and its field', async (context) => {
    if (!world) return context.skip('no private gateway');
    const about = firstAlerts.filter((alert) => alert.bucket === '#templates');
    expect(about.map((alert) => alert.type)).toEqual(['reconcile-failed']);
    const problems = about[0]!.detail?.problems ?? [];
    expect(problems).toHaveLength(Object.keys(MALFORMED_TEMPLATE_FIELDS).length);
    for (const [id, field] of Object.entries(MALFORMED_TEMPLATE_FIELDS)) {
      const problem = problems.find((line) => line.startsWith(`template "${id}" refused: `));
      expect(problem, id).toContain(`${field}: `);
    }
  });

  it('shows every refused item and its field in s3ir status', async (context) => {
    if (!world) return context.skip('no private gateway');
    let out = '';
    const io = {
      out: (text: string) => {
        out = `${out}${text}`;
      },
      err: () => {},
      color: false,
      stderrTty: false,
      env: process.env,
    };
    expect(await status(['--json'], io)).toBe(0);
    const shown = JSON.parse(out) as {
      buckets: { bucket: string; status: string; refused?: { id: string; reason: string }[] }[];
      refusedTemplates?: { id: string; reason: string }[];
    };
    const rows = shown.buckets;
    expect(rows.some((row) => row.bucket.startsWith('#'))).toBe(false);
    expect((shown.refusedTemplates ?? []).map((entry) => entry.id)).toEqual(
      Object.keys(MALFORMED_TEMPLATE_FIELDS).sort(),
    );
    for (const [id, field] of Object.entries(MALFORMED_TEMPLATE_FIELDS)) {
      const refused = shown.refusedTemplates?.find((entry) => entry.id === id);
      expect(refused?.reason, id).toContain(`${field}: `);
    }
    for (const bucket of buckets)
      expect(rows.find((row) => row.bucket === bucket)?.status, bucket).toBe('failed');
    for (const entry of corpus) {
      const row = rows.find((r) => r.bucket === entry.bucket)!;
      const refused = row.refused?.find((r) => r.id === entry.id);
      expect(refused?.reason, `${entry.bucket}/${entry.id}`).toContain(`${entry.field}: `);
    }
  });

  it('costs no DynamoDB write in steady state, and raises no alert again', async (context) => {
    if (!world) return context.skip('no private gateway');
    await sweep(); // anything the first sweep left (a retried bucket) settles here
    await alerts();
    await fetch(`${gateway!.endpoint}/_local/calls/reset`, { method: 'POST' });
    await sweep();
    const counted = await calls();
    for (const write of ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems'])
      expect(counted[`dynamodb.${write}`] ?? 0, write).toBe(0);
    expect(counted['s3.PutBucketInventoryConfiguration'] ?? 0).toBe(0);
    expect(await alerts()).toEqual([]);
  });
});
