import type { AuditEvent } from '../audit/types.js';
import { UNSEEN } from './conditions.js';
import type { Alert } from './types.js';

/** What a status keeps of one tracked condition, whatever its kind. */
export interface TrackedEntry {
  /** ISO 8601 UTC: since when the entry holds as it is. */
  since: string;
  /** ISO 8601 UTC: when its last alert was sent; the reminder interval counts from here (else from `since`). */
  lastAlertAt?: string;
}

/** How one kind of status (bucket conditions, delivery per configuration) reads, raises and clears a condition. */
export interface ConditionRules<K extends string, Seen, E extends TrackedEntry> {
  /** What identifies the problem `seen` reports, so that a change re-alerts; undefined when it is healthy. */
  fingerprint(key: K, seen: Seen): string | undefined;
  /** The same for a kept entry; undefined when the entry is healthy. */
  fingerprintOf(key: K, entry: E): string | undefined;
  /** A problem that appears or changes: its entry, its alerts (the engine sets `since`) and its audit events. */
  raise(key: K, seen: Seen, now: string): { entry: E; alerts: Alert[]; events: AuditEvent[] };
  /** The alerts that remind of an unchanged problem (the engine marks them reminders, since `before.since`). */
  remind(key: K, seen: Seen, before: E): Alert[];
  /** A problem that holds no longer: the entry kept in its place (none: forgotten), its alerts and events. */
  clear(key: K, seen: Seen, before: E, now: string): { entry?: E; alerts: Alert[]; events: AuditEvent[] };
  /** A healthy condition that was not a problem: the entry to keep; `before` itself when nothing changed. */
  keep(key: K, seen: Seen, before: E | undefined, now: string): E | undefined;
}

/** The conditions a run looked at, in the order their alerts and events go out; {@link UNSEEN}: kept as it was. */
export type Sightings<K extends string, Seen> = ReadonlyArray<readonly [K, Seen | typeof UNSEEN]>;

export interface StatusTransitionOptions {
  now: Date;
  /** An unchanged problem is alerted again this long after its last alert; 0: never. */
  reminderMs: number;
}

/** What a run changes in one status. */
export interface StatusTransition<K extends string, E extends TrackedEntry> {
  /** The entries to write, with `version`; absent when nothing changed (a steady run writes nothing). */
  entries?: Partial<Record<K, E>>;
  /** The version the new status is written at: the previous one plus one. */
  version: number;
  alerts: Alert[];
  events: AuditEvent[];
}

/**
 * The one transition rule of every status the service keeps (a bucket's conditions, a bucket's report
 * delivery), so that alerts fire on transitions and not on every run. For each condition:
 * - a problem appears, or its fingerprint changes: its alerts and audit events;
 * - it holds unchanged: nothing, unless `reminderMs` has passed since its last alert: its reminders (no
 *   audit event: nothing happened);
 * - it clears: what {@link ConditionRules.clear} says (an all-clear alert and event);
 * - it is not seen by the run: kept as it was; an entry no longer looked at is forgotten.
 * The first run over a status writes it; after that, a run that changes nothing returns no entries. Pure.
 */
export function statusTransition<K extends string, Seen, E extends TrackedEntry>(
  previous: { entries: Partial<Record<K, E>>; version: number } | undefined,
  sightings: Sightings<K, Seen>,
  rules: ConditionRules<K, Seen, E>,
  options: StatusTransitionOptions,
): StatusTransition<K, E> {
  const now = options.now.toISOString();
  const alerts: Alert[] = [];
  const events: AuditEvent[] = [];
  const entries: Partial<Record<K, E>> = {};
  let changed = previous === undefined && sightings.length > 0;

  for (const [key, seen] of sightings) {
    const before: E | undefined = previous?.entries[key];
    if (seen === UNSEEN) {
      if (before !== undefined) entries[key] = before;
      continue;
    }
    const problem = rules.fingerprint(key, seen);
    const was = before === undefined ? undefined : rules.fingerprintOf(key, before);
    if (problem !== undefined && problem !== was) {
      const raised = rules.raise(key, seen, now);
      entries[key] = raised.entry;
      alerts.push(...raised.alerts.map((alert) => ({ ...alert, since: raised.entry.since })));
      events.push(...raised.events);
      changed = true;
    } else if (problem !== undefined) {
      const kept = before!;
      if (!reminderDue(kept, now, options.reminderMs)) {
        entries[key] = kept;
        continue;
      }
      // E extends TrackedEntry, whose `lastAlertAt` this sets: the spread is still an E.
      entries[key] = { ...kept, lastAlertAt: now } as E;
      const reminders = rules.remind(key, seen, kept);
      alerts.push(...reminders.map((alert) => ({ ...alert, reminder: true, since: kept.since })));
      changed = true;
    } else if (was !== undefined) {
      const cleared = rules.clear(key, seen, before!, now);
      if (cleared.entry !== undefined) entries[key] = cleared.entry;
      alerts.push(...cleared.alerts);
      events.push(...cleared.events);
      changed = true;
    } else {
      const kept = rules.keep(key, seen, before, now);
      if (kept !== undefined) entries[key] = kept;
      if (kept !== before) changed = true;
    }
  }
  const version = (previous?.version ?? 0) + 1;
  const forgotten = Object.keys(previous?.entries ?? {}).some((key) => !(key in entries));
  if (!changed && !forgotten) return { version, alerts, events };
  return { entries, version, alerts, events };
}

/** One reminder rule for every status: due `reminderMs` after the last alert (or, without one, the start). */
function reminderDue(entry: TrackedEntry, now: string, reminderMs: number): boolean {
  return reminderMs > 0 && Date.parse(now) - Date.parse(entry.lastAlertAt ?? entry.since) >= reminderMs;
}
