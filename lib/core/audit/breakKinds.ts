/**
 * What `s3ir audit verify` can find, one kind per break (`--json` prints it as `kind`). The anchored kinds
 * compare the table with the signed digests outside it (lib/core/audit/verifyAnchors.ts); the others are
 * found in the table alone (lib/core/audit/verifyChain.ts).
 */
export const BreakKind = {
  /** An event's content no longer matches its hash, or the event an anchor names has another hash. */
  EventChanged: 'event-changed',
  /** Events are gone (at the end of a chain, or between two that remain) and had not expired. */
  EventsMissing: 'events-missing',
  /** A chain the digests anchored has no item left in the table. */
  ChainMissing: 'chain-missing',
  /** A digest of the digest chain is gone, or hidden by a delete marker. */
  DigestMissing: 'digest-missing',
  /** A digest's signature or hash does not check out, it is malformed, or it was written over. */
  DigestAltered: 'digest-altered',
  /** The table's chain head is older than the head a digest anchored. */
  HeadOlderThanAnchor: 'head-older-than-anchor',
  /** An event links to a predecessor with another hash. */
  LinkBroken: 'link-broken',
  /** An event without seq, prevHash or hash: written around the audit store. */
  EventUnlinked: 'event-unlinked',
  /** Two events claim one seq. */
  SeqDuplicate: 'seq-duplicate',
  /** A document kept in parts does not reassemble to its digest. */
  DocumentBroken: 'document-broken',
  /** Events without a `#chain` head, or a head that is malformed. */
  HeadMissing: 'head-missing',
  /** The head does not name the last event, or an event lies past the head. */
  HeadMismatch: 'head-mismatch',
} as const;
export type BreakKind = (typeof BreakKind)[keyof typeof BreakKind];
