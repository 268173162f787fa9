import { describe, expect, it } from 'vitest';
import { UNSEEN } from '../../../../lib/core/alerts/conditions.js';
import {
  type ConditionRules,
  statusTransition,
  type TrackedEntry,
} from '../../../../lib/core/alerts/statusTransition.js';
import type { Alert } from '../../../../lib/core/alerts/types.js';
import type { AuditEvent } from '../../../../lib/core/audit/types.js';

interface Entry extends TrackedEntry {
  problem?: string;
}

const HOUR = 3_600_000;
const at = (hours: number) => new Date(Date.UTC(2026, 11, 1, hours));
const alertOf = (summary: string): Alert => ({ type: 'drift-detected', bucket: 'b', runId: 'r', summary });
const eventOf = (message: string) => ({ message }) as unknown as AuditEvent;

/** A problem is any string; `ok` is healthy and kept, as delivery keeps its healthy statuses. */
const rules: ConditionRules<string, string, Entry> = {
  fingerprint: (_, seen) => (seen === 'ok' ? undefined : seen),
  fingerprintOf: (_, entry) => entry.problem,
  raise: (key, seen, now) => ({
    entry: { problem: seen, since: now, lastAlertAt: now },
    alerts: [alertOf(`${key} ${seen}`)],
    events: [eventOf(`${key} ${seen}`)],
  }),
  remind: (key, seen) => [alertOf(`${key} still ${seen}`)],
  clear: (key, _, before, now) => ({
    entry: { since: now },
    alerts: [alertOf(`${key} cleared ${before.problem}`)],
    events: [eventOf(`${key} cleared`)],
  }),
  keep: (_, __, before, now) => before ?? { since: now },
};

function run(
  previous: { entries: Record<string, Entry>; version: number } | undefined,
  seen: [string, string][],
  hours: number,
  reminderMs = 0,
) {
  return statusTransition(previous, seen, rules, { now: at(hours), reminderMs });
}

describe('statusTransition', () => {
  it('raises a new problem with its alerts (since now) and events, and writes the first status', () => {
    const change = run(
      undefined,
      [
        ['x', 'bad'],
        ['y', 'ok'],
      ],
      0,
    );
    expect(change.alerts).toEqual([{ ...alertOf('x bad'), since: at(0).toISOString() }]);
    expect(change.events).toEqual([eventOf('x bad')]);
    expect(change.entries).toEqual({
      x: { problem: 'bad', since: at(0).toISOString(), lastAlertAt: at(0).toISOString() },
      y: { since: at(0).toISOString() },
    });
    expect(change.version).toBe(1);
  });

  it('writes nothing for an unchanged problem until the reminder is due, then reminds without an event', () => {
    const first = run(undefined, [['x', 'bad']], 0, 2 * HOUR);
    const previous = { entries: first.entries as Record<string, Entry>, version: 1 };
    expect(run(previous, [['x', 'bad']], 1, 2 * HOUR)).toEqual({ version: 2, alerts: [], events: [] });
    const reminded = run(previous, [['x', 'bad']], 2, 2 * HOUR);
    expect(reminded.alerts).toEqual([
      { ...alertOf('x still bad'), reminder: true, since: at(0).toISOString() },
    ]);
    expect(reminded.events).toEqual([]);
    expect(reminded.entries?.x).toEqual({
      problem: 'bad',
      since: at(0).toISOString(),
      lastAlertAt: at(2).toISOString(),
    });
  });

  it('never reminds with a reminder interval of 0', () => {
    const first = run(undefined, [['x', 'bad']], 0);
    const previous = { entries: first.entries as Record<string, Entry>, version: 1 };
    expect(run(previous, [['x', 'bad']], 1000).entries).toBeUndefined();
  });

  it('re-raises a changed problem and clears a solved one', () => {
    const first = run(
      undefined,
      [
        ['x', 'bad'],
        ['y', 'bad'],
      ],
      0,
    );
    const previous = { entries: first.entries as Record<string, Entry>, version: 1 };
    const change = run(
      previous,
      [
        ['x', 'worse'],
        ['y', 'ok'],
      ],
      1,
    );
    expect(change.alerts.map((alert) => alert.summary)).toEqual(['x worse', 'y cleared bad']);
    expect(change.events).toEqual([eventOf('x worse'), eventOf('y cleared')]);
    expect(change.entries?.y).toEqual({ since: at(1).toISOString() });
    expect(change.version).toBe(2);
  });

  it('keeps what the run did not see, and forgets what it no longer looks at', () => {
    const first = run(
      undefined,
      [
        ['x', 'bad'],
        ['y', 'ok'],
      ],
      0,
    );
    const previous = { entries: first.entries as Record<string, Entry>, version: 1 };
    const unseen = statusTransition(
      previous,
      [
        ['x', UNSEEN],
        ['y', 'ok'],
      ],
      rules,
      { now: at(1), reminderMs: 0 },
    );
    expect(unseen).toEqual({ version: 2, alerts: [], events: [] });
    const forgotten = run(previous, [['x', 'bad']], 1);
    expect(forgotten.entries).toEqual({ x: previous.entries.x });
    expect(forgotten.alerts).toEqual([]);
  });

  it('writes nothing when there is nothing to look at and no status yet', () => {
    expect(run(undefined, [], 0)).toEqual({ version: 1, alerts: [], events: [] });
  });
});
