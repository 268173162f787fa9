import { randomUUID } from 'node:crypto';
import type { GrantTarget } from '../policy/types.js';
import type { LeaseAttempt, LeaseWaitOptions, PolicyLeasePort } from './ports.js';

/**
 * Defaults of the wait for a busy policy lease. A holder keeps a lease for three S3 or KMS calls (read,
 * write, re-read: well under a second), so a few short jittered back-offs find it free; 3 s is a bounded
 * budget far under the 15 s the reconcile worker keeps before its deadline (WORKER_DEFAULTS), even for a
 * plan with a destination and a key to wait for. Past it, the action ends `conflict`: re-plan, then SQS.
 */
export const POLICY_LEASE_WAIT = {
  budgetMs: 3_000,
  firstDelayMs: 50,
  maxDelayMs: 500,
  /** A write that starts with less than this left on the lease could outlive it: re-plan instead. */
  writeMarginMs: 10_000,
} as const;

/** The lease key of a policy, the same for every worker: `destination-policy:reports`, `key-policy:<arn>`. */
export function policyLeaseKey(target: GrantTarget, name: string): string {
  return `${target}:${name}`;
}

/** Who asks for leases in one `apply`: the run and bucket for people, a UUID so that no two applies share it. */
export function leaseHolder(runId: string, bucket: string): string {
  return `${runId}/${bucket}/${randomUUID()}`;
}

/** The wait options with their defaults filled in. */
export function leaseWaitOf(options: LeaseWaitOptions = {}): Required<LeaseWaitOptions> {
  return {
    budgetMs: options.budgetMs ?? POLICY_LEASE_WAIT.budgetMs,
    firstDelayMs: options.firstDelayMs ?? POLICY_LEASE_WAIT.firstDelayMs,
    maxDelayMs: options.maxDelayMs ?? POLICY_LEASE_WAIT.maxDelayMs,
    writeMarginMs: options.writeMarginMs ?? POLICY_LEASE_WAIT.writeMarginMs,
    clock: options.clock ?? Date.now,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
  };
}

/**
 * Takes the lease on `key`, trying again after short jittered back-offs (doubling, half of each at random,
 * so that workers that met once do not meet again) while the budget lasts. Answers the last attempt:
 * the lease, or who held it when the budget ran out. Errors of the port (throttling, AccessDenied) are
 * thrown at once.
 */
export async function takePolicyLease(
  port: PolicyLeasePort,
  key: string,
  holder: string,
  wait: Required<LeaseWaitOptions>,
): Promise<LeaseAttempt> {
  const deadline = wait.clock() + wait.budgetMs;
  for (let round = 0; ; round++) {
    const attempt = await port.tryAcquire(key, holder);
    const left = deadline - wait.clock();
    if (attempt.acquired || left <= 0) return attempt;
    const cap = Math.min(wait.maxDelayMs, wait.firstDelayMs * 2 ** round);
    await wait.sleep(Math.min(left, cap / 2 + (wait.random() * cap) / 2));
  }
}
