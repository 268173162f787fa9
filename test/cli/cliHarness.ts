import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutBucketInventoryConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { InventoryConfiguration } from '../../lib/core/inventory/types.js';
import { buildCli } from '../../scripts/buildCli.mjs';
import { useLocalAws } from '../e2e/lambdaHarness.js';

type LocalAwsHandle = Awaited<ReturnType<typeof useLocalAws>>;

const repoRoot = new URL('../../', import.meta.url).pathname;

/** What one `s3ir` run printed and how it ended. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A name no other test uses (bucket names: lower case, digits, hyphens). */
export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/**
 * The local AWS (the shared one when integration tests run too, else one of this file's own), clients to
 * seed and inspect it, and `s3ir` as a subprocess (bin/s3ir.mjs, as `npx s3ir` runs it) with its env plus a desired-state and an audit table
 * of this file's own, so that "every bucket" means this file's buckets.
 */
export async function cliWorld(shared?: LocalAwsHandle) {
  // The entry users run is bin/s3ir.mjs over the bundle in dist/cli: built now if a source changed since.
  await buildCli();
  const local = shared ? { ...shared, stop: async () => {} } : await useLocalAws();
  const config = {
    endpoint: local.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const dynamodb = new DynamoDBClient(config);
  const documents = DynamoDBDocumentClient.from(dynamodb);
  const tables = { desired: unique('cli-desired'), state: unique('cli-state'), audit: unique('cli-audit') };
  await createTables(dynamodb, tables);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    USER: 'cli-tester',
    ...local.env,
    AWS_ENDPOINT_URL: local.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    S3IR_DESIRED_TABLE: tables.desired,
    S3IR_STATE_TABLE: tables.state,
    S3IR_AUDIT_TABLE: tables.audit,
  };
  // The local AWS's digest bucket anchors its own audit table; a world with a table of its own has no
  // anchors unless a test gives it a digest bucket of its own (test/cli/auditAnchor.test.ts).
  delete env.S3IR_DIGEST_BUCKET;
  delete env.S3IR_DIGEST_KEY_ID;
  const dir = await mkdtemp(join(tmpdir(), 's3ir-cli-'));

  return {
    local,
    s3,
    documents,
    tables,
    dir,
    /** The environment `run` gives `s3ir` (for tests that spawn it themselves). */
    env,
    /** Runs `s3ir ARGS` (never rejects: the exit code is in the result); an `undefined` in `extraEnv` unsets. */
    run(args: string[], extraEnv: Record<string, string | undefined> = {}): Promise<CliRun> {
      const runEnv = Object.fromEntries(
        Object.entries({ ...env, ...extraEnv }).filter(
          (entry): entry is [string, string] => entry[1] !== undefined,
        ),
      );
      return new Promise((resolve) => {
        execFile(
          process.execPath,
          ['--', 'bin/s3ir.mjs', ...args],
          { cwd: repoRoot, env: runEnv, timeout: 60_000 },
          (error, stdout, stderr) => {
            const code = error ? ((error as { code?: number }).code ?? 1) : 0;
            resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
          },
        );
      });
    },
    /** Writes a file in this world's temporary folder and returns its path. */
    async file(name: string, text: string): Promise<string> {
      const path = join(dir, name);
      await writeFile(path, text);
      return path;
    },
    async createBuckets(...names: string[]): Promise<void> {
      for (const Bucket of names) await s3.send(new CreateBucketCommand({ Bucket }));
    },
    async putInventory(bucket: string, configuration: InventoryConfiguration): Promise<void> {
      await s3.send(
        new PutBucketInventoryConfigurationCommand({
          Bucket: bucket,
          Id: configuration.Id,
          InventoryConfiguration: configuration,
        }),
      );
    },
    /** Every item of a table, sorted by bucket then id (or eventId). */
    async items(table: string): Promise<Record<string, unknown>[]> {
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await documents.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      const key = (item: Record<string, unknown>) => `${item.bucket}\n${item.id ?? item.eventId}`;
      return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    },
    async calls(): Promise<Record<string, number>> {
      return (await fetch(`${local.endpoint}/_local/calls`)).json() as Promise<Record<string, number>>;
    },
    async close(): Promise<void> {
      s3.destroy();
      dynamodb.destroy();
      await local.stop();
    },
  };
}

export type CliWorld = Awaited<ReturnType<typeof cliWorld>>;

/** The two tables as infra/resources defines them (desired: bucket/id; audit: bucket/eventId and its indexes). */
async function createTables(
  dynamodb: DynamoDBClient,
  tables: { desired: string; state: string; audit: string },
): Promise<void> {
  const S = 'S' as const;
  // The desired-state and state tables share their key (infra/resources/*.yml).
  for (const TableName of [tables.desired, tables.state]) {
    await dynamodb.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'bucket', AttributeType: S },
          { AttributeName: 'id', AttributeType: S },
        ],
        KeySchema: [
          { AttributeName: 'bucket', KeyType: 'HASH' },
          { AttributeName: 'id', KeyType: 'RANGE' },
        ],
      }),
    );
  }
  const byTimeKey = (name: string) => [
    { AttributeName: name, KeyType: 'HASH' as const },
    { AttributeName: 'timeKey', KeyType: 'RANGE' as const },
  ];
  await dynamodb.send(
    new CreateTableCommand({
      TableName: tables.audit,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ['bucket', 'eventId', 'timeKey', 'day', 'runId', 'action', 'chainIndex'].map(
        (AttributeName) => ({ AttributeName, AttributeType: S }),
      ),
      KeySchema: [
        { AttributeName: 'bucket', KeyType: 'HASH' },
        { AttributeName: 'eventId', KeyType: 'RANGE' },
      ],
      LocalSecondaryIndexes: [
        { IndexName: 'byTime', KeySchema: byTimeKey('bucket'), Projection: { ProjectionType: 'ALL' } },
      ],
      GlobalSecondaryIndexes: [
        { IndexName: 'byDay', KeySchema: byTimeKey('day'), Projection: { ProjectionType: 'ALL' } },
        { IndexName: 'byRun', KeySchema: byTimeKey('runId'), Projection: { ProjectionType: 'ALL' } },
        { IndexName: 'byAction', KeySchema: byTimeKey('action'), Projection: { ProjectionType: 'ALL' } },
        // The chain heads, for audit anchors (infra/resources/audit-table.yml).
        {
          IndexName: 'byChainHead',
          KeySchema: [
            { AttributeName: 'chainIndex', KeyType: 'HASH' },
            { AttributeName: 'bucket', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
}

/** A desired-state file declaring `inventories` (YAML-compatible JSON) for each bucket. */
export function desiredYaml(buckets: Record<string, InventoryConfiguration[]>, extra = ''): string {
  const entries = Object.entries(buckets).map(
    ([bucket, inventories]) => `  ${bucket}:\n    inventories: ${JSON.stringify(inventories)}`,
  );
  return `version: 1\nbuckets:\n${entries.join('\n')}\n${extra}`;
}
