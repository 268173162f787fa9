import { compareCodeUnits } from '../json/compareCodeUnits.js';
import { BreakKind } from './breakKinds.js';
import { chainHash } from './chainHash.js';
import { CHAIN_HEAD_ID, DOCUMENT_ID_PREFIX, GENESIS_HASH, RESERVED_ID_PREFIX } from './constants.js';
import { assembleDocument, referencedDocuments } from './documentParts.js';
import type { ChainBreak } from './types.js';

type Item = Readonly<Record<string, unknown>>;
type Linked = Item & { eventId: string; seq: number; hash: string; prevHash: string };

/**
 * Checks one bucket's hash chain from every item of its partition (events, `#chain` head, `#doc#`
 * parts) and returns the first break in seq order, or undefined when the chain holds:
 * - each event's `hash` is the hash of its content (chainHash), and its `prevHash` is its predecessor's
 *   hash (64 zeros for seq 1); seqs are unique and without gaps;
 * - the head names the last event (seq, hash, id);
 * - each document moved into parts reassembles to its digest.
 * Retention: TTL deletes expired events lazily and in any order, and expiry never decreases along a
 * chain, so a missing event is accepted only when the event after it says (in its hashed
 * `prevExpiresAt`) that it had expired by `now`; likewise a missing tail, by the head's `lastExpiresAt`.
 */
export function verifyChain(
  bucket: string,
  partitionItems: readonly object[],
  options: {
    now?: Date;
    /**
     * Check only what follows this event (an incremental verify: its hash was checked, the items given are
     * the events after it, the head and their parts); absent: the chain from seq 1.
     */
    after?: { eventId: string; seq: number; hash: string };
  } = {},
): ChainBreak | undefined {
  const items = partitionItems as readonly Item[];
  const nowSeconds = (options.now ?? new Date()).getTime() / 1000;
  const expired = (at: unknown) => typeof at === 'number' && at <= nowSeconds;
  const head = items.find((item) => item.eventId === CHAIN_HEAD_ID);
  const parts = items.filter((item) => String(item.eventId).startsWith(DOCUMENT_ID_PREFIX));
  const after = options.after;
  const events = items.filter(
    (item) =>
      !String(item.eventId).startsWith(RESERVED_ID_PREFIX) &&
      !(after !== undefined && typeof item.seq === 'number' && item.seq <= after.seq),
  );
  const at = (event: Item, kind: BreakKind, reason: string): ChainBreak => ({
    kind,
    bucket,
    eventId: String(event.eventId),
    ...(typeof event.seq === 'number' && { seq: event.seq }),
    ...(typeof event.time === 'string' && { time: event.time }),
    reason,
  });

  const unlinked = events
    .filter((event) => !isLinked(event))
    .sort((a, b) => compareCodeUnits(String(a.timeKey ?? a.time), String(b.timeKey ?? b.time)));
  if (unlinked[0])
    return at(
      unlinked[0],
      BreakKind.EventUnlinked,
      'not in the chain (no valid seq, prevHash or hash): written around the audit store',
    );

  const chain = (events as Linked[])
    .slice()
    .sort((a, b) => a.seq - b.seq || compareCodeUnits(a.eventId, b.eventId));
  let previous: Linked | undefined = after as Linked | undefined;
  for (const event of chain) {
    if (previous?.seq === event.seq)
      return at(
        event,
        BreakKind.SeqDuplicate,
        `seq ${event.seq} is taken twice (also by event ${previous.eventId})`,
      );
    if (chainHash(event) !== event.hash)
      return at(event, BreakKind.EventChanged, 'hash does not match its content');
    const gap = event.seq - 1 - (previous?.seq ?? 0);
    if (gap > 0 && !expired(event.prevExpiresAt)) {
      const from = (previous?.seq ?? 0) + 1;
      const missing = gap === 1 ? `seq ${from} is missing` : `seq ${from}..${event.seq - 1} are missing`;
      return at(
        event,
        BreakKind.EventsMissing,
        `${missing} (deleted before it expired): the chain goes from seq ${previous?.seq ?? 0} to seq ${event.seq}`,
      );
    }
    if (gap === 0 && event.prevHash !== (previous?.hash ?? GENESIS_HASH)) {
      return at(
        event,
        BreakKind.LinkBroken,
        previous === undefined
          ? 'prevHash of the first event is not the genesis hash (64 zeros)'
          : `prevHash does not match the hash of the previous event ${previous.eventId} (seq ${previous.seq})`,
      );
    }
    if (!expired(event.expiresAt)) {
      for (const [field, reference] of referencedDocuments(event)) {
        const document = assembleDocument(event.eventId, field, reference, parts);
        if (!document.ok)
          return at(
            event,
            BreakKind.DocumentBroken,
            `document "${field}" (${reference.pointer}): ${document.problem}`,
          );
      }
    }
    previous = event;
  }
  return headBreak(bucket, head, previous, expired);
}

function isLinked(event: Item): event is Linked {
  return (
    typeof event.seq === 'number' &&
    Number.isInteger(event.seq) &&
    event.seq >= 1 &&
    typeof event.hash === 'string' &&
    typeof event.prevHash === 'string'
  );
}

/** The head must name the last event; a head past it is fine only when the missing tail had expired. */
function headBreak(
  bucket: string,
  head: Item | undefined,
  last: Linked | undefined,
  expired: (at: unknown) => boolean,
): ChainBreak | undefined {
  if (head === undefined) {
    return last === undefined
      ? undefined
      : {
          kind: BreakKind.HeadMissing,
          bucket,
          reason: `no chain head (${CHAIN_HEAD_ID}): written around the audit store, or the head was deleted`,
        };
  }
  const headSeq = head.seq;
  if (typeof headSeq !== 'number' || typeof head.hash !== 'string' || typeof head.headEventId !== 'string')
    return {
      kind: BreakKind.HeadMissing,
      bucket,
      reason: `the chain head (${CHAIN_HEAD_ID}) is malformed: it needs seq, hash and headEventId`,
    };
  const where = { bucket, eventId: head.headEventId, seq: headSeq };
  if (last === undefined) {
    if (expired(head.lastExpiresAt)) return undefined;
    return {
      ...where,
      kind: BreakKind.EventsMissing,
      reason: `the chain head is at seq ${headSeq} but no event of the chain is stored`,
    };
  }
  if (headSeq === last.seq) {
    if (head.hash === last.hash && head.headEventId === last.eventId) return undefined;
    return {
      ...where,
      kind: BreakKind.HeadMismatch,
      reason: `the chain head does not match the last event ${last.eventId} (seq ${last.seq})`,
    };
  }
  if (headSeq > last.seq) {
    if (expired(head.lastExpiresAt)) return undefined;
    return {
      ...where,
      kind: BreakKind.EventsMissing,
      reason: `events after seq ${last.seq} are missing: the chain head is at seq ${headSeq}`,
    };
  }
  return {
    kind: BreakKind.HeadMismatch,
    bucket,
    eventId: last.eventId,
    seq: last.seq,
    ...(typeof last.time === 'string' && { time: last.time }),
    reason: `the chain head is at seq ${headSeq}, behind this event: appended around the audit store`,
  };
}
