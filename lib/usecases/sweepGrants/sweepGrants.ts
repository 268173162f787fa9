import { heldPlan } from '../../core/brake/heldPlan.js';
import { mapLimit } from '../../core/concurrency/mapLimit.js';
import { grantReach } from '../../core/grants/grantReach.js';
import { type SweepGrantDecision, sweepGrantDecision } from '../../core/grants/sweepGrantPlan.js';
import type { GrantCatalog, ReachedPolicy } from '../../core/grants/types.js';
import type { GrantTarget } from '../../core/policy/types.js';
import { apply } from '../../core/reconcile/apply.js';
import type { ChangeIntent } from '../../core/reconcile/intents.js';
import { intentTarget } from '../../core/reconcile/intents.js';
import type { ApplyContext, ApplyPorts } from '../../core/reconcile/ports.js';
import { describeFailure } from '../../core/reconcile/reconcileErrors.js';
import type { DestinationFacts, KeyFacts, Plan } from '../../core/reconcile/types.js';
import { INTENT_GRACE_MS, resolveIntents } from '../reconcileBucket/resolveIntents.js';
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
  };
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
  await mapLimit(reach.policies, deps.concurrency ?? DEFAULT_CONCURRENCY, async (policy) => {
    const entry = { target: policy.target, name: policy.name };
    try {
      const { allowed, home } = bounds;
      await grantOne(policy, { ports, deps, context: withLease, allowed, home, prune, pendingOf }, report);
    } catch (error) {
      report.failed.push({ ...entry, reason: describeFailure(error) });
    }
  });
  return report;
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

async function grantOne(policy: ReachedPolicy, run: GrantRun, report: SweepGrantsReport): Promise<void> {
  const entry = { target: policy.target, name: policy.name };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    let holder = await readHolder(policy, run);
    if (holder === undefined) {
      report.left.push({ ...entry, reason: 'its configurations expect different owners' });
      return;
    }
    if (attempt === 1 && (await settleIntents(policy, holder, run))) {
      run.ports.invalidate(targetOf(policy));
      holder = (await readHolder(policy, run))!;
    }
    const decision: SweepGrantDecision = sweepGrantDecision(policy, holder, run);
    if (decision.kind === 'left') {
      report.left.push({ ...entry, reason: decision.reason });
      return;
    }
    if (decision.kind === 'unchanged') {
      report.unchanged.push({ ...entry, accounts: decision.accounts });
      return;
    }
    const { grant } = decision;
    const changed = { ...entry, accounts: grant.accounts, added: grant.added, removed: grant.removed };
    const plan = await withinBrake(decision.plan, run);
    const result = await apply(plan, applyPortsOf(holder, run), run.context);
    const outcome = result.outcomes[0]!;
    switch (outcome.status) {
      case 'applied':
        report.written.push(changed);
        return;
      case 'report-only':
        report.reportOnly.push({ ...changed, reason: plan.guard?.reason ?? 'detect mode' });
        return;
      case 'conflict':
        if (attempt < MAX_ATTEMPTS) {
          run.ports.invalidate(
            policy.target === 'key-policy' ? { key: policy.name } : { destination: policy.name },
          );
          continue;
        }
        report.failed.push({ ...entry, reason: outcome.error ?? 'conflict' });
        return;
      case 'action-required':
        report.left.push({ ...entry, reason: outcome.error ?? 'AWS refused the write' });
        return;
      default:
        report.failed.push({ ...entry, reason: outcome.error ?? outcome.status });
        return;
    }
  }
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
