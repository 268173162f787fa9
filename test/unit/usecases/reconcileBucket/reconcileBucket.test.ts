import { describe, expect, it } from 'vitest';
import { observeOutcome } from '../../../../lib/core/alerts/observation.js';
import { transition } from '../../../../lib/core/alerts/transition.js';
import { RetryableReconcileError } from '../../../../lib/core/reconcile/reconcileErrors.js';
import type { StoredDesiredBucket } from '../../../../lib/usecases/ports.js';
import { reconcileBucket } from '../../../../lib/usecases/reconcileBucket/reconcileBucket.js';
import { makeConfiguration, makeKmsConfiguration } from '../../../helpers/factories.js';
import { createMemoryEstate, type MemoryEstate } from '../../../helpers/memoryEstate.js';
import {
  accountDestinationGrant,
  DESTINATION_BUCKET,
  foreignStatement,
  KEY_ARN,
  makeDesiredBucket,
  makePolicy,
  SOURCE_ACCOUNT,
  SOURCE_BUCKET,
} from '../../../helpers/reconcileFactories.js';
import { cachedFacts, depsFor, FakeAdapterError } from './reconcileFakes.js';

function estate(): MemoryEstate {
  return createMemoryEstate()
    .addBucket(SOURCE_BUCKET, { configurations: [makeConfiguration({ Id: 'stray' })] })
    .addBucket(DESTINATION_BUCKET, { policy: makePolicy([foreignStatement()]) })
    .addKey(KEY_ARN);
}

const desired = makeDesiredBucket([makeConfiguration(), makeKmsConfiguration(KEY_ARN, { Id: 'kms' })]);
const actions = (estateUnder: MemoryEstate) => estateUnder.events.map((event) => event.action);

describe('reconcileBucket()', () => {
  it('converges a bucket, grants first, and records one event per change', async () => {
    const world = estate();
    const outcome = await reconcileBucket(SOURCE_BUCKET, depsFor(world, desired));

    expect(outcome).toMatchObject({ bucket: SOURCE_BUCKET, status: 'drift-reported', attempts: 1 });
    expect(world.configurationsOf(SOURCE_BUCKET).map((c) => c.Id)).toEqual(['daily-csv', 'kms', 'stray']);
    expect(world.policyOf(DESTINATION_BUCKET)!.Statement).toEqual(
      expect.arrayContaining([foreignStatement()]),
    );
    expect(actions(world)).toEqual([
      'destination-policy-updated',
      'key-policy-updated',
      'inventory-created',
      'inventory-created',
      // stray is unmanaged (no prune): its drift-detected event comes from the status transition, once
    ]);
  });

  it('is idempotent: a second run changes nothing and reports in-sync', async () => {
    const world = estate();
    const prune = { ...desired, prune: true };
    await reconcileBucket(SOURCE_BUCKET, depsFor(world, prune));
    const writes = world.writes().length;

    const again = await reconcileBucket(
      SOURCE_BUCKET,
      depsFor(world, prune, { context: { runId: 'r2', actor: 'x' } }),
    );

    expect(again.status).toBe('in-sync');
    expect(world.writes()).toHaveLength(writes);
  });

  it('returns not-declared without a call when the bucket has no desired state', async () => {
    const world = estate();
    expect(await reconcileBucket('elsewhere', depsFor(world, desired))).toEqual({
      bucket: 'elsewhere',
      status: 'not-declared',
      attempts: 0,
    });
    expect(world.calls).toEqual([]);
  });

  it('only reports in detect mode', async () => {
    const world = estate();
    const outcome = await reconcileBucket(SOURCE_BUCKET, depsFor(world, { ...desired, mode: 'detect' }));
    expect(outcome.status).toBe('drift-reported');
    expect(world.writes()).toEqual([]);
  });

  it('re-plans when another worker changed a shared destination policy since the facts were read', async () => {
    const world = estate();
    // Another account's worker wrote our statement for its account in the meantime.
    const otherGrant = accountDestinationGrant(['999988887777']);
    const facts = cachedFacts(world, (read) => {
      if (read === 1)
        world.buckets.get(DESTINATION_BUCKET)!.policy = JSON.stringify(
          makePolicy([foreignStatement(), otherGrant]),
        );
    });
    const single = makeDesiredBucket([makeConfiguration()]);

    const outcome = await reconcileBucket(SOURCE_BUCKET, depsFor(world, single, { facts }));

    expect(outcome).toMatchObject({ attempts: 2 });
    expect(facts.invalidated).toEqual([{ destination: DESTINATION_BUCKET }]);
    expect(world.policyOf(DESTINATION_BUCKET)!.Statement).toEqual([
      foreignStatement(),
      accountDestinationGrant(['999988887777', SOURCE_ACCOUNT]),
    ]);
  });

  it('gives up as retryable after three re-plans that all conflict', async () => {
    const world = estate();
    const facts = cachedFacts(world, (read) => {
      world.buckets.get(DESTINATION_BUCKET)!.policy = JSON.stringify(
        makePolicy([foreignStatement(`Other${read}`)]),
      );
    });
    facts.invalidate = () => {}; // the cache never learns: every plan is stale

    const run = reconcileBucket(
      SOURCE_BUCKET,
      depsFor(world, makeDesiredBucket([makeConfiguration()]), { facts }),
    );

    await expect(run).rejects.toMatchObject({ name: 'RetryableReconcileError', reason: 'conflict' });
    expect(facts.reads).toBe(4);
  });

  it('throws a retryable error when a write is throttled', async () => {
    const world = estate().injectFault({
      operation: 'inventory.put',
      error: new FakeAdapterError('SlowDown', true),
    });
    const run = reconcileBucket(SOURCE_BUCKET, depsFor(world, desired));
    await expect(run).rejects.toBeInstanceOf(RetryableReconcileError);
    await expect(run).rejects.toMatchObject({ reason: 'transient' });
  });

  it('records and returns AccessDenied on a write: terminal, not thrown', async () => {
    // On a configuration: AccessDenied on a policy write is action-required instead (applyGuard.test.ts).
    const world = estate().injectFault({
      operation: 'inventory.put',
      error: new FakeAdapterError('AccessDeniedException', false),
    });
    const outcome = await reconcileBucket(SOURCE_BUCKET, depsFor(world, desired));

    expect(outcome.status).toBe('failed');
    expect(outcome.failure).toMatch(/AccessDeniedException/);
    expect(actions(world)).toContain('reconcile-failed');
  });

  it('returns a terminal failure to list the bucket for the status step to record, writing nothing itself', async () => {
    const world = estate().injectFault({
      operation: 'inventory.list',
      error: new FakeAdapterError('AccessDenied', false),
    });
    const outcome = await reconcileBucket(SOURCE_BUCKET, depsFor(world, desired));
    expect(outcome).toMatchObject({ status: 'failed', attempts: 1 });
    // Recorded when the failure appears or changes (lib/core/alerts/conditions.ts), not at every run.
    expect(world.events).toEqual([]);
    expect(observeOutcome(outcome)?.failureEvents).toEqual([
      {
        subject: 'reconcile',
        message: expect.stringMatching(new RegExp(`^Reconcile of ${SOURCE_BUCKET} failed: .*AccessDenied`)),
      },
    ]);
  });

  it('throws when reading fails transiently, before anything is written', async () => {
    const world = estate().injectFault({
      operation: 'inventory.list',
      error: new FakeAdapterError('InternalError', true),
    });
    await expect(reconcileBucket(SOURCE_BUCKET, depsFor(world, desired))).rejects.toMatchObject({
      reason: 'transient',
    });
    expect(world.writes()).toEqual([]);
  });

  it('refuses invalid desired configurations (for the status step to record) and still converges the valid ones', async () => {
    const world = estate();
    const bad = { bucket: SOURCE_BUCKET, id: 'bad', configuration: { Id: 'bad', IsEnabled: 'yes' } };
    const outcome = await reconcileBucket(
      SOURCE_BUCKET,
      depsFor(world, {
        ...makeDesiredBucket([makeConfiguration()]),
        items: [bad, ...makeDesiredBucket([makeConfiguration()]).items],
      }),
    );
    expect(outcome.status).toBe('failed');
    expect(world.configurationsOf(SOURCE_BUCKET).map((c) => c.Id)).toContain('daily-csv');
    expect(world.events.filter((event) => event.action === 'reconcile-failed')).toEqual([]);
    expect(observeOutcome(outcome)?.failureEvents).toEqual([
      {
        subject: 'invalid-desired:bad',
        configId: 'bad',
        message: expect.stringContaining('"bad" is invalid'),
      },
    ]);
  });

  it('retries when a write reads back differently (dropped write)', async () => {
    const world = estate().injectFault({ operation: 'inventory.put', effect: 'drop' });
    await expect(reconcileBucket(SOURCE_BUCKET, depsFor(world, desired))).rejects.toMatchObject({
      reason: 'unverified',
    });
  });

  it('retries when the audit sink refuses an event', async () => {
    const world = estate().injectFault({ operation: 'audit.record', error: new Error('down') });
    await expect(reconcileBucket(SOURCE_BUCKET, depsFor(world, desired))).rejects.toMatchObject({
      reason: 'unverified',
    });
  });

  it('learns the region only when the desired state does not keep it', async () => {
    const world = estate();
    let asked = 0;
    const facts = cachedFacts(world);
    facts.bucketRegion = async () => {
      asked++;
      return 'us-east-1';
    };
    await reconcileBucket(SOURCE_BUCKET, depsFor(world, { ...desired, region: 'us-east-1' }, { facts }));
    expect(asked).toBe(0);
    await reconcileBucket(SOURCE_BUCKET, depsFor(world, desired, { facts }));
    expect(asked).toBe(1);
  });
});

describe('reconcileBucket() with where the scheduler saw the bucket', () => {
  /** Deps whose desired read waits until released, and whose inventory ports log their scope. */
  function hinted(world: MemoryEstate, stored: StoredDesiredBucket, list?: () => Promise<never>) {
    const log: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const deps = depsFor(world, stored, {
      desired: {
        getBucket: async (bucket) => {
          log.push('getBucket');
          await gate;
          log.push('getBucket done');
          return bucket === stored.bucket ? stored : undefined;
        },
      },
      inventoryFor: (scope) => ({
        ...world.inventory,
        list: (bucket) => {
          log.push(`list ${scope.region} ${scope.account ?? 'home'}`);
          return list ? list() : world.inventory.list(bucket);
        },
      }),
    });
    return { deps, log, release };
  }

  const inRegion = { ...desired, region: 'eu-west-1' } as StoredDesiredBucket;

  it('lists the bucket while its desired state is read, and plans on that listing', async () => {
    const world = estate();
    const { deps, log, release } = hinted(world, inRegion);
    const reconciling = reconcileBucket(SOURCE_BUCKET, deps, { location: { region: 'eu-west-1' } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['list eu-west-1 home', 'getBucket']);
    release();
    const outcome = await reconciling;
    expect(outcome).toMatchObject({ status: 'drift-reported', attempts: 1 });
    expect(log).toEqual(['list eu-west-1 home', 'getBucket', 'getBucket done']);
    expect(world.configurationsOf(SOURCE_BUCKET).map((c) => c.Id)).toEqual(['daily-csv', 'kms', 'stray']);
  });

  it('lists again where the desired state puts the bucket when the hint says elsewhere', async () => {
    const world = estate();
    const { deps, log, release } = hinted(world, inRegion);
    release();
    const allowed = await deps.allowedAccounts();
    const outcome = await reconcileBucket(
      SOURCE_BUCKET,
      { ...deps, allowedAccounts: async () => new Set([...allowed, '210987654321']) },
      { location: { region: 'us-east-2', account: '210987654321' } },
    );
    expect(outcome.status).toBe('drift-reported');
    expect(log.filter((line) => line.startsWith('list'))).toEqual([
      'list us-east-2 210987654321',
      'list eu-west-1 home',
    ]);
  });

  it('never lists ahead in an account the hint names that is not allowed (the hint comes from the table)', async () => {
    const world = estate();
    const { deps, log, release } = hinted(world, inRegion);
    release();
    await reconcileBucket(SOURCE_BUCKET, deps, {
      location: { region: 'us-east-2', account: '210987654321' },
    });
    expect(log.filter((line) => line.startsWith('list'))).toEqual(['list eu-west-1 home']);
  });

  it('drops the listing of a bucket nothing declares, even a failed one', async () => {
    const world = estate();
    const { deps, release } = hinted(world, { ...inRegion, bucket: 'someone-else' }, async () => {
      throw new FakeAdapterError('NoSuchBucket', false);
    });
    release();
    const outcome = await reconcileBucket(SOURCE_BUCKET, deps, { location: { region: 'eu-west-1' } });
    expect(outcome).toEqual({ bucket: SOURCE_BUCKET, status: 'not-declared', attempts: 0 });
    expect(world.events).toEqual([]);
  });

  it('fails as an unhinted reconcile does when the listing it takes fails', async () => {
    const failing = async () => {
      throw new FakeAdapterError('AccessDenied', false);
    };
    const withHint = hinted(estate(), inRegion, failing);
    const without = hinted(estate(), inRegion, failing);
    withHint.release();
    without.release();
    const hintedOutcome = await reconcileBucket(SOURCE_BUCKET, withHint.deps, {
      location: { region: 'eu-west-1' },
    });
    const plainOutcome = await reconcileBucket(SOURCE_BUCKET, without.deps);
    expect(hintedOutcome).toEqual(plainOutcome);
    expect(hintedOutcome.status).toBe('failed');
    expect(withHint.log.filter((line) => line.startsWith('list'))).toEqual(['list eu-west-1 home']);
  });
});

describe('reconcileBucket() with a bucket account setting outside the allowed accounts', () => {
  const FOREIGN = '999900001111';

  it('reads nothing in that account, changes nothing and raises one action-required alert and event', async () => {
    const world = estate();
    const log: string[] = [];
    const facts = cachedFacts(world);
    const deps = depsFor(
      world,
      { ...desired, account: FOREIGN, region: 'us-east-1' },
      {
        facts: {
          ...facts,
          read: async (request) => {
            log.push(`facts ${request.bucket}`);
            return facts.read(request);
          },
          bucketRegion: async (bucket) => {
            log.push(`region ${bucket}`);
            return 'us-east-1';
          },
        },
        inventoryFor: (scope) => {
          log.push(`inventory ${scope.account}`);
          return world.inventory;
        },
      },
    );

    const outcome = await reconcileBucket(SOURCE_BUCKET, deps, {
      location: { region: 'us-east-1', account: FOREIGN },
    });

    expect(log).toEqual([]);
    expect(world.writes()).toEqual([]);
    expect(outcome).toMatchObject({ status: 'drift-reported', attempts: 0 });
    const message = `Bucket ${SOURCE_BUCKET}: its account setting names ${FOREIGN}, which is not in S3IR_ALLOWED_ACCOUNTS; nothing is read or changed for this bucket`;
    expect(outcome.plan?.findings).toEqual([
      { kind: 'account-not-allowed', target: SOURCE_BUCKET, account: FOREIGN, message },
    ]);
    const change = transition(undefined, observeOutcome(outcome)!, {
      now: new Date('2026-03-01T00:00:00.000Z'),
      runId: 'run-1',
      actor: 'reconciler',
      reminderMs: 0,
    });
    expect(change.alerts.map((alert) => [alert.type, alert.summary, alert.detail])).toEqual([
      ['action-required', message, { kind: 'account-not-allowed', configId: undefined, account: FOREIGN }],
    ]);
    expect(change.events.map((event) => [event.action, event.target, event.message])).toEqual([
      ['action-required', SOURCE_BUCKET, message],
    ]);
  });
});
