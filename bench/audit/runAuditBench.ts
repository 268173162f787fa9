import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectLockConfigurationCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parse } from 'yaml';
import { MOTO_DEFAULT_ACCOUNT_ID } from '../../infra/local/constants.js';
import { startLocalAws } from '../../infra/local/localAws.js';
import { createLogger } from '../../infra/local/logger.js';
import { LOCAL_DIGEST } from '../../infra/local/resources/provisionDigestAnchor.js';
import { ClientFactory } from '../../lib/adapters/aws/ClientFactory.js';
import { anchorWiring } from '../../lib/wiring/anchorWiring.js';
import { BenchUsageError } from '../options.js';
import { AUDIT_USAGE, parseAuditBenchArgs } from './auditBenchOptions.js';
import { loadHistory } from './loadHistory.js';
import { measureAnchoredVerify } from './measureAnchoredVerify.js';
import {
  type BenchTable,
  measureFirstPages,
  measureVerify,
  sampleBuckets,
  type VerifyResult,
} from './measureAuditReads.js';
import { withinBudget } from './peakRss.js';
import {
  type AuditBenchResults,
  type AuditSizeResult,
  auditTargets,
  renderAuditSection,
  verdict,
  withAuditSection,
} from './renderAuditSection.js';
import { type HistoryShape, historyEnd } from './syntheticHistory.js';

const progress = (line: string) => process.stderr.write(`[bench audit] ${line}\n`);
const definition = new URL('../../infra/resources/audit-table.yml', import.meta.url);

/** A table of `name` created from infra/resources/audit-table.yml (keys and the five indexes). */
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

/**
 * A second digest bucket like the local AWS's (Object Lock, compliance-mode default retention): each table
 * is anchored in a bucket of its own, since the digests of one table would name chains the other does not
 * hold, and a compliance-mode digest can never be deleted.
 */
async function createDigestBucket(factory: ClientFactory, bucket: string, region: string): Promise<void> {
  const s3 = await factory.s3();
  await s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      ObjectLockEnabledForBucket: true,
      ...(region !== 'us-east-1' && { CreateBucketConfiguration: { LocationConstraint: region as never } }),
    }),
  );
  await s3.send(
    new PutObjectLockConfigurationCommand({
      Bucket: bucket,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: LOCAL_DIGEST.retentionDays } },
      },
    }),
  );
}

const verifyLine = (v: VerifyResult) =>
  `verify ${v.name}: ${v.events} events, ${Math.round(v.eventsPerSecond)}/s, intact ${v.intact}${v.memory ? `, peak RSS ${Math.round(v.memory.peakRss / 2 ** 20)} MiB` : ''}`;

/** Chains the per-bucket verify rows check (`s3ir audit verify --bucket …` for 50 buckets). */
const SAMPLE_CHAINS = 50;

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
  // The history ends at the end of yesterday (UTC): the newest day is a whole one at both sizes.
  const now = historyEnd(new Date());
  const shapes: HistoryShape[] = [
    {
      events: options.compare,
      chains: Math.max(1, Math.floor(options.chains / 100)),
      days: options.days,
      now,
    },
  ];
  if (options.events !== options.compare)
    shapes.push({ events: options.events, chains: options.chains, days: options.days, now });

  // One local AWS for both sizes: both tables in one DynamoDB Local, their reads interleaved.
  const local = await startLocalAws({ logger: createLogger('local-aws', 'warn') });
  const {
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
  } = local.env;
  // DynamoDB straight to DynamoDB Local: the gateway would add a hop to every read.
  const client = new DynamoDBClient({
    endpoint: local.backends.dynamodb,
    region,
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 10,
  });
  // S3 (the digest buckets) and KMS (the signing key) through the gateway, as `s3ir` reaches them locally.
  const factory = new ClientFactory({
    endpoint: local.endpoint,
    region,
    homeAccount: MOTO_DEFAULT_ACCOUNT_ID,
    credentials: async () => ({ accessKeyId, secretAccessKey }),
  });
  try {
    const documents = DynamoDBDocumentClient.from(client);
    const tables: (BenchTable & { loadMs: number })[] = [];
    for (const shape of shapes) {
      const tableName = `audit-bench-${shape.events}`;
      await createAuditTable(client, tableName);
      progress(`loading ${shape.events} events over ${shape.chains} chains into ${tableName}`);
      const load = await loadHistory(documents, tableName, shape, { writers: options.writers, progress });
      progress(`loaded ${load.items} items in ${(load.ms / 1000).toFixed(0)} s`);
      tables.push({ tableName, shape, loadMs: load.ms });
    }
    const loadAverage = loadavg();
    progress(`timing first pages on ${tables.length} tables, interleaved`);
    const firstPages = await measureFirstPages(documents, tables, options.samples);
    const sizes: AuditSizeResult[] = [];
    const wholeTables: { size: AuditSizeResult; run: () => Promise<VerifyResult> }[] = [];
    for (const [i, table] of tables.entries()) {
      const { shape, tableName } = table;
      const pages = firstPages[i] ?? [];
      for (const page of pages)
        progress(
          `${shape.events}: ${page.name}: p50 ${page.p50Ms.toFixed(1)} ms (raw ${page.rawP50Ms.toFixed(1)} ms), ${page.queries} Query, ${page.readUnits} RCU`,
        );
      // Verify goes after every first page is timed: a whole-table Scan would load the machine for both.
      const small = i === 0;
      const verify = await measureVerify(documents, tableName, shape, {
        sampleChains: SAMPLE_CHAINS,
        wholeTable: small,
      });
      const digestBucket = small ? local.env.S3IR_DIGEST_BUCKET : `${local.env.S3IR_DIGEST_BUCKET}-${i + 1}`;
      if (!small) await createDigestBucket(factory, digestBucket, region);
      const anchors = anchorWiring(
        { auditTable: tableName, digestBucket, digestKeyId: local.env.S3IR_DIGEST_KEY_ID },
        factory,
      );
      if (anchors === undefined) throw new Error('the local AWS named no digest bucket or signing key');
      const anchored = await measureAnchoredVerify(documents, tableName, anchors, {
        buckets: sampleBuckets(shape, SAMPLE_CHAINS),
      });
      progress(
        `anchored ${anchored.anchor.heads} heads of ${anchored.anchor.chains} chains in ${anchored.anchor.key} (${Math.round(anchored.anchor.ms)} ms)`,
      );
      verify.push(...anchored.verify);
      if (small) verify.push(await anchored.wholeTable());
      for (const v of verify) progress(verifyLine(v));
      const size: AuditSizeResult = {
        events: shape.events,
        chains: shape.chains,
        loadMs: table.loadMs,
        loadAverage,
        firstPages: pages,
        verify,
        anchor: anchored.anchor,
      };
      sizes.push(size);
      if (!small) wholeTables.push({ size, run: anchored.wholeTable });
    }
    const write = async () => {
      const results: AuditBenchResults = {
        version: 2,
        startedAt,
        durationMs: performance.now() - started,
        machine: {
          cpus: availableParallelism(),
          loadAverage: loadavg(),
          maxRss: process.resourceUsage().maxRSS * 1024,
        },
        sizes,
        anchors: true,
        samples: options.samples,
      };
      await mkdir(options.outDir, { recursive: true });
      await writeFile(join(options.outDir, 'audit-results.json'), `${JSON.stringify(results, null, 2)}\n`);
      const markdownPath = join(options.outDir, 'results.md');
      const existing = await readFile(markdownPath, 'utf8').catch(() => '');
      await writeFile(markdownPath, withAuditSection(existing, renderAuditSection(results)));
      progress(`wrote the audit section of ${markdownPath} and audit-results.json`);
      return results;
    };
    // The large table's whole verify is the longest step: everything else is written before it starts.
    const pending = (size: AuditSizeResult) => {
      size.notes = [
        `Every chain of this table against the anchors: still running when this file was written (the bench writes the file again when it ends; if this line is here, it did not end).`,
      ];
    };
    for (const whole of wholeTables) pending(whole.size);
    let results = await write();
    for (const whole of wholeTables) {
      const minutes = options.wholeVerifyMinutes;
      if (minutes === 0) {
        whole.size.notes = [
          'Every chain of this table against the anchors: not measured (`--whole-verify-minutes 0`).',
        ];
        continue;
      }
      progress(
        `verifying every chain of ${whole.size.events} events against the anchors (${minutes} min at most)`,
      );
      const started = new Date().toISOString();
      const row = await withinBudget(whole.run(), minutes * 60_000);
      if (row === 'timeout') {
        whole.size.notes = [
          `Every chain of this table against the anchors: NOT measured: not finished within the ${minutes} minutes allowed (\`--whole-verify-minutes\`; started ${started}, load ${loadavg()
            .map((l) => l.toFixed(1))
            .join(
              ' / ',
            )} when given up). verifyAuditAnchors reads every chain with a parallel Scan before it checks them (lib/adapters/aws/DynamoAuditChains.ts), and DynamoDB Local's Scan of a large table is slow.`,
        ];
        progress(`gave up the whole verify after ${minutes} min`);
        continue;
      }
      progress(verifyLine(row));
      whole.size.verify.push(row);
      whole.size.notes = [];
    }
    if (wholeTables.length > 0) results = await write();
    for (const target of auditTargets(results))
      process.stdout.write(`${target.name}: ${target.measured}: ${verdict(target)}\n`);
    return 0;
  } finally {
    client.destroy();
    factory.destroy();
    await local.stop();
  }
}
