import { chainHash } from './chainHash.js';
import { CHAIN_HEAD_ID, GENESIS_HASH } from './constants.js';
import type { AuditEvent } from './types.js';

/** A bucket's chain head item (sort key `#chain`): where its chain ends. */
export interface ChainHead {
  bucket: string;
  eventId: typeof CHAIN_HEAD_ID;
  seq: number;
  hash: string;
  headEventId: string;
  /** `expiresAt` of the newest event, when it has one (lets verify accept a chain TTL emptied). */
  lastExpiresAt?: number;
}

/** An event as the chain stores it. */
export type ChainedEvent = AuditEvent & { seq: number; prevHash: string; hash: string };

/** Retention of the event being linked. */
export interface LinkOptions {
  /** When DynamoDB TTL may delete the event (epoch seconds); absent: kept for ever. */
  expiresAt?: number;
}

/**
 * Appends a prepared event (lib/core/audit/prepareEvent.ts) after `head` (undefined: the chain is empty):
 * the next seq, the head's hash as `prevHash`, and the event's own hash; returns it with the new head.
 *
 * Expiry never goes backwards along a chain (`max` with the head's), so TTL, which deletes lazily and
 * in any order, can only ever remove a prefix of the chain; `prevExpiresAt` records the predecessor's
 * expiry inside the hashed event, so verify can tell a gap TTL left from a deletion.
 */
export function linkEvent(
  event: AuditEvent,
  head: ChainHead | undefined,
  options: LinkOptions = {},
): { event: ChainedEvent; head: ChainHead } {
  const seq = (head?.seq ?? 0) + 1;
  const expiresAt =
    options.expiresAt === undefined ? undefined : Math.max(options.expiresAt, head?.lastExpiresAt ?? 0);
  const linked: Record<string, unknown> = {
    ...event,
    seq,
    prevHash: head?.hash ?? GENESIS_HASH,
    ...(head?.lastExpiresAt !== undefined && { prevExpiresAt: head.lastExpiresAt }),
    ...(expiresAt !== undefined && { expiresAt }),
  };
  const hash = chainHash(linked);
  return {
    event: { ...linked, hash } as ChainedEvent,
    head: {
      bucket: event.bucket,
      eventId: CHAIN_HEAD_ID,
      seq,
      hash,
      headEventId: event.eventId,
      ...(expiresAt !== undefined && { lastExpiresAt: expiresAt }),
    },
  };
}
