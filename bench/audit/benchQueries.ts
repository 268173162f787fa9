import type { AuditQuery } from '../../lib/core/audit/types.js';
import {
  ACTION_EVENTS,
  chainBucket,
  eventTimeMs,
  type HistoryShape,
  RARE_ACTION,
  RUN_EVENTS,
  runOf,
} from './syntheticHistory.js';

const DAY_MS = 86_400_000;

/** One of the first pages, and how many events of the history it matches. */
export interface BenchQuery {
  name: string;
  query: AuditQuery;
  matching: number;
}

/**
 * The five first pages, chosen so that each is alike at every table size (with the default shapes,
 * 100 events a chain at both sizes):
 * - one bucket: the middle chain, `events / chains` events;
 * - one action: `RARE_ACTION`, which exactly `ACTION_EVENTS` events have at any size;
 * - one run: the second-newest whole run, `RUN_EVENTS` events at any size;
 * - no filter and the 30-day span match a share of the table by definition; both start on a whole day
 *   (the history ends at the end of a UTC day, the span at the end of the day 30 days before), which holds
 *   more than a page at both sizes, so their first page is one Query of one day at both.
 */
export function benchQueries(shape: HistoryShape): BenchQuery[] {
  const now = shape.now.getTime();
  const chain = Math.floor(shape.chains / 2);
  const run = Math.max(0, Math.floor(shape.events / RUN_EVENTS) - 2);
  const until = now - 30 * DAY_MS;
  const since = until - 30 * DAY_MS + 1;
  return [
    { name: 'no filter', query: {}, matching: shape.events },
    {
      name: 'one bucket',
      query: { bucket: chainBucket(chain) },
      matching: Math.floor(shape.events / shape.chains) + (chain < shape.events % shape.chains ? 1 : 0),
    },
    { name: 'one action', query: { action: RARE_ACTION }, matching: rareActionEvents(shape) },
    {
      name: 'one run',
      query: { runId: runOf(run * RUN_EVENTS) },
      matching: Math.min(shape.events, (run + 1) * RUN_EVENTS) - run * RUN_EVENTS,
    },
    {
      name: 'a 30-day span',
      query: { since: new Date(since).toISOString(), until: new Date(until).toISOString() },
      matching: eventsBetween(shape, since, until),
    },
  ];
}

/** How many events have `RARE_ACTION` (syntheticHistory `actionOf`). */
function rareActionEvents(shape: HistoryShape): number {
  const stride = Math.max(1, Math.floor(shape.events / ACTION_EVENTS));
  return Math.min(ACTION_EVENTS, Math.floor((shape.events - 1) / stride) + 1);
}

/** Events whose time is in [since, until] (times as syntheticHistory `chainItems` gives them). */
export function eventsBetween(shape: HistoryShape, sinceMs: number, untilMs: number): number {
  let count = 0;
  for (let index = 0; index < shape.events; index++) {
    const time = eventTimeMs(shape, index);
    if (time >= sinceMs && time <= untilMs) count++;
  }
  return count;
}
