import { describe, expect, it } from 'vitest';
import { alertsFor, failureAlert } from '../../../lib/alerts/index.js';
import { apply } from '../../../lib/reconcile/apply.js';
import { plan } from '../../../lib/reconcile/plan.js';
import type { DesiredBucket } from '../../../lib/reconcile/types.js';
import { makeConfiguration } from '../../helpers/factories.js';
import { createMemoryEstate, type MemoryEstate } from '../../helpers/memoryEstate.js';
import {
  DESTINATION_BUCKET,
  makeDesiredBucket,
  SOURCE_ACCOUNT,
  SOURCE_BUCKET,
} from '../../helpers/reconcileFactories.js';

const context = { runId: 'run-1', actor: 'reconciler' };

async function alertsAfter(world: MemoryEstate, desired: DesiredBucket) {
  const made = plan(desired, world.configurationsOf(SOURCE_BUCKET), world.factsFor(SOURCE_BUCKET));
  return alertsFor(made, await apply(made, world, context), context);
}

const envelope = { bucket: SOURCE_BUCKET, account: SOURCE_ACCOUNT, region: 'us-east-1', runId: 'run-1' };

describe('alertsFor()', () => {
  it('says drift-resolved when changes were applied and the bucket converged', async () => {
    const world = createMemoryEstate().addBucket(SOURCE_BUCKET).addBucket(DESTINATION_BUCKET);
    const alerts = await alertsAfter(world, makeDesiredBucket([makeConfiguration()]));
    expect(alerts.map(({ detail, ...rest }) => rest)).toEqual([
      { type: 'drift-resolved', ...envelope, summary: 'Drift on source-bucket resolved: 2 changes applied' },
    ]);
  });

  it('says drift-detected for detect mode and unmanaged configurations left in place', async () => {
    const world = createMemoryEstate()
      .addBucket(SOURCE_BUCKET, { configurations: [makeConfiguration({ Id: 'stray' })] })
      .addBucket(DESTINATION_BUCKET);
    const alerts = await alertsAfter(world, makeDesiredBucket([makeConfiguration()], { mode: 'detect' }));
    expect(alerts).toEqual([
      {
        type: 'drift-detected',
        ...envelope,
        summary:
          'Drift on source-bucket: 2 changes not applied (detect mode); unmanaged configuration stray left in place',
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
  });

  it('names the blast-radius guard when it made the plan report-only', async () => {
    const world = createMemoryEstate().addBucket(SOURCE_BUCKET).addBucket(DESTINATION_BUCKET);
    const desired = makeDesiredBucket([makeConfiguration()]);
    const made = plan(desired, [], world.factsFor(SOURCE_BUCKET), { remainingChanges: 1 });
    const alerts = alertsFor(made, await apply(made, world, context), context);
    expect(alerts.map((alert) => [alert.type, alert.summary])).toEqual([
      ['drift-detected', 'Drift on source-bucket: 2 changes not applied (blast-radius guard)'],
      [
        'action-required',
        'Bucket source-bucket: the plan would make 2 changes (1 left in this run), over the blast-radius limit; every action is report-only: needs a human',
      ],
    ]);
  });

  it('says reconcile-failed with the first failure and how many more', async () => {
    const world = createMemoryEstate()
      .addBucket(SOURCE_BUCKET)
      .addBucket(DESTINATION_BUCKET, { writable: false, readable: true });
    world.buckets.get(DESTINATION_BUCKET)!.writable = true;
    world.injectFault({
      operation: 'bucketPolicy.put',
      error: Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }),
    });
    const desired = makeDesiredBucket([makeConfiguration()]);
    desired.items.push({ bucket: SOURCE_BUCKET, id: 'bad', configuration: { Id: 'bad' } });
    const alerts = await alertsAfter(world, desired);
    const failed = alerts.find((alert) => alert.type === 'reconcile-failed')!;
    expect(failed.summary).toBe(
      'Reconcile of source-bucket failed: grant-destination:inventory-reports: writing policy of destination bucket inventory-reports failed: AccessDenied: Access Denied (and 1 more)',
    );
  });

  it('carries the exact statement in action-required when another account owns the destination', async () => {
    const world = createMemoryEstate()
      .addBucket(SOURCE_BUCKET)
      .addBucket(DESTINATION_BUCKET, { writable: false });
    const alerts = await alertsAfter(world, makeDesiredBucket([makeConfiguration()]));
    const required = alerts.find((alert) => alert.type === 'action-required')!;
    expect(required).toMatchObject({
      target: DESTINATION_BUCKET,
      summary:
        'Bucket source-bucket, configuration daily-csv: destination bucket inventory-reports policy does not allow the delivery and this service may not change it; its owner must add the statement',
      statement: {
        Sid: 'S3irInventoryDelivery',
        Effect: 'Allow',
        Principal: { Service: 's3.amazonaws.com' },
        Action: 's3:PutObject',
      },
    });
  });

  it('says nothing for a bucket in sync', async () => {
    const world = createMemoryEstate().addBucket(SOURCE_BUCKET).addBucket(DESTINATION_BUCKET);
    await alertsAfter(world, makeDesiredBucket([makeConfiguration()]));
    expect(await alertsAfter(world, makeDesiredBucket([makeConfiguration()]))).toEqual([]);
  });
});

describe('failureAlert()', () => {
  it('makes a reconcile-failed alert for a bucket that failed as a whole', () => {
    expect(failureAlert('b', 'ThrottledError: slow down', { runId: 'r' })).toEqual({
      type: 'reconcile-failed',
      bucket: 'b',
      runId: 'r',
      summary: 'Reconcile of b failed: ThrottledError: slow down',
    });
  });
});
