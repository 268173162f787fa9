import { HISTORY_START_KEY } from '../../lib/adapters/aws/auditHistoryStart.js';
import { auditItem } from '../../lib/adapters/aws/DynamoAuditSink.js';
import { indexedHead } from '../../lib/adapters/aws/DynamoChainHeadIndex.js';
import { sha256Hex } from '../../lib/core/audit/chainHash.js';
import { type ChainHead, linkEvent } from '../../lib/core/audit/linkEvent.js';
import type { AuditAction, AuditEvent } from '../../lib/core/audit/types.js';

/** The shape of a synthetic history: `events` over `chains` buckets, spread evenly over `days` up to `now`. */
export interface HistoryShape {
  events: number;
  chains: number;
  days: number;
  now: Date;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

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

/** The run of an event at `time`: one sweep an hour, as the default schedule does. */
export const runOf = (timeMs: number) => `run-${Math.floor(timeMs / HOUR_MS)}`;

/**
 * The audit table's items of one chain, exactly as DynamoAuditSink stores them (linked, hashed, with their
 * index keys), then its `#chain` head. Times interleave the chains evenly and grow along each chain, so a
 * day holds about events / days events of every bucket.
 */
export function chainItems(shape: HistoryShape, chain: number): Record<string, unknown>[] {
  const perChain = Math.floor(shape.events / shape.chains) + (chain < shape.events % shape.chains ? 1 : 0);
  const start = shape.now.getTime() - shape.days * DAY_MS;
  const step = (shape.days * DAY_MS) / shape.events;
  const bucket = chainBucket(chain);
  const items: Record<string, unknown>[] = [];
  let head: ChainHead | undefined;
  let headTime = '';
  for (let k = 0; k < perChain; k++) {
    const timeMs = Math.floor(start + (k * shape.chains + chain) * step);
    const action = k === 0 ? 'inventory-created' : (ACTIONS[k % ACTIONS.length] as AuditAction);
    const event: AuditEvent = {
      eventId: sha256Hex(`${bucket}#${k}`),
      time: new Date(timeMs).toISOString(),
      runId: runOf(timeMs),
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
