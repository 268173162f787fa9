import type { ActionTarget } from './actionTargets.js';
import { takePolicyLease } from './policyLease.js';
import type { LeaseWaitOptions, PolicyLease, PolicyLeasePort } from './ports.js';
import { describeFailure } from './reconcileErrors.js';
import type { ActionStatus } from './types.js';

/** How one write to a target ended; `error` is one line, for `conflict` and `failed`. */
export interface TargetResult {
  status: Extract<ActionStatus, 'applied' | 'conflict' | 'failed'>;
  error?: string;
}

/** The leases of one `apply`: one holder name for all of them, and how long to wait for a busy one. */
export interface LeaseSession {
  port: PolicyLeasePort;
  holder: string;
  wait: Required<LeaseWaitOptions>;
}

/**
 * Reads the target and compares it with what the plan saw (else `conflict`: re-plan), writes, re-reads
 * and verifies. A shared policy (`leaseKey`) is changed only under its lease, taken just before the read
 * and released in any case, so no other worker writes between this read and this write: the check then
 * means what it says, and no grant is lost. A lease still busy when the wait budget runs out is a
 * `conflict` naming its holder.
 */
export async function applyToTarget(target: ActionTarget, leases: LeaseSession): Promise<TargetResult> {
  if (target.leaseKey === undefined) return readWriteVerify(target);
  let attempt: Awaited<ReturnType<typeof takePolicyLease>>;
  try {
    attempt = await takePolicyLease(leases.port, target.leaseKey, leases.holder, leases.wait);
  } catch (error) {
    return {
      status: 'failed',
      error: `taking the lease on ${target.label} failed: ${describeFailure(error)}`,
    };
  }
  if (!attempt.acquired) {
    const { holder, expiresAt } = attempt.heldBy;
    return {
      status: 'conflict',
      error:
        `${target.label} is being changed by another worker: lease ${target.leaseKey} is held by ${holder} ` +
        `until ${expiresAt.toISOString()} (waited ${leases.wait.budgetMs} ms)`,
    };
  }
  const { lease } = attempt;
  try {
    return await readWriteVerify(target, () => lastsThroughWrite(lease, leases.wait));
  } finally {
    // A lease left unreleased lapses at its expiry; the write it guarded stands either way.
    await lease.release().catch(() => undefined);
  }
}

async function readWriteVerify(target: ActionTarget, mayWrite = () => true): Promise<TargetResult> {
  let step = 'reading';
  try {
    if (!target.isBefore(await target.read())) {
      return { status: 'conflict', error: `${target.label} changed since the plan was made` };
    }
    if (!mayWrite()) {
      return { status: 'conflict', error: `the lease on ${target.label} would lapse before the write ends` };
    }
    step = 'writing';
    await target.write();
    step = 're-reading';
    if (!target.isAfter(await target.read())) {
      return {
        status: 'failed',
        error: `verification failed: ${target.label} reads back differently from what was written`,
      };
    }
    return { status: 'applied' };
  } catch (error) {
    return { status: 'failed', error: `${step} ${target.label} failed: ${describeFailure(error)}` };
  }
}

/** Whether the write may start: after the lease lapses, another worker may write the same policy. */
function lastsThroughWrite(lease: PolicyLease, wait: Required<LeaseWaitOptions>): boolean {
  return wait.clock() + wait.writeMarginMs < lease.expiresAt.getTime();
}
