import { heldPlan } from '../../core/brake/heldPlan.js';
import { mapLimit } from '../../core/concurrency/mapLimit.js';
import { grantReach } from '../../core/grants/grantReach.js';
import { type GrantRecord, grantRecordId, unnamedPolicies } from '../../core/grants/grantRecords.js';
import type { GrantObservation } from '../../core/grants/grantTransition.js';
import { type SweepGrantDecision, sweepGrantDecision } from '../../core/grants/sweepGrantPlan.js';
import type { GrantCatalog, ReachedPolicy } from '../../core/grants/types.js';
import type { GrantTarget } from '../../core/policy/types.js';
import { apply } from '../../core/reconcile/apply.js';
import type { ChangeIntent } from '../../core/reconcile/intents.js';
import { intentTarget } from '../../core/reconcile/intents.js';
import type { ApplyContext, ApplyPorts } from '../../core/reconcile/ports.js';
import { describeFailure, isRetryable } from '../../core/reconcile/reconcileErrors.js';
import type { DestinationFacts, KeyFacts, Plan } from '../../core/reconcile/types.js';
import { INTENT_GRACE_MS, resolveIntents } from '../reconcileBucket/resolveIntents.js';
import { type GrantOutcome, keepGrantRecord, recordFailure } from './keepGrantRecord.js';
import type { SweepGrantPorts, SweepGrantsDeps } from './ports.js';

const DEFAULT_CONCURRENCY = 4;
/** A policy another worker changed between our read and our lease is read again once, then left to the reconciles. */
const MAX_ATTEMPTS = 2;

/** What happened to one policy. */
export interface SweepGrantEntry {
  target: GrantTarget;
  name: string;
  /** The accounts our statement names now (`written`, `unchanged`, `report-only`). */
  accounts?: string[];
  added?: string[];
  removed?: string[];
  /** Why it was left to the reconciles, or why it failed (one line). */
  reason?: string;
}

/** What the grant step did in one sweep: per policy, one of these lists. */
export interface SweepGrantsReport {
  written: SweepGrantEntry[];
  unchanged: SweepGrantEntry[];
  /** Planned but not written: detect mode, or the service on hold. */
  reportOnly: SweepGrantEntry[];
  /** Not this step's to write (not writable, untrusted, edited): the buckets' reconciles report them. */
  left: SweepGrantEntry[];
  failed: SweepGrantEntry[];
  /** Why no account was removed this sweep (a partial catalog); empty when pruning ran. */
  partial: string[];
  /** Policies no declaration names any more that were planned this sweep (a prune), by record id. */
  unnamed: string[];
  /** Records the step wrote (policies it manages since this sweep) and removed (it manages them no more). */
  remembered: string[];
  forgotten: string[];
  /** How many alerts the step's own failures and recoveries sent (or kept in the outbox). */
  alerts: number;
  /** `id: why`, one per record or status the step could not keep (the next sweep does it). */
  unrecorded: string[];
}

/**
 * The schedule's grant step (#18 point 4), before the sweep fans buckets out: from the whole desired catalog,
 * the accounts each destination bucket policy and each KMS key policy must grant (lib/core/grants), and at most
 * one write per policy setting our account-keyed statement to exactly those accounts, adding the new ones and,
 * from a complete catalog, removing those no declaration reaches any more. Each write goes through `apply`, as
 * a reconcile's grant does: under the policy's lease, its intent recorded first, past the write guard, read
 * back, one audit event (on the destination bucket's chain); the account-wide brake reserves it first, and
 * while the service is on hold it is only reported. Then every bucket's reconcile finds its account granted
 * and writes nothing; it keeps its own grant path for the buckets declared between sweeps.
 * A policy that fails never stops the others: it is reported in `failed`, and its buckets' reconciles grant
 * it themselves. Steady state: one read per policy (GetBucketPolicy; a key's DescribeKey, GetKeyPolicy and
 * tags), no write, no lease, no reservation.
 * @throws only when the bounds cannot be read (the step is then skipped: nothing is written)
 */
export async function sweepGrants(
  catalog: GrantCatalog,
  deps: SweepGrantsDeps,
  context: ApplyContext,
): Promise<SweepGrantsReport> {
  const bounds = await deps.bounds();
  const reach = grantReach(catalog, bounds);
  const prune = reach.partial.length === 0;
  const ports = deps.portsForSweep();
  const report: SweepGrantsReport = {
    written: [],
    unchanged: [],
    reportOnly: [],
    left: [],
    failed: [],
    partial: reach.partial,
    unnamed: [],
    remembered: [],
    forgotten: [],
    alerts: 0,
    unrecorded: [],
  };
  const records = await readRecords(deps, report);
  // #18: a policy the step wrote to and that no declaration names any more is pruned, from a complete catalog.
  const unnamed =
    prune && records !== undefined ? unnamedPolicies([...records.values()], reach.policies) : [];
  report.unnamed = unnamed.map((policy) => grantRecordId(policy.target, policy.name));
  const withLease = deps.leaseWait === undefined ? context : { ...context, leaseWait: deps.leaseWait };
  // One read of a home's unfinished intents per sweep, shared by the destination and the keys homed there.
  const pendingByHome = new Map<string, Promise<ChangeIntent[]>>();
  const pendingOf = (home: string) => {
    if (deps.intents === undefined) return Promise.resolve([]);
    let pending = pendingByHome.get(home);
    if (pending === undefined) {
      pending = deps.intents.pending(home);
      pendingByHome.set(home, pending);
    }
    return pending;
  };
  const policies = [...reach.policies, ...unnamed];
  await mapLimit(policies, deps.concurrency ?? DEFAULT_CONCURRENCY, async (policy) => {
    const entry = { target: policy.target, name: policy.name };
    let outcome: GrantOutcome;
    try {
      const { allowed, home } = bounds;
      outcome = await grantOne(
        policy,
        { ports, deps, context: withLease, allowed, home, prune, pendingOf },
        report,
      );
    } catch (error) {
      report.failed.push({ ...entry, reason: describeFailure(error) });
      outcome = isRetryable(error) ? {} : { observation: failureOf(error) };
    }
    if (records === undefined || deps.records === undefined) return;
    const record = records.get(grantRecordId(policy.target, policy.name));
    try {
      const kept = await keepGrantRecord(
        policy,
        outcome,
        record,
        { records: deps.records, ...(deps.failures !== undefined && { failures: deps.failures }) },
        context,
      );
      const id = grantRecordId(policy.target, policy.name);
      if (kept.remembered) report.remembered.push(id);
      if (kept.forgotten) report.forgotten.push(id);
      if (kept.statusError !== undefined) report.unrecorded.push(`${id}: ${kept.statusError}`);
      report.alerts += kept.alerts;
    } catch (error) {
      report.unrecorded.push(recordFailure(policy, error));
    }
  });
  return report;
}

/** The step's records by id (one read); undefined when there is no store, or it could not be read. */
async function readRecords(
  deps: SweepGrantsDeps,
  report: SweepGrantsReport,
): Promise<Map<string, GrantRecord> | undefined> {
  if (deps.records === undefined) return undefined;
  try {
    const records = await deps.records.list();
    return new Map(records.map((record) => [grantRecordId(record.target, record.name), record]));
  } catch (error) {
    // Without its records the step still grants the catalog's policies; it prunes and alerts next sweep.
    report.unrecorded.push(`#grants: not read: ${describeFailure(error)}`);
    return undefined;
  }
}

/** A failure a retry will not fix, as its status keeps it: the error's code (else its name) and message. */
function failureOf(error: unknown): GrantObservation {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  const text = typeof code === 'string' && code !== '' ? code : typeof name === 'string' ? name : 'Error';
  return { kind: 'failed', code: text, reason: describeFailure(error) };
}

interface GrantRun {
  ports: SweepGrantPorts;
  deps: SweepGrantsDeps;
  context: ApplyContext;
  allowed: ReadonlySet<string>;
  home: string;
  prune: boolean;
  pendingOf(home: string): Promise<ChangeIntent[]>;
}

/**
 * One policy, planned and applied; what its record learns ({@link keepGrantRecord}). A policy no declaration
 * names any more that does not exist is forgotten; one the step may not write is a failure of its own (no
 * reconcile reports it), while a named one is left to its buckets' reconciles as before.
 */
async function grantOne(
  policy: ReachedPolicy,
  run: GrantRun,
  report: SweepGrantsReport,
): Promise<GrantOutcome> {
  const entry = { target: policy.target, name: policy.name };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    let holder = await readHolder(policy, run);
    if (holder === undefined) {
      report.left.push({ ...entry, reason: 'its configurations expect different owners' });
      return {};
    }
    if (policy.unnamed !== undefined && !holder.exists) {
      report.unchanged.push({ ...entry, accounts: [], reason: 'it does not exist any more' });
      return { managed: false, observation: { kind: 'healthy' }, holder };
    }
    if (attempt === 1 && (await settleIntents(policy, holder, run))) {
      run.ports.invalidate(targetOf(policy));
      holder = (await readHolder(policy, run))!;
    }
    const decision: SweepGrantDecision = sweepGrantDecision(policy, holder, run);
    if (decision.kind === 'left') {
      report.left.push({ ...entry, reason: decision.reason });
      return { holder, ...leftObservation(policy, holder, decision.reason) };
    }
    if (decision.kind === 'unchanged') {
      report.unchanged.push({ ...entry, accounts: decision.accounts });
      return { holder, managed: decision.accounts.length > 0, observation: { kind: 'healthy' } };
    }
    const { grant } = decision;
    const changed = { ...entry, accounts: grant.accounts, added: grant.added, removed: grant.removed };
    const plan = await withinBrake(decision.plan, run);
    const result = await apply(plan, applyPortsOf(holder, run), run.context);
    const outcome = result.outcomes[0]!;
    switch (outcome.status) {
      case 'applied':
        report.written.push(changed);
        return { holder, managed: grant.accounts.length > 0, observation: { kind: 'healthy' } };
      case 'report-only':
        report.reportOnly.push({ ...changed, reason: plan.guard?.reason ?? 'detect mode' });
        return { holder };
      case 'conflict':
        if (attempt < MAX_ATTEMPTS) {
          run.ports.invalidate(
            policy.target === 'key-policy' ? { key: policy.name } : { destination: policy.name },
          );
          continue;
        }
        report.failed.push({ ...entry, reason: outcome.error ?? 'conflict' });
        return { holder };
      case 'action-required': {
        // AWS refused the write (AccessDenied): a retry will not fix it.
        const reason = outcome.error ?? 'AWS refused the write';
        report.left.push({ ...entry, reason });
        return { holder, observation: { kind: 'failed', code: 'AccessDenied', reason } };
      }
      default:
        // A passing failure (throttled, a lease not taken, a write not read back): the next sweep retries.
        report.failed.push({ ...entry, reason: outcome.error ?? outcome.status });
        return { holder };
    }
  }
  return {};
}

/**
 * What a policy the step may not write says of the step: a policy it cannot read (AccessDenied) is its
 * failure, as is anything stopping the prune of one no declaration names (no reconcile sees it); the other
 * refusals of a named policy are its buckets' reconciles' to report, bucket by bucket, as before.
 */
function leftObservation(
  policy: ReachedPolicy,
  holder: DestinationFacts | KeyFacts,
  reason: string,
): Pick<GrantOutcome, 'observation'> {
  if (holder.policy.state === 'unreadable') {
    return { observation: { kind: 'failed', code: 'PolicyUnreadable', reason } };
  }
  if (policy.unnamed !== undefined) return { observation: { kind: 'failed', code: 'Refused', reason } };
  return {};
}

/** The ports `apply` writes with: the holder's, and the intent log. */
function applyPortsOf(holder: DestinationFacts | KeyFacts, run: GrantRun): ApplyPorts {
  const ports = run.ports.applyPorts(holder);
  return run.deps.intents === undefined ? ports : { ...ports, intents: run.deps.intents };
}

function targetOf(policy: ReachedPolicy): { destination?: string; key?: string } {
  return policy.target === 'key-policy' ? { key: policy.name } : { destination: policy.name };
}

/** The chain a policy's events go on (lib/core/grants/sweepGrantPlan): the destination, or a key's first one. */
function homeOf(policy: ReachedPolicy): string {
  return policy.target === 'destination-policy' ? policy.name : policy.destinations[0]!;
}

/**
 * The unfinished intents about this policy (issue 17), resolved as a reconcile resolves them: the change
 * recorded once if it happened, `change-not-applied` if not. True when any was settled (the policy is read
 * again). One still young (its worker may be writing) throws: the policy is left to the next sweep.
 */
async function settleIntents(
  policy: ReachedPolicy,
  holder: DestinationFacts | KeyFacts,
  run: GrantRun,
): Promise<boolean> {
  const about = (await run.pendingOf(homeOf(policy))).filter((intent) => {
    const target = intentTarget(intent);
    if (target?.kind === 'destination-policy')
      return policy.target === target.kind && target.bucket === policy.name;
    if (target?.kind === 'key-policy') return policy.target === target.kind && target.keyArn === policy.name;
    return false; // a configuration's: its bucket's reconcile resolves it
  });
  if (about.length === 0) return false;
  const { actor } = run.context;
  await resolveIntents(about, applyPortsOf(holder, run), {
    bucket: homeOf(policy),
    actor,
    now: run.context.now ?? (() => new Date()),
    graceMs: run.deps.intentGraceMs ?? INTENT_GRACE_MS,
  });
  return true;
}

/** The holder's facts; a destination is read as its expected owner, in its sources' region when they agree. */
async function readHolder(
  policy: ReachedPolicy,
  run: GrantRun,
): Promise<DestinationFacts | KeyFacts | undefined> {
  if (policy.target === 'key-policy') return run.ports.key(policy.name);
  if (policy.owner === undefined) return undefined;
  const region = policy.sourceRegions.length === 1 ? policy.sourceRegions[0] : undefined;
  return run.ports.destination({
    bucket: policy.name,
    account: policy.owner,
    ...(region !== undefined && { region }),
  });
}

/** The plan under the account-wide brake: one change reserved, or report-only while the service is on hold. */
async function withinBrake(plan: Plan, run: GrantRun): Promise<Plan> {
  const changes = plan.actions.filter((action) => action.mode === 'enforce').length;
  if (run.deps.brake === undefined || changes === 0) return plan;
  const { runId, actor } = run.context;
  const answer = await run.deps.brake.reserve({ bucket: plan.bucket, runId, actor, changes, deletes: 0 });
  return answer.granted ? plan : heldPlan(plan, answer.hold);
}
