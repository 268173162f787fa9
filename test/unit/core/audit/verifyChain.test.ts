import { describe, expect, it } from 'vitest';
import { auditItem } from '../../../../lib/adapters/aws/DynamoAuditSink.js';
import { chainHash } from '../../../../lib/core/audit/chainHash.js';
import { reduceLargeFields } from '../../../../lib/core/audit/documentParts.js';
import { type ChainHead, linkEvent } from '../../../../lib/core/audit/linkEvent.js';
import type { AuditEvent } from '../../../../lib/core/audit/types.js';
import { verifyChain } from '../../../../lib/core/audit/verifyChain.js';

type Item = Record<string, unknown>;
const NOW = new Date('2026-06-01T00:00:00.000Z');
const nowSeconds = NOW.getTime() / 1000;

function event(i: number): AuditEvent {
  return {
    eventId: `e${i}`,
    time: `2026-05-0${i}T00:00:00.000Z`,
    runId: 'r1',
    bucket: 'photos',
    action: 'inventory-updated',
    actor: 'tester',
    message: `change ${i}`,
  };
}

/** The partition items of a chain of `count` events (with `expiresAt[i]` when given), head last. */
function chain(count: number, expiresAt: (number | undefined)[] = []): { events: Item[]; head: ChainHead } {
  let head: ChainHead | undefined;
  const events: Item[] = [];
  for (let i = 1; i <= count; i++) {
    const expiry = expiresAt[i - 1];
    const linked = linkEvent(event(i), head, expiry === undefined ? {} : { expiresAt: expiry });
    events.push(auditItem(linked.event));
    head = linked.head;
  }
  return { events, head: head! };
}

const verify = (items: object[]) => verifyChain('photos', items, { now: NOW });
const rehash = (item: Item) => ({ ...item, hash: chainHash(item) });

describe('verifyChain()', () => {
  it('accepts an intact chain with its head, in any item order, and an empty partition', () => {
    const { events, head } = chain(4);
    expect(verify([head, ...events].reverse())).toBeUndefined();
    expect(verify([])).toBeUndefined();
  });

  it('names an event whose content changed', () => {
    const { events, head } = chain(4);
    events[2] = { ...events[2], message: 'rewritten' };
    expect(verify([...events, head])).toEqual({
      kind: 'event-changed',
      bucket: 'photos',
      eventId: 'e3',
      seq: 3,
      time: '2026-05-03T00:00:00.000Z',
      reason: 'hash does not match its content',
    });
  });

  it('names the event after a forged one whose hash was recomputed', () => {
    const { events, head } = chain(4);
    events[1] = rehash({ ...events[1], message: 'rewritten' });
    expect(verify([...events, head])).toMatchObject({
      eventId: 'e3',
      reason: 'prevHash does not match the hash of the previous event e2 (seq 2)',
    });
  });

  it('names a forged prevHash', () => {
    const { events, head } = chain(3);
    events[0] = rehash({ ...events[0], prevHash: 'f'.repeat(64) });
    expect(verify([...events, head])).toMatchObject({
      eventId: 'e1',
      reason: 'prevHash of the first event is not the genesis hash (64 zeros)',
    });
  });

  it('names the gap a removed event leaves, at the start and in the middle', () => {
    const { events, head } = chain(5);
    expect(verify([events[0]!, events[1]!, events[3]!, events[4]!, head])).toMatchObject({
      eventId: 'e4',
      seq: 4,
      reason: 'seq 3 is missing (deleted before it expired): the chain goes from seq 2 to seq 4',
    });
    expect(verify([events[2]!, events[3]!, events[4]!, head])).toMatchObject({
      eventId: 'e3',
      reason: 'seq 1..2 are missing (deleted before it expired): the chain goes from seq 0 to seq 3',
    });
  });

  it('catches reordered seqs and a seq taken twice', () => {
    const { events, head } = chain(3);
    const swapped = [{ ...events[0], seq: 2 }, { ...events[1], seq: 1 }, events[2]!];
    expect(verify([...swapped, head])).toMatchObject({
      eventId: 'e2',
      seq: 1,
      reason: 'hash does not match its content',
    });
    const twice = rehash({ ...events[2], eventId: 'e9', seq: 2 });
    expect(verify([...events, twice, head])).toMatchObject({
      seq: 2,
      reason: 'seq 2 is taken twice (also by event e2)',
    });
  });

  it('catches an event written around the store (no chain attributes)', () => {
    const { events, head } = chain(2);
    expect(verify([...events, head, auditItem(event(7))])).toMatchObject({
      eventId: 'e7',
      reason: 'not in the chain (no valid seq, prevHash or hash): written around the audit store',
    });
  });

  it('checks the head: missing, not matching the last event, behind it, or past it', () => {
    const { events, head } = chain(3);
    expect(verify(events)).toEqual({
      kind: 'head-missing',
      bucket: 'photos',
      reason: 'no chain head (#chain): written around the audit store, or the head was deleted',
    });
    expect(verify([...events, { ...head, hash: 'f'.repeat(64) }])).toMatchObject({
      kind: 'head-mismatch',
      eventId: 'e3',
      seq: 3,
      reason: 'the chain head does not match the last event e3 (seq 3)',
    });
    expect(verify([...events.slice(0, 2), head])).toMatchObject({
      kind: 'events-missing',
      eventId: 'e3',
      seq: 3,
      reason: 'events after seq 2 are missing: the chain head is at seq 3',
    });
    expect(verify([...events, { ...head, seq: 2 }])).toMatchObject({
      eventId: 'e3',
      reason: 'the chain head is at seq 2, behind this event: appended around the audit store',
    });
    expect(verify([...events, { ...head, hash: undefined }])).toEqual({
      kind: 'head-missing',
      bucket: 'photos',
      reason: 'the chain head (#chain) is malformed: it needs seq, hash and headEventId',
    });
    expect(verify([head])).toMatchObject({
      reason: 'the chain head is at seq 3 but no event of the chain is stored',
    });
  });

  it('accepts events TTL removed (expired), in any order, but not a gap after a live event', () => {
    const past = nowSeconds - 10;
    const future = nowSeconds + 10;
    const { events, head } = chain(5, [past - 2, past - 1, past, future, future]);
    // TTL deleted e1 and e3 (not yet e2): both had expired.
    expect(verify([events[1]!, events[3]!, events[4]!, head])).toBeUndefined();
    expect(verify([events[4]!, head])).toMatchObject({
      eventId: 'e5',
      reason: expect.stringContaining('seq 1..4 are missing'),
    });
    // Every event expired and was deleted: only the head is left.
    const gone = chain(2, [past, past]);
    expect(verify([gone.head])).toBeUndefined();
    expect(verify([gone.events[0]!, gone.head])).toBeUndefined();
  });

  it('does not accept a gap at the start of a chain without retention', () => {
    const { events, head } = chain(3);
    expect(verify([events[2]!, head])).toMatchObject({
      eventId: 'e3',
      reason: expect.stringContaining('missing'),
    });
  });

  it('checks documents moved into parts against their digest, skipping expired events', () => {
    const large = { ...event(1), after: { policy: 'p'.repeat(2_000) } };
    const { event: reduced, parts } = reduceLargeFields(large, { limit: 1_000, partBytes: 500 });
    const linked = linkEvent(reduced, undefined);
    const items = [auditItem(linked.event), linked.head, ...parts];
    expect(verify(items)).toBeUndefined();
    const forged = parts.map((part, i) => (i === 1 ? { ...part, data: part.data.replace('p', 'q') } : part));
    expect(verify([auditItem(linked.event), linked.head, ...forged])).toMatchObject({
      eventId: 'e1',
      reason: 'document "after" (photos/#doc#e1#after): its parts do not match its digest',
    });
    expect(verify([auditItem(linked.event), linked.head, ...parts.slice(0, 2)])).toMatchObject({
      reason: expect.stringContaining('part 3 of 5 is missing'),
    });
    const expired = linkEvent(reduced, undefined, { expiresAt: nowSeconds - 1 });
    expect(verify([auditItem(expired.event), expired.head])).toBeUndefined();
  });
});
