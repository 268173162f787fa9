import { HISTORY_START_KEY } from '../../lib/adapters/aws/auditHistoryStart.js';
import { auditItem } from '../../lib/adapters/aws/DynamoAuditSink.js';
import { indexedHead } from '../../lib/adapters/aws/DynamoChainHeadIndex.js';
import { sha256Hex } from '../../lib/core/audit/chainHash.js';
import { type ChainHead, linkEvent } from '../../lib/core/audit/linkEvent.js';
import type { AuditAction, AuditEvent } from '../../lib/core/audit/types.js';

/**
 * The shape of a synthetic history: `events` over `chains` buckets, spread evenly over `days` up to `now`
 * (`historyEnd` gives a `now` at the end of a UTC day, so the newest day is a whole one).
 */
export interface HistoryShape {
  events: number;
  chains: number;
  days: number;
  now: Date;
}

const DAY_MS = 86_400_000;

/** Events every run records, at any table size: "one run" matches the same number of events at both sizes. */
export const RUN_EVENTS = 150;
/** The action only `ACTION_EVENTS` events of a history have, at any size: "one action" is alike at both sizes. */
export const RARE_ACTION: AuditAction = 'delivery-failed';
export const ACTION_EVENTS = 500;

/** What a steady estate records most: drift found and resolved, now and then a change applied. */
const ACTIONS: AuditAction[] = [
  'drift-detected',
  'drift-resolved',
  'drift-detected',
  'drift-resolved',
  'inventory-updated',
  'drift-detected',
  'destination-policy-updated',
  'drift-resolved',
  'key-policy-updated',
  'drift-detected',
];

/** The bucket of chain `c`. */
export const chainBucket = (chain: number) => `bench-${String(chain).padStart(6, '0')}`;

/** The run of the `index`-th event in time: runs take `RUN_EVENTS` consecutive events each. */
export const runOf = (index: number) => `run-${String(Math.floor(index / RUN_EVENTS)).padStart(6, '0')}`;

/** The last instant of the UTC day before `date`'s: a history ending there has a whole newest day. */
export function historyEnd(date: Date): Date {
  return new Date(Math.floor(date.getTime() / DAY_MS) * DAY_MS - 1);
}

/** The time (epoch ms) of the `index`-th event in time: evenly spaced, the newest at `shape.now`. */
export function eventTimeMs(shape: HistoryShape, index: number): number {
  const step = (shape.days * DAY_MS) / shape.events;
  return Math.floor(shape.now.getTime() - shape.days * DAY_MS + (index + 1) * step);
}

/**
 * The action of the `index`-th event in time (of `shape.events`): `RARE_ACTION` for exactly
 * `ACTION_EVENTS` events spread evenly over the history, counted back from the newest (so the same number
 * at every size); else each chain's first event creates its configuration, and the rest cycle through ACTIONS.
 */
export function actionOf(shape: HistoryShape, index: number, k: number): AuditAction {
  const stride = Math.max(1, Math.floor(shape.events / ACTION_EVENTS));
  const back = shape.events - 1 - index;
  if (back % stride === 0 && back / stride < ACTION_EVENTS) return RARE_ACTION;
  return k === 0 ? 'inventory-created' : (ACTIONS[k % ACTIONS.length] as AuditAction);
}

/**
 * The audit table's items of one chain, exactly as DynamoAuditSink stores them (linked, hashed, with their
 * index keys), then its `#chain` head. Events are numbered in time across chains (`index = k × chains +
 * chain`): times interleave the chains evenly and grow along each chain, so a day holds about events / days
 * events of every bucket.
 */
export function chainItems(shape: HistoryShape, chain: number): Record<string, unknown>[] {
  const perChain = Math.floor(shape.events / shape.chains) + (chain < shape.events % shape.chains ? 1 : 0);
  const bucket = chainBucket(chain);
  const items: Record<string, unknown>[] = [];
  let head: ChainHead | undefined;
  let headTime = '';
  for (let k = 0; k < perChain; k++) {
    const index = k * shape.chains + chain;
    const timeMs = eventTimeMs(shape, index);
    const action = actionOf(shape, index, k);
    const event: AuditEvent = {
      eventId: sha256Hex(`${bucket}#${k}`),
      time: new Date(timeMs).toISOString(),
      runId: runOf(index),
      bucket,
      configId: 'daily',
      action,
      actor: 'arn:aws:iam::123456789012:role/s3ir-bench-reconcile',
      message: `${action} on ${bucket}`,
    };
    const linked = linkEvent(event, head);
    items.push(auditItem(linked.event));
    head = linked.head;
    headTime = linked.event.time;
  }
  // With the head index's attribute, as the sink writes it: anchorAudit lists heads from that index.
  if (head !== undefined) items.push(indexedHead(head, headTime));
  return items;
}

/** The `#history` marker: the day of the oldest event. */
export function historyStartItem(shape: HistoryShape): Record<string, unknown> {
  const day = new Date(shape.now.getTime() - shape.days * DAY_MS).toISOString().slice(0, 10);
  return { ...HISTORY_START_KEY, day };
}
