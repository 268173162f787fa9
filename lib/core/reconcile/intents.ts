import { withEventId } from '../audit/eventId.js';
import type { AuditEvent } from '../audit/types.js';
import { configurationsEqual } from '../inventory/diffConfigurations.js';
import type { InventoryConfiguration } from '../inventory/types.js';
import { isRecord } from '../json/isRecord.js';
import { jsonEqual } from '../json/jsonEqual.js';
import { findGrant } from '../policy/grantStatement.js';
import { toArray } from '../policy/policyValues.js';
import type { GrantTarget, PolicyDocument } from '../policy/types.js';

/**
 * A write to AWS announced before it is made (issue 17: no change without its record). `event` is the
 * audit event the change records once made, id included: whoever confirms the change (the worker, or a
 * later reconcile that finds the intent unfinished) records exactly that event, so the two dedupe.
 */
export interface ChangeIntent {
  /** The `eventId` of `event`: unique per run, bucket, action and change (lib/core/audit/eventId.ts). */
  intentId: string;
  bucket: string;
  runId: string;
  /** What it changes within the bucket: the plan action's key, e.g. `grant-destination:reports`. */
  subject: string;
  /** ISO 8601 UTC: when the intent was recorded, right before the write. */
  recordedAt: string;
  /** A change event (`inventory-*`, `destination-policy-updated`, `key-policy-updated`) with its id. */
  event: AuditEvent;
  /**
   * Set by the worker that recorded it when it stops with the intent open (its event could not be recorded,
   * or the write's answer was lost): nobody is still writing, so the next reconcile resolves it at once.
   */
  abandoned?: boolean;
}

/**
 * A record refused because the service is on hold (issue 17): a log that checks the hold as it records
 * (lib/usecases/ports.ts `IntentStore.checksHold`) wrote nothing, so the write it announced is not made.
 */
export interface IntentHeld {
  held: HoldFound;
}

/** The hold a record found in force, as a held plan's guard names it (lib/core/brake/types.ts `Hold`). */
export interface HoldFound {
  /** ISO 8601 UTC. */
  since: string;
  reason: string;
}

/** What a record answers: nothing (recorded), or {@link IntentHeld} (nothing recorded). */
// biome-ignore lint/suspicious/noConfusingVoidType: a log that never checks the hold resolves with nothing
export type IntentRecordAnswer = void | IntentHeld;

/** Where `apply` records an intent before a write and completes (deletes) it once the write is recorded. */
export interface IntentLogPort {
  /**
   * Durable before it returns: a write whose intent could not be recorded is not made. A log that checks
   * the hold answers {@link IntentHeld} while one is in force: nothing recorded, the write not made.
   */
  record(intent: ChangeIntent): Promise<IntentRecordAnswer>;
  /** The change is recorded (or known not to have happened): the intent is done. */
  complete(intent: ChangeIntent): Promise<void>;
  /** The worker leaves the intent open and stops: it is kept with `abandoned` set. */
  abandon(intent: ChangeIntent): Promise<void>;
  /**
   * Records `event` (the change event that settles the intent, or its resolution) and completes the intent
   * in one act (#18 point 4: one request for both): once it resolves, the event is recorded (now, or before
   * by another worker) and the intent is gone; when it throws, neither is known to have happened. Optional:
   * without it, `apply` records through the audit sink, then completes.
   */
  confirm?(intent: ChangeIntent, event: AuditEvent): Promise<void>;
}

/** Whether a record's answer is a hold found at the record (nothing was written). */
export function isIntentHeld(answer: IntentRecordAnswer): answer is IntentHeld {
  return typeof answer === 'object' && answer !== null && 'held' in answer;
}

/** What a later reconcile finds when it reads the target of an unfinished intent. */
export const IntentVerdict = {
  /** The target reads as the change left it: the change happened. */
  Applied: 'applied',
  /** The target reads as before the change: it did not happen. */
  NotApplied: 'not-applied',
  /** Neither: someone changed the target since, and whether this change happened cannot be told. */
  Unknown: 'unknown',
} as const;
export type IntentVerdict = (typeof IntentVerdict)[keyof typeof IntentVerdict];

/** What an intent changes, read back from its event: a configuration of the bucket, or a shared policy. */
export type IntentTarget =
  | { kind: 'configuration'; id: string }
  | { kind: 'destination-policy'; bucket: string }
  | { kind: 'key-policy'; keyArn: string };

/** The intent of a planned change, its event prepared now (before the write) so that both paths record it. */
export function intentOf(event: AuditEvent, subject: string, recordedAt: string): ChangeIntent {
  return { intentId: event.eventId, bucket: event.bucket, runId: event.runId, subject, recordedAt, event };
}

/**
 * The target an intent's event names; `undefined` for an event that is not a change (a malformed item:
 * nothing can be read for it, and it is dropped).
 */
export function intentTarget(intent: ChangeIntent): IntentTarget | undefined {
  const { action, configId, target } = intent.event;
  switch (action) {
    case 'inventory-created':
    case 'inventory-updated':
    case 'inventory-deleted':
      return configId === undefined ? undefined : { kind: 'configuration', id: configId };
    case 'destination-policy-updated':
      return target === undefined ? undefined : { kind: 'destination-policy', bucket: target };
    case 'key-policy-updated':
      return target === undefined ? undefined : { kind: 'key-policy', keyArn: target };
    default:
      return undefined;
  }
}

/**
 * Whether the change an intent announced happened, from what its target holds now. A configuration is
 * compared as a whole (as `apply` verifies it). A shared policy may have been written again since by
 * another source's worker, which keeps our change: when the document is neither `before` nor `after`,
 * the sources our statement lets S3 deliver for decide (the change added some and removed others).
 */
export function intentVerdict(intent: ChangeIntent, target: IntentTarget, current: unknown): IntentVerdict {
  const { before, after } = intent.event;
  if (target.kind === 'configuration') {
    if (sameConfiguration(current, after)) return IntentVerdict.Applied;
    if (sameConfiguration(current, before)) return IntentVerdict.NotApplied;
    return IntentVerdict.Unknown;
  }
  if (jsonEqual(current, after)) return IntentVerdict.Applied;
  if (jsonEqual(current, before)) return IntentVerdict.NotApplied;
  return sourcesVerdict(target.kind, before, after, current);
}

/**
 * The event that settles an intent: for a change that happened, the change event itself (same id, so a
 * race with the worker that made it records it once); else `change-not-applied`, under the intent's run
 * and with the change it announced, so two reconciles that resolve the same intent also record it once.
 */
export function resolutionEvent(
  intent: ChangeIntent,
  verdict: IntentVerdict,
  stamp: { actor: string; time: string },
): AuditEvent {
  const { event } = intent;
  if (verdict === IntentVerdict.Applied) return { ...event, intentId: intent.intentId };
  const why =
    verdict === IntentVerdict.NotApplied
      ? 'it reads as before the change'
      : 'it has been changed since by someone else, so whether this change was made cannot be told';
  const resolved: Omit<AuditEvent, 'eventId'> = {
    time: stamp.time,
    runId: intent.runId,
    bucket: intent.bucket,
    action: 'change-not-applied',
    actor: stamp.actor,
    message: `${event.action} announced by run ${intent.runId} at ${intent.recordedAt} was not confirmed: the worker stopped before recording it, and ${describeTarget(event)} ${why}`,
    intentId: intent.intentId,
  };
  if (event.configId !== undefined) resolved.configId = event.configId;
  if (event.target !== undefined) resolved.target = event.target;
  if (event.before !== undefined) resolved.before = event.before;
  if (event.after !== undefined) resolved.after = event.after;
  return withEventId(`intent:${intent.intentId}`, resolved);
}

function describeTarget(event: AuditEvent): string {
  if (event.action === 'destination-policy-updated')
    return `the policy of destination bucket ${event.target}`;
  if (event.action === 'key-policy-updated') return `the policy of KMS key ${event.target}`;
  return `configuration ${event.configId} of ${event.bucket}`;
}

function sameConfiguration(current: unknown, expected: unknown): boolean {
  if (current === undefined || expected === undefined) return current === expected;
  if (!isRecord(current) || !isRecord(expected)) return false;
  const [a, b] = [current, expected] as unknown[] as InventoryConfiguration[];
  return configurationsEqual(a!, b!);
}

/** Added sources all present and removed ones all gone: applied; the reverse: not applied; else unknown. */
function sourcesVerdict(
  target: GrantTarget,
  before: unknown,
  after: unknown,
  current: unknown,
): IntentVerdict {
  const was = grantSourceArns(before, target);
  const wanted = grantSourceArns(after, target);
  const now = grantSourceArns(current, target);
  const added = [...wanted].filter((arn) => !was.has(arn));
  const removed = [...was].filter((arn) => !wanted.has(arn));
  if (added.length + removed.length === 0) return IntentVerdict.Unknown;
  if (added.every((arn) => now.has(arn)) && removed.every((arn) => !now.has(arn)))
    return IntentVerdict.Applied;
  if (added.every((arn) => !now.has(arn)) && removed.every((arn) => now.has(arn))) {
    return IntentVerdict.NotApplied;
  }
  return IntentVerdict.Unknown;
}

/** The `aws:SourceArn` values of our statement (found by its Sid) under any condition operator. */
function grantSourceArns(document: unknown, target: GrantTarget): Set<string> {
  if (!isRecord(document)) return new Set();
  const statement = findGrant(document as unknown as PolicyDocument, target);
  const arns = new Set<string>();
  if (!isRecord(statement?.Condition)) return arns;
  for (const values of Object.values(statement.Condition)) {
    if (!isRecord(values)) continue;
    for (const [key, value] of Object.entries(values)) {
      if (key.toLowerCase() === 'aws:sourcearn') for (const arn of toArray(value)) arns.add(String(arn));
    }
  }
  return arns;
}
