import { CreateKeyCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, GetBucketPolicyCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileToItems } from '../../../lib/core/desired/tableItems.js';
import { allowsDelivery } from '../../../lib/core/policy/allowsDelivery.js';
import type { PolicyDocument } from '../../../lib/core/policy/types.js';
import type { ReconcileOutcome } from '../../../lib/core/reconcile/outcome.js';
import { RetryableReconcileError } from '../../../lib/core/reconcile/reconcileErrors.js';
import { reconcileBucket } from '../../../lib/usecases/reconcileBucket/reconcileBucket.js';
import type { CliDeps } from '../../../lib/wiring/cliWiring.js';
import { planBucket } from '../../../lib/wiring/planBuckets.js';
import { makeKmsConfiguration } from '../../helpers/factories.js';
import { foreignStatement, makePolicy } from '../../helpers/reconcileFactories.js';
import { LOCAL_HOME_ACCOUNT as HOME, LOCAL_REGION, uniqueBucket } from '../aws/localFactory.js';
import { localServiceDeps } from './serviceLocal.js';

/** Sources that each need a grant on ONE destination policy and ONE key policy, reconciled at once. */
const SOURCES = 24;
/** Independent workers: each its own service deps (clients, facts cache), as Lambda sandboxes are. */
const WORKERS = 8;
/** SQS redeliveries a bucket may use (a retryable failure: another worker kept changing a policy). */
const MAX_RECEIVES = 20;

const dest = uniqueBucket('race-dest');
const sources = Array.from({ length: SOURCES }, (_, i) => uniqueBucket(`race-src-${i}`));
const workers: CliDeps[] = [];
let keyArn: string;

function newWorker(): CliDeps {
  const worker = localServiceDeps();
  workers.push(worker);
  return worker;
}

beforeAll(async () => {
  const setup = newWorker();
  const s3 = await setup.factory.s3();
  for (const bucket of [dest, ...sources]) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  // Someone else's statement, which every write must keep.
  const foreign = makePolicy([foreignStatement('AnalyticsRead', dest, HOME)]);
  await s3.send(new PutBucketPolicyCommand({ Bucket: dest, Policy: JSON.stringify(foreign) }));
  const kms = await setup.factory.client(KMSClient);
  keyArn = (
    await kms.send(
      new CreateKeyCommand({
        Description: 'policy lease race',
        // IAM lets the service change only keys tagged so; the facts say not writable without it.
        Tags: [{ TagKey: 's3ir:inventory-key', TagValue: 'true' }],
      }),
    )
  ).KeyMetadata!.Arn!;

  const configuration = makeKmsConfiguration(keyArn, {
    Id: 'daily-kms',
    Destination: {
      S3BucketDestination: {
        Bucket: `arn:aws:s3:::${dest}`,
        Format: 'CSV',
        Prefix: 'inventory',
        Encryption: { SSEKMS: { KeyId: keyArn } },
      },
    },
  });
  const buckets = Object.fromEntries(
    sources.map((bucket) => [bucket, { region: LOCAL_REGION, inventories: [configuration] }]),
  );
  const items = fileToItems(
    { version: 1, buckets },
    { fileName: 'race.yaml', appliedBy: 'it', appliedAt: '2026-01-01T00:00:00Z' },
  );
  await setup.desired.putItems(items as unknown as Record<string, unknown>[]);
}, 120_000);
afterAll(() => {
  for (const worker of workers) worker.factory.destroy();
});

/**
 * One worker's share of the sweep, one bucket at a time as a Lambda sandbox takes its batch; a retryable
 * failure goes back to the end of its queue, as SQS redelivers it.
 */
async function drain(worker: CliDeps, queue: string[], runId: string): Promise<ReconcileOutcome[]> {
  const outcomes: ReconcileOutcome[] = [];
  const receives = new Map<string, number>();
  while (queue.length > 0) {
    const bucket = queue.shift()!;
    receives.set(bucket, (receives.get(bucket) ?? 0) + 1);
    try {
      outcomes.push(await reconcileBucket(bucket, worker.reconcileDepsFor({ bucket, runId })));
    } catch (error) {
      if (!(error instanceof RetryableReconcileError) || receives.get(bucket)! >= MAX_RECEIVES) throw error;
      queue.push(bucket);
    }
  }
  return outcomes;
}

async function policies(): Promise<{ destination: PolicyDocument; key: PolicyDocument }> {
  const [s3, kms] = [await workers[0]!.factory.s3(), await workers[0]!.factory.kmsForKey(keyArn)];
  const destination = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: dest }))).Policy!);
  const key = JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: keyArn }))).Policy!);
  return { destination, key };
}

describe('policy leases: concurrent workers granting on one shared destination and key', () => {
  it('keeps every source’s grant in both policies, and a second sweep plans and writes nothing', async () => {
    const fleet = Array.from({ length: WORKERS }, newWorker);
    const runId = uniqueBucket('race-run');
    const shares = fleet.map((_, w) => sources.filter((_, i) => i % WORKERS === w));

    const outcomes = (await Promise.all(fleet.map((worker, w) => drain(worker, shares[w]!, runId)))).flat();

    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(sources.map(() => 'converged'));
    const { destination, key } = await policies();
    const lost = sources.filter((bucket) => {
      const source = {
        sourceBucket: bucket,
        sourceAccount: HOME,
        partition: 'aws',
        destinationBucket: dest,
        destinationPrefix: 'inventory',
        configurationId: 'daily-kms',
        keyArn,
      };
      return !allowsDelivery(destination, source) || !allowsDelivery(key, source, 'key-policy');
    });
    expect(lost).toEqual([]);
    expect(JSON.stringify(destination)).toContain('"Sid":"AnalyticsRead"');

    // The steady sweep: fresh workers and a new run read fresh facts, and find nothing to do.
    const steady = newWorker();
    const nextRun = uniqueBucket('race-steady');
    for (const bucket of sources) {
      const planned = await planBucket(bucket, steady.reconcileDepsFor({ bucket, runId: nextRun }));
      expect(planned, bucket).toMatchObject({ plan: { actions: [], findings: [], drift: [] } });
      const again = await reconcileBucket(bucket, steady.reconcileDepsFor({ bucket, runId: nextRun }));
      expect(again, bucket).toMatchObject({ status: 'in-sync', attempts: 1, result: { outcomes: [] } });
    }
  }, 600_000);
});
