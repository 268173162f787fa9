import { describe, expect, it } from 'vitest';
import type { BucketMessage } from '../../../../lib/usecases/reconcileMessage/bucketMessage.js';
import type { BookkeepingItem } from '../../../../lib/usecases/sweep/cleanBookkeeping.js';
import {
  runScheduledSweep,
  type ScheduledSweepDeps,
  type SweepLog,
} from '../../../../lib/usecases/sweep/scheduledSweep.js';

/** A log that keeps what was said, by level. */
function memoryLog(): SweepLog & { lines: string[] } {
  const lines: string[] = [];
  const say = (level: string) => (message: string) => {
    lines.push(`${level} ${message}`);
  };
  return { lines, info: say('info'), warn: say('warn'), error: say('error') };
}

function broken(what: string): never {
  throw new Error(`${what} unavailable`);
}

/** A sweep over two declared buckets, with one bookkeeping item of a bucket no longer declared. */
function deps(overrides: Partial<ScheduledSweepDeps> = {}) {
  const enqueued: BucketMessage[] = [];
  const removed: string[] = [];
  const bookkeeping: BookkeepingItem[] = [
    { kind: 'status', bucket: 'photos', key: { bucket: 'photos', id: '#status' } },
    { kind: 'status', bucket: 'gone', key: { bucket: 'gone', id: '#status' } },
  ];
  const sweepDeps: ScheduledSweepDeps = {
    catalog: async () => ({ buckets: ['logs', 'photos'], templates: [] }),
    buckets: { accountBuckets: async () => [], bucketsTagged: async () => [] },
    queue: {
      enqueue: async (messages: readonly BucketMessage[]) => {
        enqueued.push(...messages);
      },
    } as ScheduledSweepDeps['queue'],
    bookkeeping: {
      list: async () => bookkeeping,
      remove: async (item) => {
        removed.push(item.bucket);
        return true;
      },
    },
    brakeStore: { currentHold: async () => undefined } as unknown as ScheduledSweepDeps['brakeStore'],
    templateStatus: {
      status: { get: async () => undefined },
    } as unknown as ScheduledSweepDeps['templateStatus'],
    grants: {
      bounds: async () => broken('organization'),
      portsForSweep: () => broken('policies'),
    },
    ...overrides,
  };
  return { sweepDeps, enqueued, removed };
}

describe('runScheduledSweep()', () => {
  it('enqueues every declared bucket with the run id and removes the bookkeeping of buckets no longer swept', async () => {
    const { sweepDeps, enqueued, removed } = deps();
    const log = memoryLog();
    const { report, hold } = await runScheduledSweep(sweepDeps, 'sweep-1', log);
    expect(enqueued.map(({ bucket, runId, reason }) => [bucket, runId, reason])).toEqual([
      ['logs', 'sweep-1', 'schedule'],
      ['photos', 'sweep-1', 'schedule'],
    ]);
    expect(removed).toEqual(['gone']);
    expect(report).toMatchObject({
      runId: 'sweep-1',
      buckets: 2,
      bookkeepingRemoved: 1,
      templatesRefused: 0,
    });
    expect(hold).toBe(0);
  });

  it('still enqueues every bucket when the grant step fails, and says the reconciles grant instead', async () => {
    const { sweepDeps, enqueued } = deps();
    const log = memoryLog();
    const { report } = await runScheduledSweep(sweepDeps, 'sweep-2', log);
    expect(enqueued).toHaveLength(2);
    expect(report.grants).toBeUndefined();
    expect(log.lines).toContain('error grants not planned: the reconciles grant bucket by bucket');
  });

  it('logs a failed anchor, cleanup and hold read without failing the sweep', async () => {
    const { sweepDeps, enqueued } = deps({
      anchors: { store: undefined } as unknown as ScheduledSweepDeps['anchors'],
      bookkeeping: { list: async () => broken('state table'), remove: async () => false },
      brakeStore: {
        currentHold: async () => broken('hold'),
      } as unknown as ScheduledSweepDeps['brakeStore'],
    });
    const log = memoryLog();
    const { report, hold } = await runScheduledSweep(sweepDeps, 'sweep-3', log);
    expect(enqueued).toHaveLength(2);
    expect(report).toMatchObject({ bookkeepingRemoved: 0, anchored: undefined });
    expect(hold).toBeUndefined();
    expect(log.lines).toEqual(
      expect.arrayContaining([
        'error bookkeeping not read: the next sweep cleans it',
        'error audit not anchored: auditAnchor does at its next tick',
        'error hold not read: HoldActive not emitted this sweep',
      ]),
    );
  });

  it('resolves the organization once, before the catalog and the grant step (#18: same-sweep membership)', async () => {
    const order: string[] = [];
    const { sweepDeps, enqueued } = deps();
    const discovery: ScheduledSweepDeps['discovery'] = {
      refresh: async () => {
        order.push('refresh');
        return {
          membership: { accounts: {} } as never,
          allowed: ['444455556666'],
          dropped: [],
          added: ['444455556666'],
        };
      },
      templates: async () => [],
      allowedAccounts: async () => new Set(['111122223333', '444455556666']),
      homeAccount: async () => '111122223333',
      parentsOf: async () => [],
      queue: { enqueueDiscovery: async () => undefined },
    };
    const catalog = sweepDeps.catalog;
    const { report } = await runScheduledSweep(
      {
        ...sweepDeps,
        discovery,
        catalog: async () => {
          order.push('catalog');
          return catalog();
        },
        grants: {
          bounds: async () => {
            order.push('grant bounds');
            return broken('policies');
          },
          portsForSweep: () => broken('policies'),
        },
      },
      'sweep-4',
      memoryLog(),
    );
    expect(order).toEqual(['refresh', 'catalog', 'grant bounds']);
    expect(enqueued).toHaveLength(2);
    // The member-account half reports what that one resolution found.
    expect(report).toMatchObject({ accountsDropped: [] });
  });

  it('enqueues every bucket before it throws when the organization cannot be resolved', async () => {
    const { sweepDeps, enqueued } = deps();
    const discovery = {
      refresh: async () => broken('Organizations'),
      templates: async () => [],
      allowedAccounts: async () => new Set<string>(),
      homeAccount: async () => '111122223333',
      parentsOf: async () => [],
      queue: { enqueueDiscovery: async () => undefined },
    } as ScheduledSweepDeps['discovery'];
    await expect(runScheduledSweep({ ...sweepDeps, discovery }, 'sweep-5', memoryLog())).rejects.toThrow(
      'Organizations unavailable',
    );
    expect(enqueued).toHaveLength(2);
  });
});
