import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  ListBucketInventoryConfigurationsCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observeOutcome } from '../../../lib/core/alerts/observation.js';
import type { DesiredStateFile } from '../../../lib/core/desired/fileSchema.js';
import { fileToItems } from '../../../lib/core/desired/tableItems.js';
import type { InventoryConfiguration } from '../../../lib/core/inventory/types.js';
import type { ReconcileOutcome } from '../../../lib/core/reconcile/outcome.js';
import { reconcileBucket } from '../../../lib/usecases/reconcileBucket/reconcileBucket.js';
import {
  recordTransition,
  type TransitionReport,
} from '../../../lib/usecases/recordTransition/recordTransition.js';
import type { CliDeps } from '../../../lib/wiring/cliWiring.js';
import { makeConfiguration } from '../../helpers/factories.js';
import { memoryOutbox, memorySender } from '../../helpers/memoryAlerts.js';
import { desiredTestTable } from '../aws/desiredTestTable.js';
import {
  LOCAL_HOME_ACCOUNT as HOME,
  LOCAL_REGION,
  localEndpoint,
  LOCAL_OTHER_ACCOUNT as OTHER,
  uniqueBucket,
} from '../aws/localFactory.js';
import { localServiceDeps } from './serviceLocal.js';

/**
 * Issue 13, point 10: desired state written straight into the table, as an attacker with write access to
 * it would, on the local AWS with three accounts: HOME (the service's), OTHER (allowed) and FOREIGN (the
 * attacker's, outside S3IR_ALLOWED_ACCOUNTS). Each condition must end with nothing put, nothing granted,
 * nothing else changed on any bucket, and exactly one action-required alert and audit event.
 */
const FOREIGN = '333344445555';

let service: CliDeps;
let table: Awaited<ReturnType<typeof desiredTestTable>>;
let home: S3Client;
let other: S3Client;
let foreign: S3Client;
const sender = memorySender();
/** Every bucket the tests create, by the client of the account that owns it. */
const owned = new Map<string, S3Client>();

/** An S3 client acting in `account`, through STS as any principal there would (not the service's factory). */
async function clientIn(account: string): Promise<S3Client> {
  const base = { endpoint: localEndpoint(), region: LOCAL_REGION, maxAttempts: 2 };
  const sts = new STSClient({ ...base, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/attacker`, RoleSessionName: 'it' }),
  );
  sts.destroy();
  return new S3Client({
    ...base,
    forcePathStyle: true,
    credentials: {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!,
    },
  });
}

async function bucketIn(client: S3Client, prefix: string): Promise<string> {
  const bucket = uniqueBucket(prefix);
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  owned.set(bucket, client);
  return bucket;
}

/** What every bucket holds now: its configurations and its policy, by bucket. */
async function snapshot(): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    [...owned].map(async ([bucket, client]) => {
      const listed = await client.send(new ListBucketInventoryConfigurationsCommand({ Bucket: bucket }));
      const policy = await client
        .send(new GetBucketPolicyCommand({ Bucket: bucket }))
        .then((answer) => answer.Policy)
        .catch((error: Error) => (error.name === 'NoSuchBucketPolicy' ? undefined : Promise.reject(error)));
      return [bucket, { configurations: listed.InventoryConfigurationList ?? [], policy }] as const;
    }),
  );
  return Object.fromEntries(entries);
}

function toDestination(bucket: string, accountId?: string): InventoryConfiguration {
  return makeConfiguration({
    Destination: {
      S3BucketDestination: {
        Bucket: `arn:aws:s3:::${bucket}`,
        Format: 'CSV',
        ...(accountId !== undefined && { AccountId: accountId }),
      },
    },
  });
}

/** Writes items straight into the table (what `fileToItems` makes of a file, never checked by the CLI). */
async function writeItems(file: DesiredStateFile): Promise<void> {
  const items = fileToItems(file, {
    fileName: 'attacker',
    appliedBy: 'attacker',
    appliedAt: '2026-01-01T00:00:00Z',
  });
  await service.desired.putItems(items as unknown as Record<string, unknown>[]);
}

/** One reconcile of `bucket` and its status step (alerts to a memory SNS, events to the audit table). */
async function reconcile(
  bucket: string,
  using: CliDeps = service,
): Promise<{ outcome: ReconcileOutcome; report: TransitionReport }> {
  const runId = uniqueBucket('run');
  const deps = using.reconcileDepsFor({ bucket, runId });
  const outcome = await reconcileBucket(bucket, deps);
  const report = await recordTransition(observeOutcome(outcome)!, {
    status: using.statuses,
    audit: deps.audit,
    alerts: { sender, outbox: memoryOutbox() },
    reminderMs: 0,
    context: deps.context,
  });
  return { outcome, report };
}

/** The one action-required alert and the one action-required event of a report, checked to name `names`. */
function theOneActionRequired(
  report: TransitionReport,
  names: { bucket: string; configId?: string; target: string; account: string },
) {
  const alerts = report.alerts.filter((alert) => alert.type === 'action-required');
  const events = report.events.filter((event) => event.action === 'action-required');
  expect(alerts).toHaveLength(1);
  expect(events).toHaveLength(1);
  const [alert] = alerts;
  const [event] = events;
  expect(alert).toMatchObject({
    bucket: names.bucket,
    target: names.target,
    detail: { configId: names.configId, account: names.account },
  });
  expect(event).toMatchObject({ bucket: names.bucket, target: names.target });
  expect(event!.configId).toBe(names.configId);
  expect(event!.message).toContain(names.account);
  expect(event!.message).toContain(names.target);
  return { alert: alert!, event: event! };
}

beforeAll(async () => {
  table = await desiredTestTable(localEndpoint());
  service = localServiceDeps({
    S3IR_DESIRED_TABLE: table.tableName,
    S3IR_ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:unused',
  });
  [home, other, foreign] = await Promise.all([clientIn(HOME), clientIn(OTHER), clientIn(FOREIGN)]);
});
afterAll(() => {
  service?.factory.destroy();
  table?.destroy();
  for (const client of [home, other, foreign]) client?.destroy();
});

describe('hostile desired state on the local AWS (three accounts, one not allowed)', () => {
  it('the boundary is real: S3IR_ALLOWED_ACCOUNTS is the home and the other account', async () => {
    expect([...(await service.allowedAccounts())].sort()).toEqual([HOME, OTHER]);
  });

  it('a destination in a non-allowed account, named by AccountId: nothing put or granted', async () => {
    const [src, loot] = [await bucketIn(home, 'hd-src-a'), await bucketIn(foreign, 'hd-loot-a')];
    await writeItems({ version: 1, buckets: { [src]: { inventories: [toDestination(loot, FOREIGN)] } } });
    const before = await snapshot();

    const { outcome, report } = await reconcile(src);

    expect(outcome.plan?.actions).toEqual([]);
    expect(outcome.plan?.findings.map((finding) => finding.kind)).toEqual(['destination-not-allowed']);
    expect(await snapshot()).toEqual(before);
    theOneActionRequired(report, { bucket: src, configId: 'daily-csv', target: loot, account: FOREIGN });
  });

  it('a destination in a non-allowed account, without AccountId: its owner is not proved, nothing put', async () => {
    const [src, loot] = [await bucketIn(home, 'hd-src-b'), await bucketIn(foreign, 'hd-loot-b')];
    await writeItems({ version: 1, buckets: { [src]: { inventories: [toDestination(loot)] } } });
    const before = await snapshot();

    const { outcome, report } = await reconcile(src);

    expect(outcome.plan?.actions).toEqual([]);
    expect(outcome.plan?.findings.map((finding) => finding.kind)).toEqual(['destination-owner-unverified']);
    expect(await snapshot()).toEqual(before);
    // The account the service expected, which S3 did not confirm.
    theOneActionRequired(report, { bucket: src, configId: 'daily-csv', target: loot, account: HOME });
  });

  it('a missing destination that another account creates later: nothing put before or after', async () => {
    const src = await bucketIn(home, 'hd-src-c');
    const later = uniqueBucket('hd-later');
    await writeItems({ version: 1, buckets: { [src]: { inventories: [toDestination(later)] } } });
    const before = await snapshot();

    const first = await reconcile(src);
    expect(first.outcome.plan?.findings.map((finding) => finding.kind)).toEqual(['destination-missing']);
    expect(first.outcome.plan?.actions).toEqual([]);
    // The account that would have to own it: the source's, as no AccountId is declared.
    theOneActionRequired(first.report, { bucket: src, configId: 'daily-csv', target: later, account: HOME });
    expect(await snapshot()).toEqual(before);

    await foreign.send(new CreateBucketCommand({ Bucket: later }));
    owned.set(later, foreign);
    const taken = await snapshot();
    const second = await reconcile(src);
    expect(second.outcome.plan?.findings.map((finding) => finding.kind)).toEqual([
      'destination-owner-unverified',
    ]);
    expect(second.outcome.plan?.actions).toEqual([]);
    expect(await snapshot()).toEqual(taken);
    theOneActionRequired(second.report, { bucket: src, configId: 'daily-csv', target: later, account: HOME });
  });

  it('a template giving every bucket a foreign destination: nothing put on any of them', async () => {
    const sources = [await bucketIn(home, 'hd-tpl'), await bucketIn(home, 'hd-tpl')];
    const loot = await bucketIn(foreign, 'hd-loot-t');
    await writeItems({
      version: 1,
      templates: [
        { name: `everything-${loot}`, match: { names: ['*'] }, inventories: [toDestination(loot, FOREIGN)] },
      ],
    });
    const before = await snapshot();
    // A cold start of its own: a warm one keeps the templates it read for a minute.
    const fresh = localServiceDeps({ S3IR_DESIRED_TABLE: table.tableName });

    for (const src of sources) {
      const { outcome, report } = await reconcile(src, fresh);
      expect(outcome.plan?.actions).toEqual([]);
      expect(outcome.plan?.findings.map((finding) => finding.kind)).toEqual(['destination-not-allowed']);
      theOneActionRequired(report, { bucket: src, configId: 'daily-csv', target: loot, account: FOREIGN });
    }
    expect(await snapshot()).toEqual(before);
    fresh.factory.destroy();
  });

  it('a bucket setting naming a foreign account: nothing read or done there', async () => {
    // The attacker's bucket, with the victim's name, holding a configuration the service must not touch.
    const victim = await bucketIn(foreign, 'hd-victim');
    await writeItems({
      version: 1,
      buckets: {
        [victim]: {
          account: FOREIGN,
          region: LOCAL_REGION,
          prune: true,
          inventories: [toDestination(victim)],
        },
      },
    });
    const before = await snapshot();

    const { outcome, report } = await reconcile(victim);

    expect(outcome).toMatchObject({ status: 'drift-reported', attempts: 0 });
    expect(outcome.plan?.findings.map((finding) => finding.kind)).toEqual(['account-not-allowed']);
    expect(await snapshot()).toEqual(before);
    theOneActionRequired(report, { bucket: victim, target: victim, account: FOREIGN });
  });

  it('a destination whose policy already lets a foreign account read: nothing put, no grant added', async () => {
    const [src, shared] = [await bucketIn(home, 'hd-src-s'), await bucketIn(other, 'hd-shared')];
    const broad = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'PartnerReadsEverything',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${FOREIGN}:root` },
          Action: 's3:*',
          Resource: [`arn:aws:s3:::${shared}`, `arn:aws:s3:::${shared}/*`],
        },
      ],
    };
    await other.send(new PutBucketPolicyCommand({ Bucket: shared, Policy: JSON.stringify(broad) }));
    await writeItems({ version: 1, buckets: { [src]: { inventories: [toDestination(shared, OTHER)] } } });
    const before = await snapshot();

    const { outcome, report } = await reconcile(src);

    expect(outcome.plan?.actions).toEqual([]);
    expect(outcome.plan?.findings.map((finding) => finding.kind)).toEqual(['destination-shared']);
    expect(await snapshot()).toEqual(before);
    const { event } = theOneActionRequired(report, {
      bucket: src,
      configId: 'daily-csv',
      target: shared,
      account: OTHER,
    });
    expect(event.message).toContain(`arn:aws:iam::${FOREIGN}:root (Sid "PartnerReadsEverything")`);
  });

  it('control: the same path puts and grants for a verified destination of an allowed account', async () => {
    const [src, dest] = [await bucketIn(home, 'hd-src-ok'), await bucketIn(other, 'hd-dest-ok')];
    await writeItems({ version: 1, buckets: { [src]: { inventories: [toDestination(dest, OTHER)] } } });

    const { outcome } = await reconcile(src);

    expect(outcome.plan?.findings).toEqual([]);
    const after = (await snapshot()) as Record<
      string,
      { configurations: InventoryConfiguration[]; policy?: string }
    >;
    expect(after[src]!.configurations.map((c) => c.Destination?.S3BucketDestination?.AccountId)).toEqual([
      OTHER,
    ]);
    // Our statement is keyed by the source's account (docs/aws-facts.md §13).
    expect(after[dest]!.policy).toContain(`"aws:SourceArn":"arn:aws:s3:::*"`);
    expect(after[dest]!.policy).toContain(`"aws:SourceAccount":"${HOME}"`);
  });
});
