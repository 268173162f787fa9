import type { AdoptionEntry } from '../../core/alerts/adoptionSummary.js';
import type { BucketStatus, StatusStore } from '../../core/alerts/bucketStatus.js';
import type { Observation } from '../../core/alerts/observation.js';
import { transition } from '../../core/alerts/transition.js';
import type { Alert, AlertDeliveryPorts } from '../../core/alerts/types.js';
import type { AuditSink } from '../../core/audit/types.js';
import type { ApplyContext } from '../../core/reconcile/ports.js';
import type { AlertDispatch } from './AlertDispatch.js';
import { deliverAlerts } from './deliverAlerts.js';
import {
  recordStatusTransition,
  type StatusPort,
  type StatusTransitionReport,
} from './recordStatusTransition.js';
import {
  type AdoptionSummaries,
  addToSummary,
  type FirstAlerts,
  summariseFirstAlerts,
} from './summariseFirstAlerts.js';

/** What the status step needs: where statuses, events and alerts go, and who runs. */
export interface TransitionDeps {
  status: StatusStore;
  audit: AuditSink;
  /** Absent: transitions are recorded but no alert is sent (`s3ir reconcile` without a topic). */
  alerts?: AlertDeliveryPorts;
  /** The writer's delivery over `alerts`, which also flushes the outbox (lib/usecases/recordTransition/AlertDispatch); preferred when set. */
  dispatch?: AlertDispatch;
  /** A condition left unchanged is alerted again this long after its last alert; 0: never. */
  reminderMs: number;
  context: ApplyContext;
  /** Where a bucket's first alerts go to be summarised (#18); absent: every alert one by one. */
  adoption?: AdoptionSummaries;
}

/** What the status step did for one bucket. */
export type TransitionReport = StatusTransitionReport<BucketStatus>;

/**
 * The status step after a reconcile: the transition its observation makes ({@link transition}), recorded
 * by {@link recordStatusTransition} (alerts, audit events, then the status). In steady state it reads
 * (from the desired-state Query, in the service) and writes nothing.
 *
 * A bucket's first alerts summarised (#18 point 4) are added to their summary by the status write itself
 * when the store can (`putWithSummary`: one request, last, as the status is), so whatever fails before it is
 * done again by the next try rather than counted twice; a status write that is refused or fails leaves the
 * entry to the ledger on its own (and, if that fails too, the alerts go out one by one): never lost.
 * @throws AlertDeliveryError or RetryableReconcileError, both retryable (SQS redelivers; the retry
 *   recomputes the same transition).
 */
export async function recordTransition(
  observation: Observation,
  deps: TransitionDeps,
): Promise<TransitionReport> {
  const { context, reminderMs } = deps;
  const now = context.now?.() ?? new Date();
  let first = false;
  const changeOf = (previous: BucketStatus | undefined) => {
    first = previous === undefined;
    return transition(previous, observation, {
      now,
      runId: context.runId,
      actor: context.actor,
      reminderMs,
      ...(context.causes !== undefined && { causes: context.causes }),
    });
  };
  const { alerts, dispatch, adoption } = deps;
  // The writer's dispatch also flushes the outbox; without one, SNS else the outbox.
  const oneByOne =
    dispatch !== undefined
      ? (sent: readonly Alert[]) => dispatch.deliver(sent)
      : alerts !== undefined
        ? (sent: readonly Alert[]) => deliverAlerts(sent, alerts)
        : undefined;
  const combined = deps.status.putWithSummary?.bind(deps.status);
  // An entry waiting for the status write (`held`), and one that write did not add (`left`).
  let held: { first: FirstAlerts; entry: AdoptionEntry } | undefined;
  let left: typeof held;
  // #18: a bucket's first alerts (no status of its own yet) go to its run and account's summary.
  const deliver =
    oneByOne !== undefined && adoption !== undefined
      ? (sent: readonly Alert[]) => {
          if (!first) return oneByOne(sent);
          const firstAlerts: FirstAlerts = {
            runId: context.runId,
            bucket: observation.bucket,
            alerts: sent,
            now,
            deliver: oneByOne,
            ...(observation.account !== undefined && { account: observation.account }),
          };
          if (combined === undefined) return summariseFirstAlerts(firstAlerts, adoption);
          return summariseFirstAlerts(firstAlerts, adoption, (entry) => {
            held = { first: firstAlerts, entry };
          });
        }
      : oneByOne;
  const status: StatusPort<BucketStatus> = {
    get: (bucket) => deps.status.get(bucket),
    put: async (next) => {
      if (held === undefined || combined === undefined) return deps.status.put(next);
      left = held;
      held = undefined;
      const write = await combined(next, left.entry, now);
      if (write.summarised) left = undefined;
      return write.written;
    },
  };
  const report = await recordStatusTransition(observation.bucket, changeOf, {
    status,
    audit: deps.audit,
    ...(deliver !== undefined && { deliver }),
  });
  // Not added with the status (refused, failed, or no status to write): the ledger on its own.
  const alone = held ?? left;
  if (alone !== undefined && adoption !== undefined)
    report.delivery = await addToSummary(alone.first, alone.entry, adoption.ledger);
  return report;
}
