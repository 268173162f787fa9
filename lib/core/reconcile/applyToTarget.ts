import { guardPolicyWrite, type PolicyWrite } from '../policy/guardPolicyWrite.js';
import { PolicyWriteRefusedError } from '../policy/PolicyWriteRefusedError.js';
import type { PolicyDocument } from '../policy/types.js';
import type { ActionTarget } from './actionTargets.js';
import { deniedWriteFinding } from './deniedPolicyWrite.js';
import { type IntentHeld, type IntentRecordAnswer, isIntentHeld } from './intents.js';
import { takePolicyLease } from './policyLease.js';
import type { LeaseWaitOptions, PolicyLease, PolicyLeasePort } from './ports.js';
import { describeFailure, isAccessDenied, isRetryable } from './reconcileErrors.js';
import type { ActionStatus, Finding, PlanAction } from './types.js';

/** How one write to a target ended; `error` is one line, for `conflict`, `failed` and `action-required`. */
export interface TargetResult {
  /** `report-only` only with `held`: the write's record found the service on hold, nothing was written. */
  status: Extract<ActionStatus, 'applied' | 'conflict' | 'failed' | 'action-required' | 'report-only'>;
  error?: string;
  /** For `action-required`: the change the policy's owner must make instead. */
  finding?: Finding;
  /**
   * Set once the write's intent was recorded: `open` when the write was made or may have been (a 5xx, a
   * timeout, a read-back that differs), `void` when AWS refused it (nothing changed).
   */
  intent?: 'open' | 'void';
  /** The hold the intent's record found in force: the write was not made (`report-only`). */
  held?: IntentHeld['held'];
}

/**
 * Records the intent of the one write an action makes, right before it (lib/core/reconcile/intents.ts);
 * answers {@link IntentHeld} when the record found the service on hold (nothing recorded).
 */
export interface IntentSession {
  record(): Promise<IntentRecordAnswer>;
}

/** A policy write as the write guard checks it, but for the document read just before it. */
export type GuardedWrite = Omit<PolicyWrite, 'before'>;

/** The leases of one `apply`: one holder name for all of them, and how long to wait for a busy one. */
export interface LeaseSession {
  port: PolicyLeasePort;
  holder: string;
  wait: Required<LeaseWaitOptions>;
}

/**
 * The policy write a planned action makes, for {@link applyToTarget} to guard; `undefined` for a
 * configuration action. `source` is the bucket the plan reconciles, the only source a grant may add.
 */
export function policyWriteOf(action: PlanAction, bucket: GuardedWrite['source']): GuardedWrite | undefined {
  // A sweep-level grant (#18) may add the accounts it names, and no bucket: its statement is account-keyed.
  const source =
    action.kind.startsWith('grant-') && 'accounts' in action && action.accounts
      ? { ...bucket, accounts: action.accounts.added }
      : bucket;
  switch (action.kind) {
    case 'grant-destination':
    case 'revoke-destination':
      return { target: 'destination-policy', name: action.destinationBucket, after: action.after, source };
    case 'grant-key':
    case 'revoke-key':
      return { target: 'key-policy', name: action.keyArn, after: action.after, source };
    default:
      return undefined;
  }
}

/**
 * Reads the target and compares it with what the plan saw (else `conflict`: re-plan), writes, re-reads
 * and verifies; a target the plan's own listing read (`listedByPlan`: a configuration) is not read before. A shared policy (`leaseKey`) is changed only under its lease, taken just before the read
 * and released in any case, so no other worker writes between this read and this write: the check then
 * means what it says, and no grant is lost. A lease still busy when the wait budget runs out is a
 * `conflict` naming its holder.
 *
 * A policy write (`write`, from {@link policyWriteOf}) passes the write guard first, against the document
 * read under the lease: a write it refuses is never made, and its {@link PolicyWriteRefusedError} is
 * thrown, not turned into an outcome (a plan that asks for it cannot be trusted further). A write AWS
 * refuses (AccessDenied: IAM bounds policy writes too) ends `action-required`, with the finding that asks
 * the policy's owner for the same change.
 * @throws PolicyWriteRefusedError when the write guard refuses the write.
 */
export async function applyToTarget(
  target: ActionTarget,
  leases: LeaseSession,
  write?: GuardedWrite,
  intent?: IntentSession,
): Promise<TargetResult> {
  if (target.leaseKey === undefined) return readWriteVerify(target, write, intent);
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
    return await readWriteVerify(target, write, intent, () => lastsThroughWrite(lease, leases.wait));
  } finally {
    // A lease left unreleased lapses at its expiry; the write it guarded stands either way.
    await lease.release().catch(() => undefined);
  }
}

async function readWriteVerify(
  target: ActionTarget,
  write: GuardedWrite | undefined,
  intent: IntentSession | undefined,
  mayWrite = () => true,
): Promise<TargetResult> {
  let step = 'reading';
  let read: unknown;
  let recorded = false;
  const open = (result: TargetResult): TargetResult => (recorded ? { ...result, intent: 'open' } : result);
  try {
    // A configuration is not read again: its plan's listing is the read (lib/core/reconcile/actionTargets).
    if (target.listedByPlan !== true) {
      read = await target.read();
      if (!target.isBefore(read)) {
        return { status: 'conflict', error: `${target.label} changed since the plan was made` };
      }
    }
    if (!mayWrite()) {
      return { status: 'conflict', error: `the lease on ${target.label} would lapse before the write ends` };
    }
    // Right before the put or delete, against what this very read returned (the port parsed it as JSON).
    if (write !== undefined) guardPolicyWrite({ ...write, before: read as PolicyDocument | undefined });
    if (intent !== undefined) {
      // No write without its record: a worker that dies after this leaves the intent for the next reconcile.
      step = 'recording the intent to change';
      const answer = await intent.record();
      // The hold is checked at the moment of the write (#18 point 4): found, the write is not made.
      if (isIntentHeld(answer)) return { status: 'report-only', held: answer.held };
      recorded = true;
    }
    step = 'writing';
    await target.write();
    step = 're-reading';
    if (!target.isAfter(await target.read())) {
      return open({
        status: 'failed',
        error: `verification failed: ${target.label} reads back differently from what was written`,
      });
    }
    return open({ status: 'applied' });
  } catch (error) {
    if (error instanceof PolicyWriteRefusedError) throw error;
    const message = `${step} ${target.label} failed: ${describeFailure(error)}`;
    // AWS answered the write with a refusal (4xx): nothing changed. Anything else may have been written.
    const refused = step === 'writing' && !isRetryable(error);
    const settled = (result: TargetResult): TargetResult =>
      recorded ? { ...result, intent: refused ? 'void' : 'open' } : result;
    if (step === 'writing' && write !== undefined && isAccessDenied(error)) {
      const finding = deniedWriteFinding(write, read as PolicyDocument | undefined, error);
      return settled({ status: 'action-required', error: message, finding });
    }
    return settled({ status: 'failed', error: message });
  }
}

/** Whether the write may start: after the lease lapses, another worker may write the same policy. */
function lastsThroughWrite(lease: PolicyLease, wait: Required<LeaseWaitOptions>): boolean {
  return wait.clock() + wait.writeMarginMs < lease.expiresAt.getTime();
}
