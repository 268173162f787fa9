import { type GrantRecord, grantRecordId } from '../../core/grants/grantRecords.js';
import { type GrantObservation, grantTransition } from '../../core/grants/grantTransition.js';
import type { ReachedPolicy } from '../../core/grants/types.js';
import type { ApplyContext } from '../../core/reconcile/ports.js';
import { describeFailure } from '../../core/reconcile/reconcileErrors.js';
import type { DestinationFacts, KeyFacts } from '../../core/reconcile/types.js';
import { recordStatusTransition } from '../recordTransition/recordStatusTransition.js';
import type { GrantFailureDeps, GrantRecordStore } from './ports.js';

/** What one sweep learned of one policy, for its record. */
export interface GrantOutcome {
  /** Undefined: nothing a status keeps (a passing failure, or a policy left to the reconciles). */
  observation?: GrantObservation;
  /** Whether our statement is in the policy now; undefined: not known this sweep (the record stays as it is). */
  managed?: boolean;
  /** The holder's facts, when they were read. */
  holder?: DestinationFacts | KeyFacts;
}

/** What keeping the record did. */
export interface KeptRecord {
  /** The record was written (a policy the step manages since this sweep, or its facts changed). */
  remembered: boolean;
  /** The record was removed: the policy holds no statement of ours any more. */
  forgotten: boolean;
  /** Alerts the status transition sent (or kept in the outbox). */
  alerts: number;
  /** Why the status was not written (the next sweep makes the transition again). */
  statusError?: string;
}

/**
 * A policy's `#grants` record after the step planned it (#18): its status transition first (a failure said
 * once, its end once: {@link grantTransition}), then the record: written when the step's statement is in the
 * policy and the record does not say so (one UpdateItem, only on a change: a steady sweep writes nothing),
 * removed once the policy holds none of ours and no failure is pending. A policy whose state this sweep could
 * not tell keeps its record, and is tried again next sweep.
 * @throws what the status transition or the store throws (the caller reports it; the next sweep retries)
 */
export async function keepGrantRecord(
  policy: ReachedPolicy,
  outcome: GrantOutcome,
  record: GrantRecord | undefined,
  deps: { records: GrantRecordStore; failures?: GrantFailureDeps },
  context: ApplyContext,
): Promise<KeptRecord> {
  const kept: KeptRecord = { remembered: false, forgotten: false, alerts: 0 };
  let failing = record?.status?.state === 'failing';
  const { observation, holder } = outcome;
  if (observation !== undefined && deps.failures !== undefined) {
    const { failures } = deps;
    const account = holder?.account ?? record?.account;
    const region = holder?.region ?? record?.region;
    const subject = {
      target: policy.target,
      name: policy.name,
      ...(account !== undefined && { account }),
      ...(region !== undefined && { region }),
    };
    const options = {
      now: context.now?.() ?? new Date(),
      runId: context.runId,
      actor: context.actor,
      reminderMs: failures.reminderMs,
    };
    const report = await recordStatusTransition(
      grantRecordId(policy.target, policy.name),
      (previous) => grantTransition(previous, subject, observation, options),
      {
        status: { get: async () => record?.status, put: (status) => deps.records.putStatus(status) },
        audit: failures.audit,
        ...(failures.deliver !== undefined && { deliver: failures.deliver }),
      },
    );
    kept.alerts = report.alerts.length;
    if (report.statusError !== undefined) kept.statusError = report.statusError;
    if (report.status !== undefined && report.statusError === undefined) {
      failing = report.status.state === 'failing';
    }
  }
  if (outcome.managed === true && holder?.account !== undefined) {
    const next = recordOf(policy, holder, holder.account);
    if (!sameRecord(record, next)) {
      await deps.records.remember(next);
      kept.remembered = true;
    }
  } else if (
    outcome.managed === false &&
    record !== undefined &&
    !failing &&
    kept.statusError === undefined
  ) {
    await deps.records.forget(policy.target, policy.name);
    kept.forgotten = true;
  }
  return kept;
}

function recordOf(
  policy: ReachedPolicy,
  holder: DestinationFacts | KeyFacts,
  account: string,
): Omit<GrantRecord, 'status'> {
  const enforce = policy.unnamed?.enforce ?? policy.deliveries.some((delivery) => delivery.enforce);
  return {
    target: policy.target,
    name: policy.name,
    account,
    partition: policy.partition,
    home: policy.target === 'destination-policy' ? policy.name : policy.destinations[0]!,
    ...(holder.region !== undefined && holder.region !== '' && { region: holder.region }),
    enforce,
    managed: true,
  };
}

function sameRecord(record: GrantRecord | undefined, next: Omit<GrantRecord, 'status'>): boolean {
  return (
    record?.managed === true &&
    record.account === next.account &&
    record.partition === next.partition &&
    record.home === next.home &&
    record.region === next.region &&
    record.enforce === next.enforce
  );
}

/** One line for the sweep's log when a record could not be kept. */
export function recordFailure(policy: ReachedPolicy, error: unknown): string {
  return `${grantRecordId(policy.target, policy.name)}: ${describeFailure(error)}`;
}
