import type { AuditBreak, StoredDigest } from './anchorTypes.js';
import { BreakKind } from './breakKinds.js';
import { sha256Hex } from './chainHash.js';
import { type AnchoredHead, digestKey, type SealedDigest, sequenceOfKey } from './digestDocument.js';
import { parseDigest } from './parseDigest.js';

/** An anchored head and the digest that recorded it. */
export type Anchor = AnchoredHead & { digestKey: string };

/** What the digests say, once checked. */
export interface DigestChainReport {
  breaks: AuditBreak[];
  /** Digests that check out, oldest first. */
  trusted: SealedDigest[];
  /** The newest anchor of each chain, from the trusted digests. */
  anchors: Map<string, Anchor>;
  /** Every chain the newest trusted digest lists, with the seq anchored and that digest's key. */
  chains: Map<string, { seq: number; digestKey: string }>;
}

/**
 * Checks the digest chain, as CloudTrail's validator checks its digest files: each digest's signature, its
 * body's form, that its key and sequence agree, that it was neither written over nor deleted, that no
 * sequence is missing, and that each digest's `previous` is the hash of the digest before it. Only
 * digests that check out are trusted for anchors; a break names the digest and what is wrong with it.
 */
export function verifyDigests(stored: readonly StoredDigest[]): DigestChainReport {
  const breaks: AuditBreak[] = [];
  const altered = (key: string, reason: string) =>
    breaks.push({ kind: BreakKind.DigestAltered, digestKey: key, reason });
  const bySequence = new Map<number, StoredDigest>();
  const trusted: SealedDigest[] = [];
  for (const digest of stored) {
    const sequence = sequenceOfKey(digest.key);
    if (sequence === undefined) {
      altered(digest.key, 'not a digest key (digests/<inverted sequence>-<sequence>.json)');
      continue;
    }
    bySequence.set(sequence, digest);
    if (digest.versions > 1)
      altered(digest.key, `written over: ${digest.versions} versions under this key (the first was checked)`);
    if (digest.hidden)
      breaks.push({
        kind: BreakKind.DigestMissing,
        digestKey: digest.key,
        reason: 'deleted: a delete marker hides it (Object Lock kept the version, which was checked)',
      });
    const parsed = parseDigest(digest.key, digest.body);
    if (!parsed.ok) altered(digest.key, `malformed: ${parsed.problem}`);
    else if (parsed.digest.document.sequence !== sequence)
      altered(digest.key, `its body says sequence ${parsed.digest.document.sequence}, its key ${sequence}`);
    else if (!digest.signatureValid)
      altered(digest.key, 'its signature does not verify with the signing key');
    else trusted.push(parsed.digest);
  }
  breaks.push(...sequenceGaps(bySequence));
  for (const digest of trusted) {
    const { previous, sequence } = digest.document;
    const before = bySequence.get(sequence - 1);
    if (previous === undefined || before === undefined) continue;
    if (previous.key !== before.key || previous.hash !== sha256Hex(before.body))
      altered(
        before.key,
        `its hash is not the one digest ${sequence} (${digest.key}) recorded for its predecessor`,
      );
  }
  trusted.sort((a, b) => a.document.sequence - b.document.sequence);
  const anchors = new Map<string, Anchor>();
  for (const digest of trusted)
    for (const head of digest.document.heads)
      if (head.seq >= (anchors.get(head.bucket)?.seq ?? 0))
        anchors.set(head.bucket, { ...head, digestKey: digest.key });
  const newest = trusted.at(-1);
  const chains = new Map(
    (newest?.document.chains ?? []).map((chain) => [
      chain.bucket,
      { seq: chain.seq, digestKey: newest?.key ?? '' },
    ]),
  );
  return { breaks, trusted, anchors, chains };
}

/** Sequences missing below the newest digest stored: one break per run of missing digests. */
function sequenceGaps(bySequence: ReadonlyMap<number, StoredDigest>): AuditBreak[] {
  const newest = Math.max(0, ...bySequence.keys());
  const breaks: AuditBreak[] = [];
  let from: number | undefined;
  for (let sequence = 1; sequence <= newest; sequence++) {
    if (!bySequence.has(sequence)) {
      from ??= sequence;
      continue;
    }
    if (from === undefined) continue;
    const to = sequence - 1;
    breaks.push({
      kind: BreakKind.DigestMissing,
      digestKey: digestKey(from),
      reason: `${from === to ? `digest ${from} is` : `digests ${from}..${to} are`} missing: the digest chain goes from ${from - 1 === 0 ? 'nothing' : `digest ${from - 1}`} to digest ${sequence} (${bySequence.get(sequence)?.key})`,
    });
    from = undefined;
  }
  return breaks;
}
