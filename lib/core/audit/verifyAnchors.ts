import { compareCodeUnits } from '../json/compareCodeUnits.js';
import type { AuditBreak, StoredDigest } from './anchorTypes.js';
import { BreakKind } from './breakKinds.js';
import { chainHash } from './chainHash.js';
import { CHAIN_HEAD_ID, RESERVED_ID_PREFIX } from './constants.js';
import { verifyChain } from './verifyChain.js';
import { type Anchor, verifyDigests } from './verifyDigests.js';

type Item = Readonly<Record<string, unknown>>;

/** What `s3ir audit verify` found with anchors: the table's chains checked against the signed digests. */
export interface AnchoredVerifyReport {
  intact: boolean;
  /** Chains checked: those the table holds and those the digests anchored. */
  chains: number;
  events: number;
  /** Digest breaks first (by key), then chain breaks (by bucket). */
  breaks: AuditBreak[];
  anchors: {
    /** Digests read. */
    digests: number;
    /** The newest digest that checks out: the history up to it is anchored. */
    newest?: { key: string; sequence: number; time: string };
  };
}

/**
 * Checks one chain against its anchor: the chain must still exist, its head must not be older than the
 * anchored head, and the event the anchor names must still be there (unless it expired) with the anchored
 * hash, which catches a chain recomputed from a changed event onwards (it verifies on its own).
 */
export function verifyAgainstAnchor(
  bucket: string,
  partitionItems: readonly object[],
  anchor: { seq: number; digestKey: string; head?: Anchor },
  now: Date,
): AuditBreak | undefined {
  const items = partitionItems as readonly Item[];
  const where = { bucket, digestKey: anchor.digestKey };
  if (items.length === 0)
    return {
      ...where,
      kind: BreakKind.ChainMissing,
      reason: `no item of this chain is left in the table: digest ${anchor.digestKey} anchored it at seq ${anchor.seq}`,
    };
  const head = items.find((item) => item.eventId === CHAIN_HEAD_ID);
  const headSeq = typeof head?.seq === 'number' ? head.seq : 0;
  const events = items.filter((item) => !String(item.eventId).startsWith(RESERVED_ID_PREFIX));
  const lastSeq = Math.max(0, ...events.map((event) => (typeof event.seq === 'number' ? event.seq : 0)));
  if (headSeq < anchor.seq) {
    if (lastSeq < anchor.seq)
      return {
        ...where,
        kind: BreakKind.EventsMissing,
        seq: lastSeq + 1,
        reason: `events after seq ${lastSeq} are missing: digest ${anchor.digestKey} anchored this chain at seq ${anchor.seq}, the table's chain head says seq ${headSeq}`,
      };
    return {
      ...where,
      kind: BreakKind.HeadOlderThanAnchor,
      seq: headSeq,
      reason: `the chain head is at seq ${headSeq}, older than seq ${anchor.seq} anchored by digest ${anchor.digestKey}`,
    };
  }
  const anchored = anchor.head;
  if (anchored === undefined) return undefined;
  const event = events.find((candidate) => candidate.seq === anchored.seq);
  const at = { ...where, eventId: anchored.eventId, seq: anchored.seq, time: anchored.time };
  if (event === undefined) {
    if (anchored.expiresAt !== undefined && anchored.expiresAt <= now.getTime() / 1000) return undefined;
    return {
      ...at,
      kind: BreakKind.EventsMissing,
      reason: `seq ${anchored.seq}, anchored by digest ${anchored.digestKey}, is missing and had not expired`,
    };
  }
  if (
    event.eventId !== anchored.eventId ||
    event.hash !== anchored.hash ||
    chainHash(event) !== anchored.hash
  )
    return {
      ...at,
      kind: BreakKind.EventChanged,
      eventId: String(event.eventId),
      reason: `not the event digest ${anchored.digestKey} anchored at seq ${anchored.seq} (event ${anchored.eventId}, hash ${anchored.hash.slice(0, 12)}…)`,
    };
  return undefined;
}

/**
 * The whole verify, pure: the digest chain (lib/core/audit/verifyDigests.ts), then every chain, from the
 * table's items, alone (lib/core/audit/verifyChain.ts) and against its anchor. `chains` holds each
 * bucket's partition items as read; `buckets`, when given, limits the chains checked.
 */
export function verifyAnchoredAudit(input: {
  digests: readonly StoredDigest[];
  chains: ReadonlyMap<string, readonly object[]>;
  buckets?: readonly string[];
  now: Date;
}): AnchoredVerifyReport {
  const digests = verifyDigests(input.digests);
  const breaks: AuditBreak[] = [...digests.breaks].sort((a, b) =>
    compareCodeUnits(a.digestKey ?? '', b.digestKey ?? ''),
  );
  const wanted = input.buckets === undefined ? undefined : new Set(input.buckets);
  const buckets = [...new Set([...input.chains.keys(), ...digests.chains.keys()])]
    .filter((bucket) => wanted === undefined || wanted.has(bucket))
    .sort(compareCodeUnits);
  let events = 0;
  for (const bucket of buckets) {
    const items = input.chains.get(bucket) ?? [];
    events += items.filter((item) => !String((item as Item).eventId).startsWith(RESERVED_ID_PREFIX)).length;
    const found: AuditBreak[] = [];
    if (items.length > 0) {
      const own = verifyChain(bucket, items, { now: input.now });
      if (own !== undefined) found.push({ ...own, kind: own.kind ?? BreakKind.HeadMismatch });
    }
    const listed = digests.chains.get(bucket);
    const head = digests.anchors.get(bucket);
    if (listed !== undefined || head !== undefined) {
      const anchor = {
        seq: Math.max(listed?.seq ?? 0, head?.seq ?? 0),
        digestKey: head?.digestKey ?? listed?.digestKey ?? '',
        ...(head && { head }),
      };
      const against = verifyAgainstAnchor(bucket, items, anchor, input.now);
      if (against !== undefined && !found.some((other) => other.kind === against.kind)) found.push(against);
    }
    breaks.push(...found);
  }
  const newest = digests.trusted.at(-1);
  return {
    intact: breaks.length === 0,
    chains: buckets.length,
    events,
    breaks,
    anchors: {
      digests: input.digests.length,
      ...(newest && {
        newest: { key: newest.key, sequence: newest.document.sequence, time: newest.document.time },
      }),
    },
  };
}
