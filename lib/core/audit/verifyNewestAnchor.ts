import type { AnchorStatus, AuditBreak, StoredDigest, TableHead } from './anchorTypes.js';
import { BreakKind } from './breakKinds.js';
import { sha256Hex } from './chainHash.js';
import { sequenceOfKey } from './digestDocument.js';
import { parseDigest } from './parseDigest.js';

/**
 * The cheap check behind the viewer's anchor line: the newest digest (signature, form, not written over
 * or deleted, its `previous` hash matching its predecessor's body) against the table's chain heads alone.
 * It reads no event, so it says nothing of events changed inside a chain: `s3ir audit verify` does.
 */
export function verifyNewestAnchor(input: {
  newest?: StoredDigest;
  predecessor?: StoredDigest;
  heads: readonly TableHead[];
}): AnchorStatus {
  const { newest, predecessor } = input;
  if (newest === undefined) return { anchored: false, verifies: false, breaks: [], unanchoredChains: 0 };
  const breaks: AuditBreak[] = [];
  const altered = (reason: string) =>
    breaks.push({ kind: BreakKind.DigestAltered, digestKey: newest.key, reason });
  if (newest.versions > 1) altered(`written over: ${newest.versions} versions under this key`);
  const parsed = parseDigest(newest.key, newest.body);
  if (!parsed.ok) altered(`malformed: ${parsed.problem}`);
  else if (parsed.digest.document.sequence !== sequenceOfKey(newest.key))
    altered('its body and its key name different sequences');
  else if (!newest.signatureValid) altered('its signature does not verify with the signing key');
  if (!parsed.ok || breaks.length > 0)
    return { anchored: true, verifies: false, breaks, unanchoredChains: 0 };
  const { document } = parsed.digest;
  const summary = { key: newest.key, sequence: document.sequence, time: document.time };
  if (document.previous !== undefined) {
    if (predecessor === undefined)
      breaks.push({
        kind: BreakKind.DigestMissing,
        digestKey: document.previous.key,
        reason: `digest ${document.sequence - 1}, named by the newest digest, is missing`,
      });
    else if (
      predecessor.key !== document.previous.key ||
      sha256Hex(predecessor.body) !== document.previous.hash
    )
      breaks.push({
        kind: BreakKind.DigestAltered,
        digestKey: predecessor.key,
        reason: `its hash is not the one the newest digest ${newest.key} recorded`,
      });
  }
  const heads = new Map(input.heads.map((head) => [head.bucket, head]));
  const moved = new Map(document.heads.map((head) => [head.bucket, head]));
  let unanchoredChains = 0;
  for (const chain of document.chains) {
    const head = heads.get(chain.bucket);
    const where = { bucket: chain.bucket, digestKey: newest.key };
    if (head === undefined)
      breaks.push({
        ...where,
        kind: BreakKind.ChainMissing,
        reason: `no chain head in the table: the newest digest anchored it at seq ${chain.seq}`,
      });
    else if (head.seq < chain.seq)
      breaks.push({
        ...where,
        kind: BreakKind.HeadOlderThanAnchor,
        seq: head.seq,
        reason: `the chain head is at seq ${head.seq}, older than seq ${chain.seq} the newest digest anchored`,
      });
    else if (head.seq === moved.get(chain.bucket)?.seq && head.hash !== moved.get(chain.bucket)?.hash)
      breaks.push({
        ...where,
        kind: BreakKind.EventChanged,
        seq: head.seq,
        reason: `the chain head's hash at seq ${head.seq} is not the one the newest digest anchored`,
      });
    else if (head.seq > chain.seq) unanchoredChains++;
  }
  unanchoredChains += input.heads.filter(
    (head) => !document.chains.some((c) => c.bucket === head.bucket),
  ).length;
  return { anchored: true, newest: summary, verifies: breaks.length === 0, breaks, unanchoredChains };
}
