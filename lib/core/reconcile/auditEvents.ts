import { withEventId } from '../audit/eventId.js';
import type { AuditAction, AuditCause, AuditEvent } from '../audit/types.js';
import type { InventoryConfiguration } from '../inventory/types.js';
import { appliedMessage, failedMessage, notAppliedMessage, unmanagedMessage } from './actionMessages.js';
import { actionSubject, causeFor } from './changeCause.js';
import type { ApplyContext } from './ports.js';
import type { Finding, PlanAction, PlanActionKind } from './types.js';

/** Who, when and where: everything an event needs besides what happened. */
export interface EventStamp {
  bucket: string;
  context: ApplyContext;
}

const CHANGE_ACTIONS: Readonly<Record<PlanActionKind, AuditAction>> = {
  'grant-destination': 'destination-policy-updated',
  'revoke-destination': 'destination-policy-updated',
  'grant-key': 'key-policy-updated',
  'revoke-key': 'key-policy-updated',
  'create-configuration': 'inventory-created',
  'update-configuration': 'inventory-updated',
  'delete-configuration': 'inventory-deleted',
};

/**
 * The event recording a change `apply` made and verified, said in the past tense; with the `cause` of the
 * drift it reverted when a CloudTrail change event about it woke this reconcile.
 */
export function changeEvent(action: PlanAction, stamp: EventStamp): AuditEvent {
  const message = appliedMessage(action, stamp.bucket);
  return actionEvent(action, CHANGE_ACTIONS[action.kind], message, stamp, actionCause(action, stamp));
}

/** The event recording an action that failed. */
export function failureEvent(action: PlanAction, error: string, stamp: EventStamp): AuditEvent {
  return actionEvent(action, 'reconcile-failed', failedMessage(action, stamp.bucket, error), stamp);
}

/**
 * The event recording drift this apply leaves in place (report-only, skipped or conflicting action), with
 * its `cause` when a CloudTrail change event about it woke this reconcile.
 */
export function driftEvent(action: PlanAction, why: string, stamp: EventStamp): AuditEvent {
  const message = notAppliedMessage(action, stamp.bucket, why);
  return actionEvent(action, 'drift-detected', message, stamp, actionCause(action, stamp));
}

/** The event recording an unmanaged configuration left in place (the bucket does not opt into prune). */
export function unmanagedEvent(id: string, actual: InventoryConfiguration, stamp: EventStamp): AuditEvent {
  const subject = { kind: 'configuration', bucket: stamp.bucket, configId: id } as const;
  const cause = causeFor(subject, stamp.context.causes);
  return withEventId(`unmanaged:${id}`, {
    ...envelope('drift-detected', stamp),
    configId: id,
    before: actual,
    message: unmanagedMessage(id, stamp.bucket),
    ...(cause !== undefined && { cause }),
  });
}

/** The event recording a finding a human must act on; the exact statement to add is its `after`. */
export function findingEvent(finding: Finding, stamp: EventStamp): AuditEvent {
  const subject = `finding:${finding.kind}:${finding.configId ?? ''}:${finding.target ?? ''}`;
  const event: Omit<AuditEvent, 'eventId'> = {
    ...envelope('action-required', stamp),
    message: finding.message,
  };
  if (finding.configId !== undefined) event.configId = finding.configId;
  if (finding.target !== undefined) event.target = finding.target;
  if (finding.statement !== undefined) event.after = finding.statement;
  return withEventId(subject, event);
}

/**
 * The event recording that a condition recorded earlier no longer holds (`drift-resolved`): `before` is
 * the condition as it was kept, `subject` names which one (`drift`, `action-required`, `failure`).
 */
export function resolvedEvent(
  subject: string,
  message: string,
  before: unknown,
  stamp: EventStamp,
): AuditEvent {
  return withEventId(`resolved:${subject}`, { ...envelope('drift-resolved', stamp), before, message });
}

/** The `reconcile-failed` event of a run that failed as a whole (e.g. retries exhausted), once per run. */
export function bucketFailureEvent(
  subject: string,
  message: string,
  stamp: EventStamp,
  configId?: string,
): AuditEvent {
  return withEventId(subject, {
    ...envelope('reconcile-failed', stamp),
    message,
    ...(configId !== undefined && { configId }),
  });
}

function actionEvent(
  action: PlanAction,
  auditAction: AuditAction,
  message: string,
  stamp: EventStamp,
  cause?: AuditCause,
): AuditEvent {
  const event: Omit<AuditEvent, 'eventId'> = { ...envelope(auditAction, stamp), message };
  if ('id' in action) event.configId = action.id;
  if ('destinationBucket' in action) event.target = action.destinationBucket;
  if ('keyArn' in action) event.target = action.keyArn;
  if ('before' in action && action.before !== undefined) event.before = action.before;
  if ('after' in action && action.after !== undefined) event.after = action.after;
  if (cause !== undefined) event.cause = cause;
  return withEventId(action.key, event);
}

/** Who caused what this action is about, when a change event that woke the reconcile touched it. */
function actionCause(action: PlanAction, stamp: EventStamp): AuditCause | undefined {
  return causeFor(actionSubject(action, stamp.bucket), stamp.context.causes);
}

/** Who, when and where; the id comes last, from the whole event (lib/core/audit/eventId.ts). */
function envelope(action: AuditAction, stamp: EventStamp) {
  const { runId, actor } = stamp.context;
  const time = (stamp.context.now?.() ?? new Date()).toISOString();
  return { time, runId, bucket: stamp.bucket, action, actor };
}
