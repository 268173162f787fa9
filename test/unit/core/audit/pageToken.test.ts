import { describe, expect, it } from 'vitest';
import { InvalidPageTokenError } from '../../../../lib/core/audit/errors.js';
import { decodePageToken, encodePageToken, queryFingerprint } from '../../../../lib/core/audit/pageToken.js';

const query = { bucket: 'photos', since: '2026-01-01T00:00:00.000Z' };

describe('page tokens', () => {
  it('round-trip the state, URL-safe', () => {
    const state = {
      day: '2026-01-02',
      key: { bucket: 'photos', eventId: 'e/+1', timeKey: '2026-01-02T00:00:00.000Z#e/+1' },
    };
    const token = encodePageToken(query, state);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(query, token)).toEqual(state);
    const after = encodePageToken({}, { after: ['2026-01-02T00:00:00.000Z#e1', 'photos'] });
    expect(decodePageToken({}, after)).toEqual({ after: ['2026-01-02T00:00:00.000Z#e1', 'photos'] });
  });

  it('binds a token to the filters of its query, not to their order', () => {
    expect(queryFingerprint({ since: query.since, bucket: 'photos' })).toBe(queryFingerprint(query));
    expect(queryFingerprint({ bucket: 'logs' })).not.toBe(queryFingerprint({ bucket: 'photos' }));
    const token = encodePageToken(query, { key: { bucket: 'photos', eventId: 'e1', timeKey: 't' } });
    expect(() => decodePageToken({ bucket: 'logs' }, token)).toThrow(
      'invalid page token: it was handed out for another query (other filters); start again without one',
    );
  });

  it('refuses malformed tokens with InvalidPageTokenError', () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const q = queryFingerprint(query);
    for (const [token, reason] of [
      ['not a token!', 'not base64url'],
      [Buffer.from('{oops').toString('base64url'), 'not a token this service handed out'],
      [encode({ v: 2, q }), 'not a token this service handed out'],
      [encode({ v: 1, q, day: 'yesterday' }), 'bad day'],
      [encode({ v: 1, q, key: { bucket: 7 } }), 'bad key'],
      [encode({ v: 1, q, key: {} }), 'bad key'],
      [encode({ v: 1, q, after: ['t'] }), 'bad position'],
    ] as const) {
      expect(() => decodePageToken(query, token), token).toThrow(InvalidPageTokenError);
      expect(() => decodePageToken(query, token), token).toThrow(reason);
    }
  });
});
