import { describe, expect, it } from 'vitest';
import type { BucketStatus } from '../../../../lib/core/alerts/bucketStatus.js';
import { fingerprint } from '../../../../lib/core/alerts/fingerprint.js';
import { type Observation, observeFailure, observeOutcome } from '../../../../lib/core/alerts/observation.js';
import { transition } from '../../../../lib/core/alerts/transition.js';
import { auditEventId } from '../../../../lib/core/audit/eventId.js';
import type { DesiredBucket } from '../../../../lib/core/desired/types.js';
import { apply } from '../../../../lib/core/reconcile/apply.js';
import { plan } from '../../../../lib/core/reconcile/plan.js';
import type { PlanOptions } from '../../../../lib/core/reconcile/types.js';
import { makeConfiguration } from '../../../helpers/factories.js';
import { createMemoryEstate, type MemoryEstate } from '../../../helpers/memoryEstate.js';
import {
  DESTINATION_BUCKET,
  makeDesiredBucket,
  SOURCE_ACCOUNT,
  SOURCE_BUCKET,
} from '../../../helpers/reconcileFactories.js';

const HOUR = 3_600_000;
const T0 = new Date('2026-03-01T00:00:00.000Z');
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);
const options = (hours: number, runId = `run-${hours}`) => ({
  now: at(hours),
  runId,
  actor: 'reconciler',
  reminderMs: 24 * HOUR,
});
const envelope = (runId: string) => ({
  bucket: SOURCE_BUCKET,
  account: SOURCE_ACCOUNT,
  region: 'us-east-1',
  runId,
});

/** Plans and applies `desired` on the estate, as reconcileBucket does, and observes the outcome. */
async function observe(
  world: MemoryEstate,
  desired: DesiredBucket,
  limits?: PlanOptions,
): Promise<Observation> {
  const made = plan(desired, world.configurationsOf(SOURCE_BUCKET), world.factsFor(SOURCE_BUCKET), limits);
  const result = await apply(made, world, { runId: 'apply', actor: 'reconciler' });
  return observeOutcome({
    bucket: SOURCE_BUCKET,
    status: 'drift-reported',
    plan: made,
    result,
    attempts: 1,
  })!;
}

const inSync = (): BucketStatus => ({
  bucket: SOURCE_BUCKET,
  state: 'in-sync',
  since: T0.toISOString(),
  conditions: {},
  runId: 'run-0',
  version: 1,
});

/** A bucket in detect mode, missing its configuration and its grant, with an unmanaged `stray`. */
function driftedWorld(): MemoryEstate {
  return createMemoryEstate()
    .addBucket(SOURCE_BUCKET, { configurations: [makeConfiguration({ Id: 'stray' })] })
    .addBucket(DESTINATION_BUCKET);
}
const detect = makeDesiredBucket([makeConfiguration()], { mode: 'detect' });

describe('transition()', () => {
  it('writes the first status of a bucket in sync, and alerts nothing', async () => {
    const world = createMemoryEstate().addBucket(SOURCE_BUCKET).addBucket(DESTINATION_BUCKET);
    const desired = makeDesiredBucket([]);
    expect(transition(undefined, await observe(world, desired), options(0, 'run-0'))).toEqual({
      status: inSync(),
      alerts: [],
      events: [],
    });
  });

  it('returns no status, no alert and no event in steady state', async () => {
    const world = createMemoryEstate().addBucket(SOURCE_BUCKET).addBucket(DESTINATION_BUCKET);
    expect(transition(inSync(), await observe(world, makeDesiredBucket([])), options(100))).toEqual({
      alerts: [],
      events: [],
    });
  });

  it('alerts drift-detected and records one drift-detected event per item when drift appears', async () => {
    const change = transition(inSync(), await observe(driftedWorld(), detect), options(1));
    const summary =
      'Drift on source-bucket: 2 changes not applied (detect mode); unmanaged configuration stray left in place';
    expect(change.alerts).toEqual([
      {
        type: 'drift-detected',
        ...envelope('run-1'),
        summary,
        since: at(1).toISOString(),
        detail: {
          notApplied: [
            {
              key: 'grant-destination:inventory-reports',
              reason:
                'The policy of destination bucket inventory-reports must allow S3 Inventory delivery from source-bucket (daily-csv)',
            },
            {
              key: 'create-configuration:daily-csv',
              reason: 'Configuration daily-csv is declared for source-bucket but not present',
            },
          ],
          unmanaged: ['stray'],
        },
      },
    ]);
    expect(
      change.events.map((event) => [event.action, event.configId ?? event.target, event.message]),
    ).toEqual([
      [
        'drift-detected',
        DESTINATION_BUCKET,
        'did not grant S3 delivery from source-bucket on inventory-reports (report-only)',
      ],
      ['drift-detected', 'daily-csv', 'did not create inventory daily-csv on source-bucket (report-only)'],
      [
        'drift-detected',
        'stray',
        'found inventory stray on source-bucket, which is not declared: left it in place (the bucket does not opt into prune)',
      ],
    ]);
    expect(change.events[2]).toMatchObject({
      eventId: auditEventId({
        runId: 'run-1',
        bucket: SOURCE_BUCKET,
        action: 'drift-detected',
        subject: 'unmanaged:stray',
        change: { before: makeConfiguration({ Id: 'stray' }) },
      }),
      time: at(1).toISOString(),
      runId: 'run-1',
      actor: 'reconciler',
      before: makeConfiguration({ Id: 'stray' }),
    });
    expect(change.status).toEqual({
      bucket: SOURCE_BUCKET,
      state: 'drifted',
      since: at(1).toISOString(),
      conditions: {
        drift: {
          fingerprint: fingerprint({
            drift: [
              { key: 'create-configuration:daily-csv' },
              { key: 'grant-destination:inventory-reports' },
              { key: 'unmanaged:stray' },
            ],
          }),
          since: at(1).toISOString(),
          lastAlertAt: at(1).toISOString(),
          summary,
        },
      },
      runId: 'run-1',
      version: 2,
    });
  });

  it('says nothing about unchanged drift until the reminder interval, then reminds once', async () => {
    const world = driftedWorld();
    const first = transition(inSync(), await observe(world, detect), options(1)).status!;

    expect(transition(first, await observe(world, detect), options(24.5))).toEqual({
      alerts: [],
      events: [],
    });

    const reminded = transition(first, await observe(world, detect), options(25));
    expect(reminded.events).toEqual([]);
    expect(reminded.alerts).toEqual([
      expect.objectContaining({
        type: 'drift-detected',
        runId: 'run-25',
        reminder: true,
        since: at(1).toISOString(),
        summary: expect.stringMatching(/left in place \(reminder\)$/),
      }),
    ]);
    expect(reminded.status).toEqual({
      ...first,
      conditions: { drift: { ...first.conditions.drift!, lastAlertAt: at(25).toISOString() } },
      runId: 'run-25',
      version: first.version + 1,
    });
    // The interval counts from the reminder.
    expect(transition(reminded.status, await observe(world, detect), options(48))).toEqual({
      alerts: [],
      events: [],
    });
  });

  it('never reminds when the interval is 0', async () => {
    const world = driftedWorld();
    const first = transition(inSync(), await observe(world, detect), options(1)).status!;
    const later = { ...options(10_000), reminderMs: 0 };
    expect(transition(first, await observe(world, detect), later)).toEqual({ alerts: [], events: [] });
  });

  it('alerts again, with its events, when the drift changes', async () => {
    const world = driftedWorld();
    const first = transition(inSync(), await observe(world, detect), options(1)).status!;
    world.buckets.get(SOURCE_BUCKET)!.configurations.set('other', makeConfiguration({ Id: 'other' }));

    const changed = transition(first, await observe(world, detect), options(2));
    expect(changed.alerts.map((alert) => [alert.type, alert.summary, alert.since])).toEqual([
      [
        'drift-detected',
        'Drift on source-bucket: 2 changes not applied (detect mode); unmanaged configurations other, stray left in place',
        at(2).toISOString(),
      ],
    ]);
    expect(changed.events.map((event) => event.configId ?? event.target)).toEqual([
      DESTINATION_BUCKET,
      'daily-csv',
      'other',
      'stray',
    ]);
    expect(changed.status).toMatchObject({ state: 'drifted', since: at(1).toISOString(), version: 3 });
    expect(changed.status!.conditions.drift!.since).toBe(at(2).toISOString());
  });

  it('tells a changed configuration apart by the fields that differ', async () => {
    const world = createMemoryEstate()
      .addBucket(SOURCE_BUCKET, {
        configurations: [makeConfiguration({ Schedule: { Frequency: 'Weekly' } })],
      })
      .addBucket(DESTINATION_BUCKET);
    const first = transition(inSync(), await observe(world, detect), options(1)).status!;
    expect(transition(first, await observe(world, detect), options(2)).alerts).toEqual([]);
    world.buckets
      .get(SOURCE_BUCKET)!
      .configurations.set(
        'daily-csv',
        makeConfiguration({ Schedule: { Frequency: 'Weekly' }, IsEnabled: false }),
      );
    const alerts = transition(first, await observe(world, detect), options(3)).alerts;
    expect(alerts.map((alert) => alert.type)).toEqual(['drift-detected']);
    expect(alerts[0]!.detail).toMatchObject({
      notApplied: [
        expect.anything(),
        {
          key: 'update-configuration:daily-csv',
          fields: expect.arrayContaining([{ path: 'IsEnabled', desired: true, actual: false }]),
        },
      ],
    });
  });

  it('says drift-resolved and records it when drift clears without this run changing anything', async () => {
    const world = driftedWorld();
    const first = transition(inSync(), await observe(world, detect), options(1)).status!;
    const declaredAll = makeDesiredBucket([makeConfiguration(), makeConfiguration({ Id: 'stray' })]);
    await observe(world, declaredAll); // someone else fixes it (here: enforce once, outside the status)

    const resolved = transition(first, await observe(world, declaredAll), options(2));
    const summary = `Drift on source-bucket resolved (was: ${first.conditions.drift!.summary})`;
    expect(resolved.alerts).toEqual([
      {
        type: 'drift-resolved',
        ...envelope('run-2'),
        summary,
        detail: { resolved: 'drift', was: first.conditions.drift },
      },
    ]);
    expect(resolved.events).toEqual([
      {
        eventId: auditEventId({
          runId: 'run-2',
          bucket: SOURCE_BUCKET,
          action: 'drift-resolved',
          subject: 'resolved:drift',
          change: { before: first.conditions.drift },
        }),
        time: at(2).toISOString(),
        runId: 'run-2',
        bucket: SOURCE_BUCKET,
        action: 'drift-resolved',
        actor: 'reconciler',
        before: first.conditions.drift,
        message: summary,
      },
    ]);
    expect(resolved.status).toEqual({
      bucket: SOURCE_BUCKET,
      state: 'in-sync',
      since: at(2).toISOString(),
      conditions: {},
      runId: 'run-2',
      version: 3,
    });
  });

  it('says one drift-resolved for changes applied, recording the drift it clears', async () => {
    const world = driftedWorld();
    const first = transition(inSync(), await observe(world, detect), options(1)).status!;
    const enforce = makeDesiredBucket([makeConfiguration(), makeConfiguration({ Id: 'stray' })]);

    const fixed = transition(first, await observe(world, enforce), options(2));
    expect(fixed.alerts).toEqual([
      {
        type: 'drift-resolved',
        ...envelope('run-2'),
        summary: 'Drift on source-bucket resolved: 2 changes applied',
        detail: {
          applied: [
            { key: 'grant-destination:inventory-reports', reason: expect.any(String) },
            { key: 'create-configuration:daily-csv', reason: expect.any(String) },
          ],
        },
      },
    ]);
    expect(fixed.events.map((event) => [event.action, event.message])).toEqual([
      [
        'drift-resolved',
        `Drift on source-bucket resolved: fixed by this run (was: ${first.conditions.drift!.summary})`,
      ],
    ]);
    expect(fixed.status).toMatchObject({ state: 'in-sync', conditions: {} });
  });

  it('says drift-resolved for changes applied to a bucket in sync without writing its status', async () => {
    const world = createMemoryEstate().addBucket(SOURCE_BUCKET).addBucket(DESTINATION_BUCKET);
    const change = transition(
      inSync(),
      await observe(world, makeDesiredBucket([makeConfiguration()])),
      options(3),
    );
    expect(change.alerts.map((alert) => [alert.type, alert.summary])).toEqual([
      ['drift-resolved', 'Drift on source-bucket resolved: 2 changes applied'],
    ]);
    expect(change.events).toEqual([]); // apply recorded the changes themselves
    expect(change.status).toBeUndefined();
  });

  it('carries the exact statement in action-required and records it, once', async () => {
    const world = createMemoryEstate()
      .addBucket(SOURCE_BUCKET, { configurations: [makeConfiguration()] })
      .addBucket(DESTINATION_BUCKET, { writable: false });
    const desired = makeDesiredBucket([makeConfiguration()]);
    const change = transition(inSync(), await observe(world, desired), options(1));
    const statement = {
      Sid: 'S3irInventoryDelivery',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: [`arn:aws:s3:::${DESTINATION_BUCKET}/*`],
      Condition: {
        ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::*' },
        StringEquals: { 'aws:SourceAccount': SOURCE_ACCOUNT, 's3:x-amz-acl': 'bucket-owner-full-control' },
      },
    };
    const message =
      'Bucket source-bucket, configuration daily-csv: destination bucket inventory-reports policy does not allow the delivery and this service may not change it; its owner must add the statement';
    expect(change.alerts).toEqual([
      {
        type: 'action-required',
        ...envelope('run-1'),
        summary: message,
        since: at(1).toISOString(),
        target: DESTINATION_BUCKET,
        statement,
        detail: { kind: 'destination-grant-required', configId: 'daily-csv' },
      },
    ]);
    expect(change.events).toEqual([
      expect.objectContaining({
        action: 'action-required',
        configId: 'daily-csv',
        target: DESTINATION_BUCKET,
        message,
        after: statement,
      }),
    ]);
    expect(change.status).toMatchObject({ state: 'action-required', version: 2 });
    expect(transition(change.status, await observe(world, desired), options(2))).toEqual({
      alerts: [],
      events: [],
    });

    world.buckets.get(DESTINATION_BUCKET)!.writable = true; // its owner let us in: we add the grant
    const cleared = transition(change.status, await observe(world, desired), options(3));
    // One transition, one alert: the changes applied and the finding cleared, said together.
    expect(cleared.alerts.map((alert) => [alert.type, alert.summary])).toEqual([
      [
        'drift-resolved',
        `Drift on source-bucket resolved: 1 change applied; Action on source-bucket no longer required (was: ${message})`,
      ],
    ]);
    expect(cleared.events.map((event) => [event.action, event.message])).toEqual([
      ['drift-resolved', `Action on source-bucket no longer required (was: ${message})`],
    ]);
    expect(cleared.status).toMatchObject({ state: 'in-sync', conditions: {} });
  });

  it('does not re-alert a blast-radius finding whose message only says how much budget is left', async () => {
    const world = createMemoryEstate().addBucket(SOURCE_BUCKET).addBucket(DESTINATION_BUCKET);
    const desired = makeDesiredBucket([makeConfiguration()]);
    const first = transition(inSync(), await observe(world, desired, { remainingChanges: 1 }), options(1));
    expect(first.alerts.map((alert) => [alert.type, alert.summary])).toEqual([
      [
        'action-required',
        'Bucket source-bucket: the plan would make 2 changes (1 left in this run), over the blast-radius limit; every action is report-only: needs a human',
      ],
      ['drift-detected', 'Drift on source-bucket: 2 changes not applied (blast-radius guard)'],
    ]);
    const next = await observe(world, desired, { remainingChanges: 0 });
    expect(next.findings![0]!.message).toContain('(0 left in this run)');
    expect(transition(first.status, next, options(2))).toEqual({ alerts: [], events: [] });
  });

  it('alerts reconcile-failed once for the same failure, and keeps what it could not see', async () => {
    const world = driftedWorld();
    const drifted = transition(inSync(), await observe(world, detect), options(1)).status!;
    const failure = 'AccessDenied: Access Denied (Request ID: 4442587FB7D0A2F9)';

    const failed = transition(drifted, observeFailure(SOURCE_BUCKET, failure), options(2));
    expect(failed.alerts).toEqual([
      {
        type: 'reconcile-failed',
        bucket: SOURCE_BUCKET,
        runId: 'run-2',
        summary: `Reconcile of source-bucket failed: ${failure}`,
        since: at(2).toISOString(),
        detail: { problems: [failure] },
      },
    ]);
    expect(failed.events).toEqual([]); // recorded where it happened (reconcileBucket)
    expect(failed.status).toMatchObject({ state: 'failed', since: at(2).toISOString() });
    expect(failed.status!.conditions.drift).toEqual(drifted.conditions.drift); // not seen: kept

    const again = observeFailure(SOURCE_BUCKET, 'AccessDenied: Access Denied (Request ID: 0C3F9A22D4E1B7C8)');
    expect(transition(failed.status, again, options(3))).toEqual({ alerts: [], events: [] });

    const recovered = transition(failed.status, await observe(world, detect), options(4));
    expect(recovered.alerts.map((alert) => [alert.type, alert.summary])).toEqual([
      [
        'drift-resolved',
        `Reconcile of source-bucket recovered (was: Reconcile of source-bucket failed: ${failure})`,
      ],
    ]);
    expect(recovered.events.map((event) => event.eventId)).toEqual([
      auditEventId({
        runId: 'run-4',
        bucket: SOURCE_BUCKET,
        action: 'drift-resolved',
        subject: 'resolved:failure',
        change: { before: failed.status!.conditions.failure },
      }),
    ]);
    expect(recovered.status).toMatchObject({ state: 'drifted', since: at(4).toISOString() });
    expect(recovered.status!.conditions).toEqual({ drift: drifted.conditions.drift });
  });

  it('says one drift-resolved when a failed bucket recovers and this run applies its changes', async () => {
    const world = createMemoryEstate().addBucket(SOURCE_BUCKET).addBucket(DESTINATION_BUCKET);
    const failure = 'AccessDeniedError: AccessDenied on HeadBucket source-bucket (403)';
    const failed = transition(inSync(), observeFailure(SOURCE_BUCKET, failure), options(1)).status!;
    expect(failed.state).toBe('failed');

    const enforce = makeDesiredBucket([makeConfiguration()]);
    const recovered = transition(failed, await observe(world, enforce), options(2));
    expect(recovered.alerts).toHaveLength(1);
    expect(recovered.alerts[0]).toMatchObject({
      type: 'drift-resolved',
      bucket: SOURCE_BUCKET,
      runId: 'run-2',
      summary: `Drift on source-bucket resolved: 2 changes applied; Reconcile of source-bucket recovered (was: Reconcile of source-bucket failed: ${failure})`,
      detail: { resolved: 'failure', was: failed.conditions.failure },
    });
    expect((recovered.alerts[0]!.detail as { applied: unknown[] }).applied).toHaveLength(2);
    // The audit trail still says what cleared, once.
    expect(recovered.events.map((event) => event.action)).toEqual(['drift-resolved']);
    expect(recovered.status).toMatchObject({ state: 'in-sync', conditions: {} });
  });

  it('holds several conditions at once, the worst one naming the state', async () => {
    const world = createMemoryEstate()
      .addBucket(SOURCE_BUCKET, { configurations: [makeConfiguration({ Id: 'stray' })] })
      .addBucket(DESTINATION_BUCKET, { writable: false });
    const desired = makeDesiredBucket([makeConfiguration()], { mode: 'detect' });
    desired.items.push({ bucket: SOURCE_BUCKET, id: 'bad', configuration: { Id: 'bad' } });
    const change = transition(undefined, await observe(world, desired), options(1));
    expect(change.alerts.map((alert) => alert.type)).toEqual([
      'reconcile-failed',
      'action-required',
      'drift-detected',
    ]);
    expect(change.status).toMatchObject({ state: 'failed', version: 1 });
    expect(Object.keys(change.status!.conditions).sort()).toEqual(['action-required', 'drift', 'failure']);

    // Only the failure clears: the others hold unchanged, so one alert, and the state steps down.
    desired.items.pop();
    const next = transition(change.status, await observe(world, desired), options(2));
    expect(next.alerts.map((alert) => alert.type)).toEqual(['drift-resolved']);
    expect(next.status).toMatchObject({ state: 'action-required', since: at(2).toISOString(), version: 2 });
  });

  it('keeps every condition as it was when the run saw only a failure, on a bucket never seen', () => {
    const change = transition(undefined, observeFailure(SOURCE_BUCKET, 'NoSuchBucket: gone'), options(0));
    expect(change.status).toMatchObject({ state: 'failed', version: 1 });
    expect(Object.keys(change.status!.conditions)).toEqual(['failure']);
  });
});

describe('observeOutcome()', () => {
  it('observes nothing for a bucket with nothing declared', () => {
    expect(observeOutcome({ bucket: 'b', status: 'not-declared', attempts: 0 })).toBeUndefined();
  });

  it('observes a failure of the whole run when there is no plan', () => {
    expect(observeOutcome({ bucket: 'b', status: 'failed', attempts: 0, failure: 'NoSuchBucket' })).toEqual({
      bucket: 'b',
      applied: [],
      failures: ['NoSuchBucket'],
      failureEvents: [{ subject: 'reconcile', message: 'Reconcile of b failed: NoSuchBucket' }],
    });
  });
});
