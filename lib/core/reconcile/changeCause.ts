import type { AuditCause } from '../audit/types.js';
import type { PlanAction } from './types.js';

/**
 * What a CloudTrail change event touched, so that its caller is recorded only on the events about that
 * thing: an inventory configuration of a source bucket (`configId` absent: any of the bucket's), a
 * destination bucket's policy, a key's policy (`keys`: the key as the event names it, an ARN or a key id),
 * or a whole bucket (`DeleteBucket`: its configurations, and its policy as a destination).
 */
export type CauseScope =
  | { kind: 'configuration'; bucket: string; configId?: string }
  | { kind: 'destination-policy'; bucket: string }
  | { kind: 'key-policy'; keys: string[] }
  | { kind: 'bucket'; bucket: string };

/** The caller of a change event and what it touched: what a bucket message carries (untrusted until parsed). */
export interface ChangeCause extends AuditCause {
  scope: CauseScope;
}

/** What an audit event is about, in the terms a {@link CauseScope} matches. */
export type CauseSubject =
  | { kind: 'configuration'; bucket: string; configId: string }
  | { kind: 'destination-policy'; bucket: string }
  | { kind: 'key-policy'; keyArn: string };

/** The subject of a plan action on `bucket` (the source bucket being reconciled). */
export function actionSubject(action: PlanAction, bucket: string): CauseSubject {
  if ('destinationBucket' in action) return { kind: 'destination-policy', bucket: action.destinationBucket };
  if ('keyArn' in action) return { kind: 'key-policy', keyArn: action.keyArn };
  return { kind: 'configuration', bucket, configId: action.id };
}

/**
 * The cause to record on an event about `subject`: of the causes the reconcile was woken by, the newest
 * (by `time`, then `eventId`) whose scope covers it; undefined when none does. Only ever stamped on an event:
 * the plan never sees it (reconcile stays level-triggered).
 */
export function causeFor(
  subject: CauseSubject,
  causes: readonly ChangeCause[] | undefined,
): AuditCause | undefined {
  let newest: ChangeCause | undefined;
  for (const cause of causes ?? []) {
    if (!covers(cause.scope, subject)) continue;
    if (newest === undefined || isNewer(cause, newest)) newest = cause;
  }
  return newest && auditCause(newest);
}

/** The newest of several causes (by `time`, then `eventId`): one cause when events are coalesced. */
export function newestCause(causes: readonly ChangeCause[]): ChangeCause | undefined {
  return causes.reduce<ChangeCause | undefined>(
    (newest, cause) => (newest === undefined || isNewer(cause, newest) ? cause : newest),
    undefined,
  );
}

/** The cause as an audit event records it: without its scope. */
export function auditCause(cause: ChangeCause): AuditCause {
  const { scope: _scope, ...recorded } = cause;
  return recorded;
}

function isNewer(a: AuditCause, b: AuditCause): boolean {
  return a.time === b.time ? a.eventId > b.eventId : a.time > b.time;
}

function covers(scope: CauseScope, subject: CauseSubject): boolean {
  switch (subject.kind) {
    case 'configuration':
      if (scope.kind === 'bucket') return scope.bucket === subject.bucket;
      return (
        scope.kind === 'configuration' &&
        scope.bucket === subject.bucket &&
        (scope.configId === undefined || scope.configId === subject.configId)
      );
    case 'destination-policy':
      return (
        (scope.kind === 'destination-policy' || scope.kind === 'bucket') && scope.bucket === subject.bucket
      );
    case 'key-policy':
      return scope.kind === 'key-policy' && scope.keys.some((name) => namesKey(name, subject.keyArn));
  }
}

/** A key named by its ARN or its key id (`…:key/<id>`); never by an alias (an event may name one). */
function namesKey(name: string, keyArn: string): boolean {
  return name === keyArn || keyArn.endsWith(`:key/${name}`);
}
