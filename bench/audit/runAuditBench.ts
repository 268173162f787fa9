import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parse } from 'yaml';
import { MOTO_DEFAULT_ACCOUNT_ID } from '../../infra/local/constants.js';
import { startLocalAws } from '../../infra/local/localAws.js';
import { createLogger } from '../../infra/local/logger.js';
import { ClientFactory } from '../../lib/adapters/aws/ClientFactory.js';
import { anchorWiring } from '../../lib/wiring/anchorWiring.js';
import { BenchUsageError } from '../options.js';
import { AUDIT_USAGE, type AuditBenchOptions, parseAuditBenchArgs } from './auditBenchOptions.js';
import { loadHistory } from './loadHistory.js';
import { measureAnchoredVerify } from './measureAnchoredVerify.js';
import { measureFirstPages, measureVerify, sampleBuckets } from './measureAuditReads.js';
import {
  type AuditBenchResults,
  type AuditSizeResult,
  auditTargets,
  renderAuditSection,
  withAuditSection,
} from './renderAuditSection.js';
import type { HistoryShape } from './syntheticHistory.js';

const progress = (line: string) => process.stderr.write(`[bench audit] ${line}\n`);
const definition = new URL('../../infra/resources/audit-table.yml', import.meta.url);

/** A table of `name` created from infra/resources/audit-table.yml (keys and the four indexes). */
async function createAuditTable(client: DynamoDBClient, name: string): Promise<void> {
  const { AuditTable } = parse(await readFile(definition, 'utf8')) as {
    AuditTable: { Properties: Record<string, unknown> };
  };
  const {
    TimeToLiveSpecification,
    PointInTimeRecoverySpecification,
    SSESpecification,
    DeletionProtectionEnabled,
    ...properties
  } = AuditTable.Properties;
  await client.send(new CreateTableCommand({ ...properties, TableName: name } as CreateTableCommandInput));
}

/** Chains the per-bucket verify rows check (`s3ir audit verify --bucket …` for 50 buckets). */
const SAMPLE_CHAINS = 50;

/**
 * One table size on a local AWS of its own (DynamoDB Local, moto, the gateway, the digest bucket and signing
 * key of infra/local/resources/provisionDigestAnchor.ts): a fresh digest bucket per size, since a compliance-mode
 * digest can never be deleted and the digests of one table would name chains the other does not hold.
 */
async function runSize(
  options: AuditBenchOptions,
  shape: HistoryShape,
  wholeTable: boolean,
): Promise<AuditSizeResult> {
  const local = await startLocalAws({ logger: createLogger('local-aws', 'warn') });
  const {
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
  } = local.env;
  // DynamoDB straight to DynamoDB Local, as before anchors existed: the gateway would add a hop to every read.
  const client = new DynamoDBClient({
    endpoint: local.backends.dynamodb,
    region,
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 10,
  });
  // S3 (the digest bucket) and KMS (the signing key) through the gateway, as `s3ir` reaches them locally.
  const factory = new ClientFactory({
    endpoint: local.endpoint,
    region,
    homeAccount: MOTO_DEFAULT_ACCOUNT_ID,
    credentials: async () => ({ accessKeyId, secretAccessKey }),
  });
  try {
    const tableName = `audit-bench-${shape.events}`;
    await createAuditTable(client, tableName);
    const documents = DynamoDBDocumentClient.from(client);
    progress(`loading ${shape.events} events over ${shape.chains} chains into ${tableName}`);
    const load = await loadHistory(documents, tableName, shape, { writers: options.writers, progress });
    progress(`loaded ${load.items} items in ${(load.ms / 1000).toFixed(0)} s`);
    const loadAverage = loadavg();
    const firstPages = await measureFirstPages(documents, tableName, shape, options.samples);
    for (const page of firstPages)
      progress(`${page.name}: p50 ${page.p50Ms.toFixed(1)} ms, ${page.queries} Query, ${page.readUnits} RCU`);
    const verify = await measureVerify(documents, tableName, shape, {
      sampleChains: SAMPLE_CHAINS,
      wholeTable,
    });
    const anchors = anchorWiring(
      {
        auditTable: tableName,
        digestBucket: local.env.S3IR_DIGEST_BUCKET,
        digestKeyId: local.env.S3IR_DIGEST_KEY_ID,
      },
      factory,
    );
    if (anchors === undefined) throw new Error('the local AWS named no digest bucket or signing key');
    const anchored = await measureAnchoredVerify(documents, tableName, anchors, {
      buckets: sampleBuckets(shape, SAMPLE_CHAINS),
      wholeTable,
    });
    progress(
      `anchored ${anchored.anchor.heads} heads of ${anchored.anchor.chains} chains in ${anchored.anchor.key} (${Math.round(anchored.anchor.ms)} ms)`,
    );
    verify.push(...anchored.verify);
    for (const v of verify)
      progress(
        `verify ${v.name}: ${v.events} events, ${Math.round(v.eventsPerSecond)}/s, intact ${v.intact}`,
      );
    return {
      events: shape.events,
      chains: shape.chains,
      loadMs: load.ms,
      loadAverage,
      firstPages,
      verify,
      anchor: anchored.anchor,
    };
  } finally {
    client.destroy();
    factory.destroy();
    await local.stop();
  }
}

/** `npm run bench -- audit [options]`: 0 done, 1 a bad option. */
export async function runAuditBench(argv: readonly string[]): Promise<number> {
  let options: ReturnType<typeof parseAuditBenchArgs>;
  try {
    options = parseAuditBenchArgs(argv);
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  if (options === 'help') {
    process.stdout.write(AUDIT_USAGE);
    return 0;
  }
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const now = new Date();
  {
    const small: HistoryShape = {
      events: options.compare,
      chains: Math.max(1, Math.floor(options.chains / 100)),
      days: options.days,
      now,
    };
    const large: HistoryShape = { events: options.events, chains: options.chains, days: options.days, now };
    const sizes = [await runSize(options, small, true)];
    if (options.events !== options.compare) sizes.push(await runSize(options, large, false));
    const results: AuditBenchResults = {
      version: 1,
      startedAt,
      durationMs: performance.now() - started,
      machine: { cpus: availableParallelism(), loadAverage: loadavg() },
      sizes,
      anchors: true,
    };
    await mkdir(options.outDir, { recursive: true });
    await writeFile(join(options.outDir, 'audit-results.json'), `${JSON.stringify(results, null, 2)}\n`);
    const markdownPath = join(options.outDir, 'results.md');
    const existing = await readFile(markdownPath, 'utf8').catch(() => '');
    await writeFile(markdownPath, withAuditSection(existing, renderAuditSection(results)));
    for (const target of auditTargets(results))
      process.stdout.write(`${target.name}: ${target.measured}: ${target.met ? 'met' : 'MISSED'}\n`);
    process.stdout.write(`wrote the audit section of ${markdownPath} and audit-results.json\n`);
    return 0;
  }
}
