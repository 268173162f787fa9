import { describe, expect, it } from 'vitest';
import {
  leaseWaitOf,
  POLICY_LEASE_WAIT,
  policyLeaseKey,
  takePolicyLease,
} from '../../../../lib/core/reconcile/policyLease.js';
import type { LeaseAttempt, PolicyLeasePort } from '../../../../lib/core/reconcile/ports.js';

const busy: LeaseAttempt = {
  acquired: false,
  heldBy: { holder: 'other', expiresAt: new Date('2026-01-01T00:00:30.000Z') },
};

describe('policyLeaseKey()', () => {
  it('names a policy the same way for every worker, destinations and keys apart', () => {
    expect(policyLeaseKey('destination-policy', 'reports')).toBe('destination-policy:reports');
    expect(policyLeaseKey('key-policy', 'arn:aws:kms:us-east-1:1:key/k')).toBe(
      'key-policy:arn:aws:kms:us-east-1:1:key/k',
    );
  });
});

describe('takePolicyLease()', () => {
  it('waits with real timers by default, and answers the busy holder once the budget is spent', async () => {
    let tries = 0;
    const port: PolicyLeasePort = {
      tryAcquire: async () => {
        tries += 1;
        return busy;
      },
    };
    const wait = leaseWaitOf({ budgetMs: 30, firstDelayMs: 4, maxDelayMs: 8 });

    expect(await takePolicyLease(port, 'destination-policy:reports', 'me', wait)).toEqual(busy);
    expect(tries).toBeGreaterThanOrEqual(2);
  });

  it('fills every default from POLICY_LEASE_WAIT', () => {
    const { clock, sleep, random, ...numbers } = leaseWaitOf();
    expect(numbers).toEqual({ ...POLICY_LEASE_WAIT });
    expect([clock, sleep, random].every((fn) => typeof fn === 'function')).toBe(true);
  });
});
