import type { AuditEvent } from '../audit/types.js';
import { actionTarget } from './actionTargets.js';
import { applyToTarget, type LeaseSession, policyWriteOf } from './applyToTarget.js';
import { changeEvent, driftEvent, type EventStamp, failureEvent } from './auditEvents.js';
import { PlanInvariantError } from './errors.js';
import { leaseHolder, leaseWaitOf } from './policyLease.js';
import type { ApplyContext, ApplyPorts } from './ports.js';
import { describeFailure } from './reconcileErrors.js';
import type { ActionOutcome, ActionStatus, ApplyResult, Finding, Plan, PlanAction } from './types.js';

/**
 * Executes exactly the actions of a plan, in order, as `terraform apply` does.
 *
 * Only `enforce` actions write; `detect` ones (and any other mode) are only reported. Before each write
 * it re-reads the target and compares it with what the plan saw (a difference is a `conflict`: re-plan);
 * after it, it re-reads and verifies. A destination or key policy, which other buckets' workers write
 * too, is read, written and verified under its lease (`ports.policyLease`), taken only when the action
 * is about to write: a steady sweep takes none.
 * An action whose dependencies did not apply is `skipped`; one failure never stops independent
 * actions. Every change and every failure is recorded once in the audit sink (a skipped action as the
 * drift it leaves). Drift left in place on purpose (report-only actions, unmanaged configurations) is
 * not: it is recorded when it appears or changes, by the status transition (lib/core/alerts/transition), so
 * that unchanged drift does not add an event on every sweep.
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
  const record = async (event: AuditEvent) => {
    try {
      await ports.audit.record(event);
    } catch (error) {
      auditErrors.push(`recording ${event.action} ${event.eventId} failed: ${describeFailure(error)}`);
    }
  };

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
    const outcome = await runAction(action, statuses, plan, ports, leases, findings);
    statuses.set(action.key, outcome.status);
    outcomes.push(outcome);
    const waitsOnStale = outcome.status === 'skipped' && action.dependsOn.some((key) => stale.has(key));
    if (outcome.status === 'conflict' || waitsOnStale) {
      stale.add(action.key);
      continue;
    }
    const event = eventFor(action, outcome, stamp);
    if (event !== undefined) await record(event);
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
  };
}

async function runAction(
  action: PlanAction,
  statuses: ReadonlyMap<string, ActionStatus>,
  plan: Plan,
  ports: ApplyPorts,
  leases: LeaseSession,
  findings: Finding[],
): Promise<ActionOutcome> {
  const outcome = (status: ActionStatus, error?: string): ActionOutcome =>
    error === undefined
      ? { key: action.key, kind: action.kind, status }
      : { key: action.key, kind: action.kind, status, error };
  // Only `enforce` writes, exactly what the blast-radius guard counts as a change.
  if (action.mode !== 'enforce') return outcome('report-only');
  const blocker = action.dependsOn.find((key) => statuses.get(key) !== 'applied');
  if (blocker !== undefined) return outcome('skipped', `${blocker} ended ${statuses.get(blocker)}`);
  const write = policyWriteOf(action, { bucket: plan.bucket, account: plan.account });
  const result = await applyToTarget(actionTarget(action, plan.bucket, ports), leases, write);
  if (result.finding !== undefined) findings.push(result.finding);
  return outcome(result.status, result.error);
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
