import { describe, expect, it } from 'vitest';
import { chainHash } from '../../../../lib/core/audit/chainHash.js';
import { GENESIS_HASH } from '../../../../lib/core/audit/constants.js';
import { InvalidAuditEventError } from '../../../../lib/core/audit/errors.js';
import { linkEvent } from '../../../../lib/core/audit/linkEvent.js';
import { prepareEvent } from '../../../../lib/core/audit/prepareEvent.js';
import type { AuditEvent } from '../../../../lib/core/audit/types.js';

const event = (eventId: string, extra: Partial<AuditEvent> = {}): AuditEvent => ({
  eventId,
  time: '2026-03-01T10:00:00.000Z',
  runId: 'r1',
  bucket: 'photos',
  action: 'inventory-created',
  actor: 'tester',
  ...extra,
});

describe('linkEvent()', () => {
  it('starts a chain at seq 1 after the genesis hash, and names the event in the new head', () => {
    const { event: first, head } = linkEvent(event('e1'), undefined);
    expect(first).toEqual({ ...event('e1'), seq: 1, prevHash: GENESIS_HASH, hash: chainHash(first) });
    expect(head).toEqual({
      bucket: 'photos',
      eventId: '#chain',
      seq: 1,
      hash: first.hash,
      headEventId: 'e1',
    });
  });

  it('links each event to the hash of the one before', () => {
    const one = linkEvent(event('e1'), undefined);
    const two = linkEvent(event('e2'), one.head);
    expect(two.event).toMatchObject({ seq: 2, prevHash: one.event.hash });
    expect(two.event.hash).toBe(chainHash(two.event));
    expect(two.head).toMatchObject({ seq: 2, hash: two.event.hash, headEventId: 'e2' });
  });

  it('never lets expiry go backwards, and records the predecessor expiry in the hashed event', () => {
    const one = linkEvent(event('e1'), undefined, { expiresAt: 2_000 });
    expect(one.event.expiresAt).toBe(2_000);
    expect(one.event).not.toHaveProperty('prevExpiresAt');
    expect(one.head.lastExpiresAt).toBe(2_000);
    const two = linkEvent(event('e2'), one.head, { expiresAt: 1_500 });
    expect(two.event).toMatchObject({ expiresAt: 2_000, prevExpiresAt: 2_000 });
    const three = linkEvent(event('e3'), two.head);
    expect(three.event).toMatchObject({ prevExpiresAt: 2_000 });
    expect(three.event).not.toHaveProperty('expiresAt');
    expect(three.head).not.toHaveProperty('lastExpiresAt');
  });
});

describe('prepareEvent()', () => {
  it('keeps plain JSON only and drops chain and index attributes a caller passed', () => {
    const read = {
      ...event('e1', {
        configId: undefined,
        seq: 9,
        prevHash: 'p',
        hash: 'h',
        expiresAt: 1,
        prevExpiresAt: 1,
      }),
      timeKey: 'k',
      day: 'd',
      after: { at: new Date(0), list: [1, undefined] },
    } as unknown as AuditEvent;
    expect(prepareEvent(read)).toEqual({
      ...event('e1'),
      after: { at: '1970-01-01T00:00:00.000Z', list: [1, null] },
    });
  });

  it('refuses ids the table reserves and an empty bucket', () => {
    expect(() => prepareEvent(event('#chain'))).toThrow(InvalidAuditEventError);
    expect(() => prepareEvent(event(''))).toThrow(/eventId "" must be non-empty/);
    expect(() => prepareEvent(event('e1', { bucket: '' }))).toThrow(/bucket must be a non-empty string/);
    expect(() => prepareEvent(event('e1', { time: 7 as unknown as string }))).toThrow(
      'audit event e1: time must be an ISO 8601 string',
    );
  });
});
