import { describe, expect, it } from 'vitest';
import type { DesiredBucket } from '../../../../lib/core/desired/types.js';
import { apply } from '../../../../lib/core/reconcile/apply.js';
import { plan } from '../../../../lib/core/reconcile/plan.js';
import { POLICY_LEASE_WAIT } from '../../../../lib/core/reconcile/policyLease.js';
import type {
  ApplyContext,
  LeaseWaitOptions,
  PolicyLeasePort,
} from '../../../../lib/core/reconcile/ports.js';
import type { Plan } from '../../../../lib/core/reconcile/types.js';
import { recordingPorts } from '../../../../lib/usecases/reconcileBucket/recordingPorts.js';
import { makeConfiguration, makeKmsConfiguration } from '../../../helpers/factories.js';
import { createMemoryEstate, type MemoryEstate } from '../../../helpers/memoryEstate.js';
import { createMemoryPolicyLease, type MemoryPolicyLease } from '../../../helpers/memoryPolicyLease.js';
import {
  accountDestinationGrant,
  accountKeyGrant,
  DESTINATION_BUCKET,
  foreignStatement,
  KEY_ARN,
  makeDesiredBucket,
  makePolicy,
  rootStatement,
  SOURCE_BUCKET,
} from '../../../helpers/reconcileFactories.js';

const DEST_LEASE = `destination-policy:${DESTINATION_BUCKET}`;
const KEY_LEASE = `key-policy:${KEY_ARN}`;
const OTHER_HOLDER = 'run-9/other-source/3f2a';

/** A fake clock the waits advance: no real time passes in these tests. */
function fakeTime(start = Date.parse('2026-01-02T03:04:05.000Z')) {
  const time = { now: start, sleeps: [] as number[] };
  const wait: LeaseWaitOptions = {
    clock: () => time.now,
    sleep: async (ms) => {
      time.sleeps.push(ms);
      time.now += ms;
    },
    random: () => 0.5,
  };
  return { time, wait };
}

/** The source delivers SSE-KMS reports to the destination: a destination grant, a key grant, a create. */
function kmsEstate(): MemoryEstate {
  return createMemoryEstate()
    .addBucket(SOURCE_BUCKET)
    .addBucket(DESTINATION_BUCKET)
    .addKey(KEY_ARN, { policy: makePolicy([rootStatement()]) });
}

const kmsDesired = (): DesiredBucket => makeDesiredBucket([makeKmsConfiguration(KEY_ARN)]);

function planFor(estate: MemoryEstate, desired: DesiredBucket): Plan {
  return plan(desired, estate.configurationsOf(SOURCE_BUCKET), estate.factsFor(SOURCE_BUCKET));
}

function withLease(estate: MemoryEstate, lease: PolicyLeasePort): MemoryEstate {
  return { ...estate, policyLease: lease };
}

function contextWith(wait: LeaseWaitOptions): ApplyContext {
  return { runId: 'run-1', actor: 'reconciler', leaseWait: wait };
}

/** Another worker holds `key` until `expiresAt` (ms). */
function heldByOther(lease: MemoryPolicyLease, key: string, expiresAt: number): void {
  lease.held.set(key, { holder: OTHER_HOLDER, expiresAt });
}

describe('apply() with policy leases', () => {
  it('holds the lease of each policy around its read, write and re-read, and takes none for a configuration', async () => {
    const estate = kmsEstate();
    const { time, wait } = fakeTime();
    const lease = createMemoryPolicyLease({ now: () => time.now, log: estate.calls });

    const result = await apply(planFor(estate, kmsDesired()), withLease(estate, lease), contextWith(wait));

    expect(result.converged).toBe(true);
    expect(estate.calls).toEqual([
      `lease.acquire ${DEST_LEASE}`,
      `bucketPolicy.get ${DESTINATION_BUCKET}`,
      `bucketPolicy.put ${DESTINATION_BUCKET}`,
      `bucketPolicy.get ${DESTINATION_BUCKET}`,
      `lease.release ${DEST_LEASE}`,
      `audit.record ${SOURCE_BUCKET} destination-policy-updated`,
      `lease.acquire ${KEY_LEASE}`,
      `keyPolicy.get ${KEY_ARN}`,
      `keyPolicy.put ${KEY_ARN}`,
      `keyPolicy.get ${KEY_ARN}`,
      `lease.release ${KEY_LEASE}`,
      `audit.record ${SOURCE_BUCKET} key-policy-updated`,
      `inventory.put ${SOURCE_BUCKET} daily-csv`,
      `inventory.get ${SOURCE_BUCKET} daily-csv`,
      `audit.record ${SOURCE_BUCKET} inventory-created`,
    ]);
    expect([...lease.held.keys()]).toEqual([]);
    expect(time.sleeps).toEqual([]);
  });

  it('names each apply as a distinct holder: its run, its bucket and a UUID', async () => {
    const holders: string[] = [];
    const inner = createMemoryPolicyLease();
    const spy: PolicyLeasePort = {
      tryAcquire: (key, holder) => {
        holders.push(holder);
        return inner.tryAcquire(key, holder);
      },
    };
    for (let i = 0; i < 2; i++) {
      const estate = kmsEstate();
      await apply(planFor(estate, kmsDesired()), withLease(estate, spy), contextWith(fakeTime().wait));
    }
    const shape = new RegExp(`^run-1/${SOURCE_BUCKET}/[0-9a-f-]{36}$`);
    expect(holders).toHaveLength(4);
    for (const holder of holders) expect(holder).toMatch(shape);
    // One holder for both leases of one apply; another apply is another holder.
    expect(holders[0]).toBe(holders[1]);
    expect(holders[2]).not.toBe(holders[0]);
  });

  it('releases the lease after a conflict, and writes nothing', async () => {
    const estate = kmsEstate();
    const planned = planFor(estate, makeDesiredBucket([makeConfiguration()]));
    // Another worker changed the destination policy after the plan was made.
    estate.buckets.get(DESTINATION_BUCKET)!.policy = JSON.stringify(makePolicy([foreignStatement()]));
    const { time, wait } = fakeTime();
    const lease = createMemoryPolicyLease({ now: () => time.now, log: estate.calls });

    const result = await apply(planned, withLease(estate, lease), contextWith(wait));

    expect(result.outcomes[0]).toEqual({
      key: `grant-destination:${DESTINATION_BUCKET}`,
      kind: 'grant-destination',
      status: 'conflict',
      error: `policy of destination bucket ${DESTINATION_BUCKET} changed since the plan was made`,
    });
    expect(estate.calls.slice(0, 3)).toEqual([
      `lease.acquire ${DEST_LEASE}`,
      `bucketPolicy.get ${DESTINATION_BUCKET}`,
      `lease.release ${DEST_LEASE}`,
    ]);
    expect(estate.writes()).toEqual([]);
    expect(lease.held.size).toBe(0);
  });

  it('releases the lease after a failed write, and the action fails naming the step', async () => {
    const estate = kmsEstate().injectFault({
      operation: 'keyPolicy.put',
      error: Object.assign(new Error('rate exceeded'), { name: 'ThrottlingException' }),
    });
    const { time, wait } = fakeTime();
    const lease = createMemoryPolicyLease({ now: () => time.now, log: estate.calls });

    const result = await apply(planFor(estate, kmsDesired()), withLease(estate, lease), contextWith(wait));

    expect(result.outcomes.map(({ key, status }) => [key, status])).toEqual([
      [`grant-destination:${DESTINATION_BUCKET}`, 'applied'],
      [`grant-key:${KEY_ARN}`, 'failed'],
      ['create-configuration:daily-csv', 'skipped'],
    ]);
    expect(result.outcomes[1]!.error).toBe(
      `writing policy of KMS key ${KEY_ARN} failed: ThrottlingException: rate exceeded`,
    );
    expect(estate.calls).toContain(`lease.release ${KEY_LEASE}`);
    expect(estate.calls.indexOf(`lease.release ${KEY_LEASE}`)).toBeGreaterThan(
      estate.calls.indexOf(`keyPolicy.put ${KEY_ARN}`),
    );
    expect(lease.held.size).toBe(0);
  });

  it('ends `conflict` naming the target and the holder when the lease stays busy past the budget', async () => {
    const estate = kmsEstate();
    const { time, wait } = fakeTime();
    const lease = createMemoryPolicyLease({ now: () => time.now, log: estate.calls });
    const until = time.now + 60_000;
    heldByOther(lease, DEST_LEASE, until);

    const result = await apply(
      planFor(estate, makeDesiredBucket([makeConfiguration()])),
      withLease(estate, lease),
      contextWith({ ...wait, budgetMs: 2_000 }),
    );

    expect(result.outcomes).toEqual([
      {
        key: `grant-destination:${DESTINATION_BUCKET}`,
        kind: 'grant-destination',
        status: 'conflict',
        error:
          `policy of destination bucket ${DESTINATION_BUCKET} is being changed by another worker: ` +
          `lease ${DEST_LEASE} is held by ${OTHER_HOLDER} until ${new Date(until).toISOString()} ` +
          '(waited 2000 ms)',
      },
      {
        key: 'create-configuration:daily-csv',
        kind: 'create-configuration',
        status: 'skipped',
        error: `grant-destination:${DESTINATION_BUCKET} ended conflict`,
      },
    ]);
    // Nothing was read or written under someone else's lease, and theirs is untouched.
    expect(estate.calls.filter((call) => !call.startsWith('lease.'))).toEqual([]);
    expect(lease.held.get(DEST_LEASE)).toEqual({ holder: OTHER_HOLDER, expiresAt: until });
    // Doubling back-offs (half of each at random: 0.5 here), cut to the budget's end, never past it.
    expect(time.sleeps).toEqual([37.5, 75, 150, 300, 375, 375, 375, 312.5]);
    expect(time.sleeps.reduce((sum, ms) => sum + ms, 0)).toBe(2_000);
    expect(result.converged).toBe(false);
  });

  it('waits for a lease that is released within the budget, then applies', async () => {
    const estate = kmsEstate();
    const { time, wait } = fakeTime();
    const lease = createMemoryPolicyLease({ now: () => time.now });
    heldByOther(lease, DEST_LEASE, time.now + 60_000);
    const sleep = async (ms: number) => {
      await wait.sleep!(ms);
      // The other worker finishes after the second back-off.
      if (time.sleeps.length === 2) lease.held.delete(DEST_LEASE);
    };

    const result = await apply(
      planFor(estate, makeDesiredBucket([makeConfiguration()])),
      withLease(estate, lease),
      contextWith({ ...wait, sleep }),
    );

    expect(result.converged).toBe(true);
    expect(time.sleeps).toHaveLength(2);
    expect(estate.policyOf(DESTINATION_BUCKET)).toEqual(makePolicy([accountDestinationGrant()]));
  });

  it('takes over a lease whose holder let it expire', async () => {
    const estate = kmsEstate();
    const { time, wait } = fakeTime();
    const lease = createMemoryPolicyLease({ now: () => time.now });
    heldByOther(lease, KEY_LEASE, time.now - 1);

    const result = await apply(planFor(estate, kmsDesired()), withLease(estate, lease), contextWith(wait));

    expect(result.converged).toBe(true);
    expect(time.sleeps).toEqual([]);
    expect(estate.keyPolicyOf(KEY_ARN)).toEqual(makePolicy([rootStatement(), accountKeyGrant()]));
    expect(lease.held.size).toBe(0);
  });

  it('does not start a write the lease would not outlast', async () => {
    const estate = kmsEstate();
    const { time, wait } = fakeTime();
    // A lease shorter than the write margin: it could lapse while the write is in flight.
    const lease = createMemoryPolicyLease({ now: () => time.now, ttlMs: POLICY_LEASE_WAIT.writeMarginMs });

    const result = await apply(
      planFor(estate, makeDesiredBucket([makeConfiguration()])),
      withLease(estate, lease),
      contextWith(wait),
    );

    expect(result.outcomes[0]).toMatchObject({
      status: 'conflict',
      error: `the lease on policy of destination bucket ${DESTINATION_BUCKET} would lapse before the write ends`,
    });
    expect(estate.writes()).toEqual([]);
    expect(lease.held.size).toBe(0);
  });

  it('fails the action when the lease cannot be taken at all, and hands the error to the caller', async () => {
    const estate = kmsEstate();
    const refused = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    const errors: unknown[] = [];
    const ports = recordingPorts(
      withLease(estate, {
        tryAcquire: async () => {
          throw refused;
        },
      }),
      errors,
    );

    const result = await apply(
      planFor(estate, makeDesiredBucket([makeConfiguration()])),
      ports,
      contextWith(fakeTime().wait),
    );

    expect(result.outcomes[0]).toMatchObject({
      status: 'failed',
      error:
        `taking the lease on policy of destination bucket ${DESTINATION_BUCKET} failed: ` +
        'AccessDeniedException: not authorized',
    });
    expect(errors).toEqual([refused]);
    expect(estate.calls.filter((call) => !call.startsWith('audit.'))).toEqual([]);
  });

  it('keeps an applied write when the release fails: the lease lapses on its own', async () => {
    const estate = kmsEstate();
    const inner = createMemoryPolicyLease();
    const port: PolicyLeasePort = {
      async tryAcquire(key, holder) {
        const attempt = await inner.tryAcquire(key, holder);
        if (!attempt.acquired) return attempt;
        const release = async () => {
          throw new Error('connection reset');
        };
        return { acquired: true, lease: { expiresAt: attempt.lease.expiresAt, release } };
      },
    };

    const result = await apply(
      planFor(estate, makeDesiredBucket([makeConfiguration()])),
      withLease(estate, port),
      contextWith({}),
    );

    expect(result.converged).toBe(true);
    expect(estate.policyOf(DESTINATION_BUCKET)).toEqual(makePolicy([accountDestinationGrant()]));
  });

  it('takes no lease for report-only policy actions, nor when nothing needs changing', async () => {
    const estate = kmsEstate();
    const lease = createMemoryPolicyLease({ log: estate.calls });

    await apply(
      planFor(estate, makeDesiredBucket([makeKmsConfiguration(KEY_ARN)], { mode: 'detect' })),
      withLease(estate, lease),
      contextWith({}),
    );
    await apply(planFor(estate, kmsDesired()), withLease(estate, lease), contextWith({}));
    const converged = estate.calls.length;
    const again = planFor(estate, kmsDesired());
    await apply(again, withLease(estate, lease), contextWith({}));

    expect(estate.calls.slice(0, 1)).toEqual([`lease.acquire ${DEST_LEASE}`]);
    expect(again.actions).toEqual([]);
    expect(estate.calls.slice(converged)).toEqual([]);
  });
});
