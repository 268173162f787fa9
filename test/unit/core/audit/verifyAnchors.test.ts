import { describe, expect, it } from 'vitest';
import { auditItem } from '../../../../lib/adapters/aws/DynamoAuditSink.js';
import type { StoredDigest } from '../../../../lib/core/audit/anchorTypes.js';
import { chainHash } from '../../../../lib/core/audit/chainHash.js';
import {
  type AnchoredHead,
  digestKey,
  nextDigest,
  type SealedDigest,
  sealDigest,
  sequenceOfKey,
} from '../../../../lib/core/audit/digestDocument.js';
import { type ChainHead, linkEvent } from '../../../../lib/core/audit/linkEvent.js';
import { parseDigest } from '../../../../lib/core/audit/parseDigest.js';
import type { AuditEvent } from '../../../../lib/core/audit/types.js';
import { verifyAnchoredAudit } from '../../../../lib/core/audit/verifyAnchors.js';
import { verifyNewestAnchor } from '../../../../lib/core/audit/verifyNewestAnchor.js';

type Item = Record<string, unknown>;
const NOW = new Date('2026-06-01T00:00:00.000Z');

function event(bucket: string, i: number): AuditEvent {
  return {
    eventId: `${bucket}-e${i}`,
    time: `2026-05-0${i}T00:00:00.000Z`,
    runId: 'r1',
    bucket,
    action: 'inventory-updated',
    actor: 'tester',
    message: `change ${i}`,
  };
}

/** A bucket's partition items (events, then the head) after `count` events. */
function chain(bucket: string, count: number): { events: Item[]; head: ChainHead } {
  let head: ChainHead | undefined;
  const events: Item[] = [];
  for (let i = 1; i <= count; i++) {
    const linked = linkEvent(event(bucket, i), head);
    events.push(auditItem(linked.event));
    head = linked.head;
  }
  return { events, head: head! };
}

const anchoredHead = (bucket: string, count: number): AnchoredHead => {
  const { events } = chain(bucket, count);
  const last = events.at(-1)!;
  return {
    bucket,
    seq: count,
    hash: String(last.hash),
    eventId: String(last.eventId),
    time: String(last.time),
  };
};

/** Digests over successive head listings, stored as the bucket would hold them (signatures fine). */
function digests(...listings: AnchoredHead[][]): { sealed: SealedDigest[]; stored: StoredDigest[] } {
  const sealed: SealedDigest[] = [];
  for (const [i, heads] of listings.entries())
    sealed.push(sealDigest(nextDigest(sealed.at(-1), heads, new Date(NOW.getTime() - (10 - i) * 60_000))));
  return {
    sealed,
    stored: sealed.map((digest) => ({
      key: digest.key,
      body: digest.body,
      signatureValid: true,
      versions: 1,
      hidden: false,
    })),
  };
}

const partitions = (...chains: { events: Item[]; head: ChainHead }[]) =>
  new Map(chains.map((c) => [String(c.head.bucket), [...c.events, c.head] as object[]]));

const verify = (stored: StoredDigest[], chains: Map<string, object[]>) =>
  verifyAnchoredAudit({ digests: stored, chains, now: NOW });

const kinds = (report: { breaks: { kind: string }[] }) => report.breaks.map((found) => found.kind);

describe('digest documents', () => {
  it('key digests newest first, by sequence alone', () => {
    expect(digestKey(1)).toBe('digests/999999999998-1.json');
    expect(digestKey(2) < digestKey(1)).toBe(true);
    expect(sequenceOfKey(digestKey(42))).toBe(42);
    expect(sequenceOfKey('digests/000000000001-5.json')).toBeUndefined();
    expect(() => digestKey(0)).toThrow(RangeError);
  });

  it('record only the heads that moved, never move an anchor backwards, and link to the previous digest', () => {
    const first = sealDigest(nextDigest(undefined, [anchoredHead('a', 2), anchoredHead('b', 1)], NOW));
    expect(first.document).toMatchObject({
      sequence: 1,
      chains: [
        { bucket: 'a', seq: 2 },
        { bucket: 'b', seq: 1 },
      ],
    });
    expect(first.document.previous).toBeUndefined();
    const second = nextDigest(first, [anchoredHead('a', 1), anchoredHead('b', 3), anchoredHead('c', 1)], NOW);
    expect(second.heads.map((head) => [head.bucket, head.seq])).toEqual([
      ['b', 3],
      ['c', 1],
    ]);
    expect(second.chains).toEqual([
      { bucket: 'a', seq: 2 },
      { bucket: 'b', seq: 3 },
      { bucket: 'c', seq: 1 },
    ]);
    expect(second.previous).toEqual({ key: first.key, hash: first.hash });
  });

  it('parse only the canonical bytes of a well-formed digest', () => {
    const sealed = sealDigest(nextDigest(undefined, [anchoredHead('a', 1)], NOW));
    expect(parseDigest(sealed.key, sealed.body)).toEqual({ ok: true, digest: sealed });
    expect(parseDigest(sealed.key, JSON.stringify(sealed.document, null, 2))).toEqual({
      ok: false,
      problem: 'not in canonical form',
    });
    expect(parseDigest(sealed.key, '{')).toEqual({ ok: false, problem: 'not JSON' });
    const noPrevious = { ...sealed.document, sequence: 2 };
    expect(parseDigest(sealed.key, JSON.stringify(noPrevious))).toMatchObject({
      ok: false,
      problem: 'digest 2 names no previous digest',
    });
  });
});

describe('verifyAnchoredAudit()', () => {
  const a = chain('a', 4);
  const b = chain('b', 2);
  const { stored } = digests([anchoredHead('a', 3), anchoredHead('b', 2)], [anchoredHead('a', 4)]);

  it('finds an intact history intact, and names the newest digest', () => {
    const report = verify(stored, partitions(a, b));
    expect(report).toMatchObject({ intact: true, chains: 2, events: 6, breaks: [] });
    expect(report.anchors).toEqual({
      digests: 2,
      newest: { key: digestKey(2), sequence: 2, time: '2026-05-31T23:51:00.000Z' },
    });
  });

  it('names an event whose content changed', () => {
    const changed = { ...a, events: a.events.map((e) => (e.seq === 2 ? { ...e, message: 'x' } : e)) };
    const report = verify(stored, partitions(changed, b));
    expect(report.breaks).toEqual([expect.objectContaining({ kind: 'event-changed', bucket: 'a', seq: 2 })]);
  });

  it('names a chain recomputed after a changed event (it verifies on its own) by its anchor', () => {
    let head: ChainHead | undefined;
    const events: Item[] = [];
    for (let i = 1; i <= 4; i++) {
      const linked = linkEvent({ ...event('a', i), ...(i === 4 && { message: 'forged' }) }, head);
      events.push(auditItem(linked.event));
      head = linked.head;
    }
    const report = verify(stored, partitions({ events, head: head! }, b));
    expect(report.breaks).toEqual([
      expect.objectContaining({ kind: 'event-changed', bucket: 'a', seq: 4, digestKey: digestKey(2) }),
    ]);
  });

  it('names events deleted at the end of a chain with an older head written back', () => {
    const cut = {
      events: a.events.slice(0, 2),
      head: { ...a.head, seq: 2, hash: String(a.events[1]!.hash), headEventId: 'a-e2' },
    };
    expect(chainHash(cut.events[1]!)).toBe(cut.head.hash);
    const report = verify(stored, partitions(cut, b));
    expect(report.breaks).toEqual([
      expect.objectContaining({
        kind: 'events-missing',
        bucket: 'a',
        seq: 3,
        reason: expect.stringContaining('anchored this chain at seq 4'),
      }),
    ]);
  });

  it('names a head written back while its events stay', () => {
    const report = verify(stored, partitions({ ...a, head: { ...a.head, seq: 3 } }, b));
    expect(kinds(report)).toEqual(['head-mismatch', 'head-older-than-anchor']);
  });

  it('names a chain deleted entirely', () => {
    const report = verify(stored, partitions(a));
    expect(report.breaks).toEqual([
      expect.objectContaining({ kind: 'chain-missing', bucket: 'b', digestKey: digestKey(1) }),
    ]);
    expect(report.chains).toBe(2);
  });

  it('names a digest rewritten: a bad signature, or a second version under its key', () => {
    const forged = stored.map((digest, i) => (i === 0 ? { ...digest, signatureValid: false } : digest));
    expect(verify(forged, partitions(a, b)).breaks).toEqual([
      {
        kind: 'digest-altered',
        digestKey: digestKey(1),
        reason: 'its signature does not verify with the signing key',
      },
    ]);
    const over = stored.map((digest, i) => (i === 1 ? { ...digest, versions: 2 } : digest));
    expect(kinds(verify(over, partitions(a, b)))).toEqual(['digest-altered']);
  });

  it('names a digest whose body no longer hashes to what its successor recorded', () => {
    const { sealed } = digests([anchoredHead('a', 3)], [anchoredHead('a', 4)]);
    const other = sealDigest({ ...sealed[0]!.document, time: '2026-01-01T00:00:00.000Z' });
    const swapped: StoredDigest[] = [
      { key: sealed[0]!.key, body: other.body, signatureValid: true, versions: 1, hidden: false },
      { key: sealed[1]!.key, body: sealed[1]!.body, signatureValid: true, versions: 1, hidden: false },
    ];
    expect(verify(swapped, partitions(a)).breaks).toEqual([
      expect.objectContaining({ kind: 'digest-altered', digestKey: digestKey(1) }),
    ]);
  });

  it('names a digest deleted (a gap in the digest chain) and one hidden by a delete marker', () => {
    const three = digests([anchoredHead('a', 2)], [anchoredHead('a', 3)], [anchoredHead('a', 4)]).stored;
    const report = verify([three[0]!, three[2]!], partitions(a));
    expect(report.breaks).toEqual([
      {
        kind: 'digest-missing',
        digestKey: digestKey(2),
        reason: `digest 2 is missing: the digest chain goes from digest 1 to digest 3 (${digestKey(3)})`,
      },
    ]);
    const hidden = three.map((digest, i) => (i === 1 ? { ...digest, hidden: true } : digest));
    expect(verify(hidden, partitions(a)).breaks).toEqual([
      expect.objectContaining({ kind: 'digest-missing', digestKey: digestKey(2) }),
    ]);
  });

  it('limits the chains to the buckets asked for', () => {
    const report = verifyAnchoredAudit({ digests: stored, chains: partitions(a), buckets: ['a'], now: NOW });
    expect(report).toMatchObject({ intact: true, chains: 1 });
  });
});

describe('verifyNewestAnchor()', () => {
  const { stored } = digests([anchoredHead('a', 3), anchoredHead('b', 2)], [anchoredHead('a', 4)]);
  const heads = [
    { bucket: 'a', seq: 4, hash: anchoredHead('a', 4).hash },
    { bucket: 'b', seq: 2, hash: anchoredHead('b', 2).hash },
  ];

  it('says when the history was last anchored and that it verifies', () => {
    expect(verifyNewestAnchor({ newest: stored[1], predecessor: stored[0], heads })).toEqual({
      anchored: true,
      newest: { key: digestKey(2), sequence: 2, time: '2026-05-31T23:51:00.000Z' },
      verifies: true,
      breaks: [],
      unanchoredChains: 0,
    });
    expect(verifyNewestAnchor({ heads })).toMatchObject({ anchored: false, verifies: false });
  });

  it('counts chains that moved past the anchor, and names a head older than it', () => {
    const moved = [{ ...heads[0]!, seq: 5 }, heads[1]!, { bucket: 'c', seq: 1, hash: 'f'.repeat(64) }];
    expect(verifyNewestAnchor({ newest: stored[1], predecessor: stored[0], heads: moved })).toMatchObject({
      verifies: true,
      unanchoredChains: 2,
    });
    const back = verifyNewestAnchor({
      newest: stored[1],
      predecessor: stored[0],
      heads: [heads[1]!, { ...heads[0]!, seq: 3 }],
    });
    expect(back.verifies).toBe(false);
    expect(kinds(back)).toEqual(['head-older-than-anchor']);
  });

  it('does not verify a newest digest with a bad signature or a missing predecessor', () => {
    expect(kinds(verifyNewestAnchor({ newest: { ...stored[1]!, signatureValid: false }, heads }))).toEqual([
      'digest-altered',
    ]);
    expect(kinds(verifyNewestAnchor({ newest: stored[1], heads }))).toEqual(['digest-missing']);
  });
});
