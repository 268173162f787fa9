import { heldPlan } from '../../core/brake/heldPlan.js';
import { AccountNotAllowedError, refusedPlan } from '../../core/reconcile/allowedAccounts.js';
import { apply } from '../../core/reconcile/apply.js';
import { type ReconcileOutcome, ReconcileStatus, type ResolvedIntent } from '../../core/reconcile/outcome.js';
import { plan } from '../../core/reconcile/plan.js';
import type { ApplyPorts } from '../../core/reconcile/ports.js';
import {
  describeFailure,
  isRetryable,
  RetryableReconcileError,
} from '../../core/reconcile/reconcileErrors.js';
import type {
  ActionOutcome,
  ApplyResult,
  Plan,
  PlanAction,
  PlanOptions,
} from '../../core/reconcile/types.js';
import type { ReconcileBucketDeps } from '../ports.js';
import {
  type BucketLocation,
  type BucketTarget,
  type ListingAhead,
  listAhead,
  readActualState,
  readBucketTarget,
  takeListing,
} from './readBucketState.js';
import { recordingPorts } from './recordingPorts.js';
import { INTENT_GRACE_MS, resolveIntents } from './resolveIntents.js';

const DEFAULT_MAX_REPLANS = 3;

export interface ReconcileBucketOptions {
  /**
   * Where the scheduler saw the bucket: its configurations are then listed while the desired state is
   * read (the listing is used only if the desired state puts the bucket there).
   */
  location?: BucketLocation;
}

/**
 * Reconciles one bucket, controller-runtime style: it takes only the key, reads the whole desired and
 * actual state (and the facts of every destination and key involved), plans and applies. It never knows
 * what woke it; applying it twice changes nothing.
 *
 * A conflict (another worker changed a shared policy since the facts were read) invalidates that policy's
 * facts and re-plans, up to `maxReplans` times. Outcomes are explicit: converged or reported returns;
 * throttling, 5xx, unverified writes and exhausted re-plans throw {@link RetryableReconcileError} (SQS
 * redelivers); terminal problems (AccessDenied, invalid desired state) are recorded as `reconcile-failed`
 * and returned.
 * @example const outcome = await reconcileBucket('photos-prod', deps);
 */
export async function reconcileBucket(
  bucket: string,
  deps: ReconcileBucketDeps,
  options: ReconcileBucketOptions = {},
): Promise<ReconcileOutcome> {
  let target: BucketTarget | undefined;
  let ahead: ListingAhead | undefined;
  // Unfinished intents of earlier workers, read while the desired state is (issue 17): resolved first.
  const pending = deps.intents?.pending(bucket);
  pending?.catch(() => undefined); // settled below when the bucket is declared; else left to its TTL
  let resolvedIntents: ResolvedIntent[] | undefined;
  try {
    // The hint comes from the table: list ahead only in an account that is allowed.
    const hinted = options.location?.account;
    if (options.location && (hinted === undefined || (await deps.allowedAccounts()).has(hinted))) {
      ahead = listAhead(bucket, options.location, deps);
    }
    target = await readBucketTarget(bucket, deps, { keepRegion: true, location: options.location });
    if (!target) return { bucket, status: ReconcileStatus.NotDeclared, attempts: 0 };
  } catch (error) {
    if (error instanceof AccountNotAllowedError) return refused(error);
    return failOrThrow(bucket, error, 0);
  }
  let listed = takeListing(ahead, target.scope);

  const maxReplans = deps.maxReplans ?? DEFAULT_MAX_REPLANS;
  const kept: ActionOutcome[] = [];
  for (let attempt = 1; attempt <= maxReplans + 1; attempt++) {
    let current: Plan;
    const errors: unknown[] = [];
    let result: ApplyResult;
    try {
      const { desired, scope, actual, facts, allowed } = await readActualState(target, deps, listed);
      listed = undefined; // a re-plan lists again
      const planOf = (options: PlanOptions) =>
        plan(desired, actual, facts, { ...options, allowedAccounts: allowed });
      const ports = recordingPorts(withIntents(deps.applyPortsFor(scope, facts), deps), errors);
      if (pending !== undefined && resolvedIntents === undefined) {
        // Once, before the first plan is applied: resolving reads AWS and records, it changes nothing there.
        resolvedIntents = await resolveIntents(await pending, ports, {
          bucket,
          actor: deps.context.actor,
          now: deps.context.now ?? (() => new Date()),
          graceMs: deps.intentGraceMs ?? INTENT_GRACE_MS,
        });
      }
      current = await withinBrake(planOf(deps.limits ?? {}), deps);
      result = await apply(current, ports, deps.context);
    } catch (error) {
      return failOrThrow(bucket, error, attempt);
    }
    if (result.held !== undefined) {
      // A write's record found the service on hold: the bucket ends as a held plan, its earlier writes kept.
      ({ current, result } = heldAtWrite(current, result, result.held));
    }
    const conflicts = result.outcomes.filter((outcome) => outcome.status === 'conflict');
    if (conflicts.length > 0 && attempt <= maxReplans) {
      kept.push(...result.outcomes.filter((outcome) => outcome.status === 'applied'));
      for (const action of conflicting(current, conflicts)) deps.facts.invalidate(targetOf(action));
      continue;
    }
    const merged: ApplyResult = { ...result, outcomes: [...kept, ...result.outcomes] };
    const outcome = settle(current, merged, errors, attempt);
    return resolvedIntents?.length ? { ...outcome, resolvedIntents } : outcome;
  }
  /* c8 ignore next */
  throw new Error('unreachable');
}

/**
 * A bucket whose account setting is not allowed: nothing read, nothing done; its one finding is reported
 * (action required) through the status step like any other.
 */
function refused(error: AccountNotAllowedError): ReconcileOutcome {
  const { bucket } = error;
  return {
    bucket,
    status: ReconcileStatus.DriftReported,
    plan: refusedPlan(error),
    result: { bucket, outcomes: [], auditErrors: [], converged: true },
    attempts: 0,
  };
}

/** Changes and deletes among actions that will be executed. */
function countChanges(kinds: readonly string[]): { changes: number; deletes: number } {
  return { changes: kinds.length, deletes: kinds.filter((kind) => kind === 'delete-configuration').length };
}

/**
 * The plan under the account-wide brake: the bucket reserves the changes its plan is about to make (only
 * `enforce` actions write; deletes counted among them) before anything is written. Refused, the service is
 * on hold: the plan turns report-only (drift recorded, nothing written). A plan that changes nothing, or
 * that the bucket's own blast-radius guard already stopped, asks nothing, so a steady sweep costs no read.
 * Each attempt reserves what it plans: a re-plan after a conflict counts its actions again (the window
 * counts reservations, never less than what was written).
 */
async function withinBrake(planned: Plan, deps: ReconcileBucketDeps): Promise<Plan> {
  if (deps.brake === undefined || planned.guard !== undefined) return planned;
  const ahead = countChanges(planned.actions.filter((a) => a.mode === 'enforce').map((a) => a.kind));
  if (ahead.changes === 0) return planned;
  const { runId, actor } = deps.context;
  const holdCheckedAtWrite = deps.intents?.checksHold === true;
  const answer = await deps.brake.reserve({
    bucket: planned.bucket,
    runId,
    actor,
    ...ahead,
    ...(holdCheckedAtWrite && { holdCheckedAtWrite }),
  });
  return answer.granted ? planned : heldPlan(planned, answer.hold);
}

/**
 * A plan whose writes met the hold at one's intent record (#18 point 4), as a plan held before it was
 * applied ends: every action not applied is report-only under the hold's guard (a conflict too: a re-plan
 * would be held), and no re-plan follows. Writes made before the hold was found stand, applied and recorded.
 */
function heldAtWrite(
  current: Plan,
  result: ApplyResult,
  hold: NonNullable<ApplyResult['held']>,
): { current: Plan; result: ApplyResult } {
  const outcomes = result.outcomes.map(
    (outcome): ActionOutcome =>
      outcome.status === 'conflict'
        ? { key: outcome.key, kind: outcome.kind, status: 'report-only' }
        : outcome,
  );
  const applied = new Set(outcomes.filter((outcome) => outcome.status === 'applied').map((o) => o.key));
  const settled = outcomes.every((o) => o.status === 'applied' || o.status === 'report-only');
  const converged = settled && result.auditErrors.length === 0;
  return { current: heldPlan(current, hold, applied), result: { ...result, outcomes, converged } };
}

function settle(current: Plan, result: ApplyResult, errors: unknown[], attempts: number): ReconcileOutcome {
  const { bucket } = current;
  const retryable = errors.find(isRetryable);
  if (retryable !== undefined) {
    throw new RetryableReconcileError(bucket, 'transient', `${bucket}: ${describeFailure(retryable)}`, {
      cause: retryable,
    });
  }
  const statuses = new Set(result.outcomes.map((outcome) => outcome.status));
  if (statuses.has('conflict')) {
    throw new RetryableReconcileError(
      bucket,
      'conflict',
      `${bucket}: still conflicting after ${attempts - 1} re-plans`,
    );
  }
  if (result.auditErrors.length > 0) {
    throw new RetryableReconcileError(bucket, 'unverified', `${bucket}: ${result.auditErrors[0]}`);
  }
  const failedOutcome = result.outcomes.find((outcome) => outcome.status === 'failed');
  // A failure with no error thrown is a write that read back differently: worth another look.
  if (failedOutcome !== undefined && errors.length === 0) {
    throw new RetryableReconcileError(bucket, 'unverified', `${bucket}: ${failedOutcome.error}`);
  }
  // Refused configurations are recorded by the status step when the failure appears or changes
  // (lib/core/alerts/conditions.ts), so that a refusal that stays costs no write in steady state.
  const invalid = current.findings.filter((finding) => finding.kind === 'invalid-desired');
  const base = { bucket, plan: current, result, attempts };
  if (failedOutcome !== undefined || invalid.length > 0) {
    const failure = failedOutcome?.error ?? invalid[0]!.message;
    return { ...base, status: ReconcileStatus.Failed, failure };
  }
  const reported =
    statuses.has('report-only') ||
    statuses.has('action-required') ||
    current.findings.length > 0 ||
    current.drift.some((entry) => entry.kind === 'unmanaged' && !deletes(current, entry.id));
  if (reported) return { ...base, status: ReconcileStatus.DriftReported };
  return { ...base, status: statuses.has('applied') ? ReconcileStatus.Converged : ReconcileStatus.InSync };
}

/** A failure before `apply`: retryable ones are thrown, terminal ones returned (the status step records them). */
function failOrThrow(bucket: string, error: unknown, attempts: number): ReconcileOutcome {
  const failure = describeFailure(error);
  // Already a verdict on how to retry (an intent not finished yet: `conflict`), kept as it is.
  if (error instanceof RetryableReconcileError) throw error;
  if (isRetryable(error)) {
    throw new RetryableReconcileError(bucket, 'transient', `${bucket}: ${failure}`, { cause: error });
  }
  // Recorded by the status step when the failure appears or changes (lib/core/alerts/conditions.ts).
  return { bucket, status: ReconcileStatus.Failed, attempts, failure };
}

/** The apply ports with the deps' intent log, so that every write `apply` makes has its intent. */
function withIntents(ports: ApplyPorts, deps: ReconcileBucketDeps): ApplyPorts {
  return deps.intents === undefined ? ports : { ...ports, intents: deps.intents };
}

function conflicting(current: Plan, conflicts: ActionOutcome[]): PlanAction[] {
  const keys = new Set(conflicts.map((outcome) => outcome.key));
  return current.actions.filter((action) => keys.has(action.key));
}

function targetOf(action: PlanAction): { destination?: string; key?: string } {
  if ('destinationBucket' in action) return { destination: action.destinationBucket };
  if ('keyArn' in action) return { key: action.keyArn };
  return {}; // a configuration conflict: the next attempt lists the bucket again anyway
}

function deletes(current: Plan, id: string): boolean {
  return current.actions.some((action) => action.kind === 'delete-configuration' && action.id === id);
}
