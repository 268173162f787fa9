import { describe, expect, it } from 'vitest';
import type { LeaseAttempt, PolicyLease, PolicyLeasePort } from '../../../../../lib/core/reconcile/ports.js';

/** What the contract needs from one implementation of PolicyLeasePort. */
export interface PolicyLeaseSubject {
  /** A worker's port over the shared lease store, reading time (ms) from `now`; lease length `ttlMs`. */
  worker(now: () => number, ttlMs: number): PolicyLeasePort | Promise<PolicyLeasePort>;
  /** A lease key no other test uses. */
  newKey(): string;
}

const TTL_MS = 30_000;

function held(attempt: LeaseAttempt): PolicyLease {
  if (!attempt.acquired) throw new Error(`expected the lease, but ${attempt.heldBy.holder} holds it`);
  return attempt.lease;
}

/**
 * The rules every policy lease keeps (the memory fake of the unit tests and DynamoPolicyLease on the local
 * AWS): one holder per key; free again once released or expired; only the holder releases.
 */
export function describePolicyLeaseContract(name: string, subject: () => PolicyLeaseSubject): void {
  describe(`PolicyLeasePort contract: ${name}`, () => {
    const start = Date.now();
    const clock = () => {
      const time = { now: start };
      return { time, now: () => time.now };
    };

    it('lets two workers on the same key exclude each other until the holder releases', async () => {
      const { worker, newKey } = subject();
      const { now } = clock();
      const [a, b] = [await worker(now, TTL_MS), await worker(now, TTL_MS)];
      const key = newKey();

      const lease = held(await a.tryAcquire(key, 'worker-a'));
      expect(lease.expiresAt.getTime()).toBeGreaterThanOrEqual(start + TTL_MS);
      expect(await b.tryAcquire(key, 'worker-b')).toEqual({
        acquired: false,
        heldBy: { holder: 'worker-a', expiresAt: lease.expiresAt },
      });
      expect(await a.tryAcquire(key, 'worker-a-again')).toMatchObject({ acquired: false });

      await lease.release();
      const next = held(await b.tryAcquire(key, 'worker-b'));
      await next.release();
    });

    it('keeps leases on different keys apart', async () => {
      const { worker, newKey } = subject();
      const port = await worker(clock().now, TTL_MS);
      const first = held(await port.tryAcquire(newKey(), 'worker-a'));
      const second = held(await port.tryAcquire(newKey(), 'worker-b'));
      await Promise.all([first.release(), second.release()]);
    });

    it('gives the key to exactly one of many workers racing for it', async () => {
      const { worker, newKey } = subject();
      const { now } = clock();
      const key = newKey();
      const ports = await Promise.all(Array.from({ length: 8 }, () => worker(now, TTL_MS)));
      const attempts = await Promise.all(ports.map((port, i) => port.tryAcquire(key, `racer-${i}`)));
      const winners = attempts.filter((attempt) => attempt.acquired);
      expect(winners).toHaveLength(1);
      const winner = `racer-${attempts.indexOf(winners[0]!)}`;
      for (const attempt of attempts.filter((entry) => !entry.acquired)) {
        expect(attempt).toMatchObject({ acquired: false, heldBy: { holder: winner } });
      }
      await held(winners[0]!).release();
    });

    it('lets another worker take over an expired lease, not before', async () => {
      const { worker, newKey } = subject();
      const crashed = clock();
      const later = clock();
      const key = newKey();
      const lease = held(await (await worker(crashed.now, TTL_MS)).tryAcquire(key, 'crashed'));
      const successor = await worker(later.now, TTL_MS);

      later.time.now = lease.expiresAt.getTime() - 1_000;
      expect(await successor.tryAcquire(key, 'successor')).toMatchObject({
        acquired: false,
        heldBy: { holder: 'crashed' },
      });
      // Two seconds past the expiry: whole-second stores (DynamoDB TTL) must see it expired too.
      later.time.now = lease.expiresAt.getTime() + 2_000;
      const taken = held(await successor.tryAcquire(key, 'successor'));
      expect(taken.expiresAt.getTime()).toBeGreaterThanOrEqual(later.time.now + TTL_MS);
      await taken.release();
    });

    it('never lets a former holder release its successor’s lease', async () => {
      const { worker, newKey } = subject();
      const key = newKey();
      const lease = held(await (await worker(clock().now, TTL_MS)).tryAcquire(key, 'former'));
      const later = clock();
      later.time.now = lease.expiresAt.getTime() + 2_000;
      const successor = await worker(later.now, TTL_MS);
      const taken = held(await successor.tryAcquire(key, 'successor'));

      await lease.release(); // lapsed and taken over: a no-op, not an error
      expect(await successor.tryAcquire(key, 'third')).toMatchObject({
        acquired: false,
        heldBy: { holder: 'successor' },
      });
      await taken.release();
      await taken.release(); // already gone: still a no-op
      held(await successor.tryAcquire(key, 'third'));
    });
  });
}
