import type { AuditEvent } from '../audit/types.js';
import { actionTarget } from './actionTargets.js';
import {
  applyToTarget,
  type IntentSession,
  type LeaseSession,
  policyWriteOf,
  type TargetResult,
} from './applyToTarget.js';
import { changeEvent, driftEvent, type EventStamp, failureEvent } from './auditEvents.js';
import { PlanInvariantError } from './errors.js';
import { type ChangeIntent, type HoldFound, intentOf } from './intents.js';
import { leaseHolder, leaseWaitOf } from './policyLease.js';
import type { ApplyContext, ApplyPorts } from './ports.js';
import { describeFailure } from './reconcileErrors.js';
import type { ActionOutcome, ActionStatus, ApplyResult, Finding, Plan, PlanAction } from './types.js';

/**
 * Executes exactly the actions of a plan, in order, as `terraform apply` does.
 *
 * Only `enforce` actions write; `detect` ones (and any other mode) are only reported. Before each policy
 * write it re-reads the target and compares it with what the plan saw (a difference is a `conflict`:
 * re-plan; a configuration's read is the plan's own listing: lib/core/reconcile/actionTargets);
 * after each write, it re-reads and verifies. A destination or key policy, which other buckets' workers write
 * too, is read, written and verified under its lease (`ports.policyLease`), taken only when the action
 * is about to write: a steady sweep takes none.
 * An action whose dependencies did not apply is `skipped`; one failure never stops independent
 * actions. Every change and every failure is recorded once in the audit sink (a skipped action as the
 * drift it leaves). Drift left in place on purpose (report-only actions, unmanaged configurations) is
 * not: it is recorded when it appears or changes, by the status transition (lib/core/alerts/transition), so
 * that unchanged drift does not add an event on every sweep.
 *
 * No change without its record (issue 17): with `ports.intents`, each write's intent (the change event it
 * will record, prepared before the write) is recorded durably right before the write, and completed once
 * that event is recorded, or once AWS refused the write. A worker that dies in between leaves the intent,
 * which the next reconcile of the bucket resolves by reading the target (lib/core/reconcile/intents.ts).
 * Nothing is recorded for an action that writes nothing. A log with `confirm` records the change event and
 * completes its intent in one act (#18 point 4). A log that checks the hold as it records may find the
 * service on hold at a write: that write is not made, it and every later write end `report-only` (writes
 * made before it stand, applied and recorded), and the result carries the hold (`held`), for the caller
 * to end the bucket as a held plan ends (lib/core/brake/heldPlan.ts).
 *
 * Every policy write passes the policy write guard (lib/core/policy/guardPolicyWrite) first. A policy write AWS
 * refuses (AccessDenied) ends `action-required` with a finding in `findings`, which the status transition
 * reports and records like the plan's own findings; nothing else is tried in its place.
 *
 * @throws PlanInvariantError only for a malformed plan (a bug), before anything is written.
 * @throws PolicyWriteRefusedError when the write guard refuses a policy write (a bug or an attack): that
 * write is not made and nothing after it runs; what ran before it stands, recorded.
 */
export async function apply(plan: Plan, ports: ApplyPorts, context: ApplyContext): Promise<ApplyResult> {
  assertPlanInvariants(plan);
  const stamp: EventStamp = { bucket: plan.bucket, context };
  const auditErrors: string[] = [];
  const record = async (event: AuditEvent, completes?: ChangeIntent): Promise<boolean> => {
    try {
      if (completes !== undefined) await ports.intents!.confirm!(completes, event);
      else await ports.audit.record(event);
      return true;
    } catch (error) {
      auditErrors.push(`recording ${event.action} ${event.eventId} failed: ${describeFailure(error)}`);
      return false;
    }
  };
  // The hold a write's intent found in force: no write is made after it.
  let held: HoldFound | undefined;

  const statuses = new Map<string, ActionStatus>();
  const outcomes: ActionOutcome[] = [];
  const findings: Finding[] = [];
  // Actions held back by a stale plan (a conflict, or waiting on one): the caller re-plans and the
  // next attempt records what really happens, so they record nothing now.
  const stale = new Set<string>();
  const leases: LeaseSession = {
    port: ports.policyLease,
    holder: leaseHolder(context.runId, plan.bucket),
    wait: leaseWaitOf(context.leaseWait),
  };
  for (const action of plan.actions) {
    // The change event is prepared before the write: the intent carries it, and the worker records it.
    const change = ports.intents !== undefined ? changeEvent(action, stamp) : undefined;
    const intent = change && intentOf(change, action.key, change.time);
    const session = intent && intentSession(intent, ports);
    const { outcome, intentState, ...found } = await runAction(
      action,
      statuses,
      plan,
      ports,
      leases,
      findings,
      session,
      held,
    );
    held ??= found.held;
    statuses.set(action.key, outcome.status);
    outcomes.push(outcome);
    const waitsOnStale = outcome.status === 'skipped' && action.dependsOn.some((key) => stale.has(key));
    if (outcome.status === 'conflict' || waitsOnStale) {
      stale.add(action.key);
      continue;
    }
    const event =
      outcome.status === 'applied' && change !== undefined ? change : eventFor(action, outcome, stamp);
    // The change made and its intent open: recorded and completed in one act where the log can.
    const confirms =
      intent !== undefined && intentState === 'open' && event === change && ports.intents?.confirm;
    const recorded = event !== undefined && (await record(event, confirms ? intent : undefined));
    // Done: the change is recorded, or AWS refused the write. An intent left open (a failed record, a write
    // that may have happened) is resolved by the next reconcile, which records the change once if it happened.
    const done =
      intentState === 'void' || (intentState === 'open' && outcome.status === 'applied' && recorded);
    if (confirms && done) continue; // completed with its event
    if (intent !== undefined && done) await ports.intents?.complete(intent).catch(() => undefined);
    // Left open by a live worker that goes no further with it: the next reconcile need not wait out the grace.
    else if (intent !== undefined && intentState === 'open') {
      await ports.intents?.abandon(intent).catch(() => undefined);
    }
  }

  const settled = outcomes.every(
    (outcome) => outcome.status === 'applied' || outcome.status === 'report-only',
  );
  return {
    bucket: plan.bucket,
    outcomes,
    converged: settled && auditErrors.length === 0,
    auditErrors,
    ...(findings.length > 0 && { findings }),
    ...(held !== undefined && { held }),
  };
}

/** An intent's record, made through the port when the write is about to happen. */
function intentSession(intent: ChangeIntent, ports: ApplyPorts): IntentSession {
  return { record: () => ports.intents!.record(intent) };
}

async function runAction(
  action: PlanAction,
  statuses: ReadonlyMap<string, ActionStatus>,
  plan: Plan,
  ports: ApplyPorts,
  leases: LeaseSession,
  findings: Finding[],
  intent: IntentSession | undefined,
  held: HoldFound | undefined,
): Promise<{ outcome: ActionOutcome; intentState?: TargetResult['intent']; held?: HoldFound }> {
  const outcome = (status: ActionStatus, error?: string): ActionOutcome =>
    error === undefined
      ? { key: action.key, kind: action.kind, status }
      : { key: action.key, kind: action.kind, status, error };
  // Only `enforce` writes, exactly what the blast-radius guard counts as a change.
  if (action.mode !== 'enforce') return { outcome: outcome('report-only') };
  // On hold since an earlier write's record: nothing more is written, as in a held plan.
  if (held !== undefined) return { outcome: outcome('report-only') };
  const blocker = action.dependsOn.find((key) => statuses.get(key) !== 'applied');
  if (blocker !== undefined) {
    return { outcome: outcome('skipped', `${blocker} ended ${statuses.get(blocker)}`) };
  }
  const write = policyWriteOf(action, { bucket: plan.bucket, account: plan.account });
  const result = await applyToTarget(actionTarget(action, plan.bucket, ports), leases, write, intent);
  if (result.finding !== undefined) findings.push(result.finding);
  const ended = outcome(result.status, result.error);
  return {
    outcome: ended,
    ...(result.intent !== undefined && { intentState: result.intent }),
    ...(result.held !== undefined && { held: result.held }),
  };
}

/** The event an outcome records now; report-only drift is left to the status transition. */
function eventFor(action: PlanAction, outcome: ActionOutcome, stamp: EventStamp): AuditEvent | undefined {
  switch (outcome.status) {
    case 'applied':
      return changeEvent(action, stamp);
    case 'failed':
      return failureEvent(action, outcome.error ?? 'unknown error', stamp);
    case 'report-only':
    case 'action-required': // recorded with the findings, when the status transition sees it appear
      return undefined;
    default:
      return driftEvent(action, `${outcome.status}: ${outcome.error}`, stamp);
  }
}

/** Keys are unique and every dependency comes earlier: `plan()` guarantees both, so a break is a bug. */
function assertPlanInvariants(plan: Plan): void {
  const seen = new Set<string>();
  for (const action of plan.actions) {
    if (seen.has(action.key)) throw new PlanInvariantError(action.key, `duplicate action key ${action.key}`);
    const unknown = action.dependsOn.find((key) => !seen.has(key));
    if (unknown !== undefined) {
      throw new PlanInvariantError(
        action.key,
        `${action.key} depends on ${unknown}, which does not come before it`,
      );
    }
    seen.add(action.key);
  }
}
