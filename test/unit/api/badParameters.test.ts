import { describe, expect, it } from 'vitest';
import { createAuditApiRouter } from '../../../lib/api/auditApiRouter.js';
import { BadParameterError } from '../../../lib/api/errors.js';
import { parseEventsRequest } from '../../../lib/api/parseEventsRequest.js';
import type { QueryParams } from '../../../lib/api/types.js';
import { fakePorts } from './fakePorts.js';

const NOW = new Date('2026-01-31T12:00:00.000Z');
const page = { html: '', scriptHash: 'sha256-x', styleHash: 'sha256-y' };
const TIME = 'expected an ISO 8601 time (2026-01-31, 2026-01-31T12:00:00Z) or a duration ago (30m, 12h, 7d)';
const ACTIONS =
  'inventory-created, inventory-updated, inventory-deleted, destination-policy-updated, key-policy-updated, ' +
  'drift-detected, desired-state-changed, reconcile-failed, delivery-failed, delivery-restored, drift-resolved, ' +
  'action-required, change-not-applied, hold-started, hold-released';

/** [route, query, the 400's error] */
const cases: [string, QueryParams, string][] = [
  [
    '/events',
    { buket: ['photos'] },
    'buket: unknown parameter; expected bucket, since, until, run, action, limit, next',
  ],
  ['/events', { bucket: [''] }, 'bucket: empty; give a value or leave the parameter out'],
  ['/events', { bucket: ['a', 'b'] }, 'bucket: given 2 times; give it once'],
  [
    '/events',
    { bucket: ['Photos'] },
    'bucket: expected a bucket name of lowercase letters, digits, "." and "-", got "Photos"',
  ],
  ['/events', { bucket: ['ab'] }, 'bucket: expected a bucket name of 3 to 63 characters, got "ab" (2)'],
  ['/events', { bucket: ['x'.repeat(2049)] }, 'bucket: longer than 2048 characters'],
  ['/events', { since: ['yesterday'] }, `since: ${TIME}, got "yesterday"`],
  ['/events', { since: ['2026-02-30'] }, `since: ${TIME}, got "2026-02-30"`],
  ['/events', { until: ['7 days'] }, `until: ${TIME}, got "7 days"`],
  ['/events', { until: ['1d'], since: ['2d', '3d'] }, 'since: given 2 times; give it once'],
  [
    '/events',
    { since: ['2026-01-31'], until: ['2026-01-30'] },
    'since: 2026-01-31T00:00:00.000Z is after until (2026-01-30T00:00:00.000Z)',
  ],
  ['/events', { action: ['created'] }, `action: expected one of ${ACTIONS}, got "created"`],
  ['/events', { run: [''] }, 'run: empty; give a value or leave the parameter out'],
  ['/events', { limit: ['0'] }, 'limit: expected a whole number from 1 to 500, got "0"'],
  ['/events', { limit: ['501'] }, 'limit: expected a whole number from 1 to 500, got "501"'],
  ['/events', { limit: ['10.5'] }, 'limit: expected a whole number from 1 to 500, got "10.5"'],
  ['/events', { limit: ['-1'] }, 'limit: expected a whole number from 1 to 500, got "-1"'],
  ['/events', { limit: ['1e2'] }, 'limit: expected a whole number from 1 to 500, got "1e2"'],
  ['/events', { limit: [' 5'] }, 'limit: expected a whole number from 1 to 500, got " 5"'],
  ['/events', { next: [''] }, 'next: empty; give a value or leave the parameter out'],
  ['/status', { bucket: ['photos'] }, 'bucket: unknown parameter; this route takes none'],
  ['/verify', { until: ['1d'] }, 'until: unknown parameter; expected bucket, since'],
  [
    '/verify',
    { since: ['last week'] },
    'since: expected an ISO 8601 time (2026-01-31, 2026-01-31T12:00:00Z) or a duration ago (30m, 12h, 7d), got "last week"',
  ],
  [
    '/verify',
    { bucket: ['ok-bucket', 'NOT_OK'] },
    'bucket: expected a bucket name of lowercase letters, digits, "." and "-", got "NOT_OK"',
  ],
  ['/verify', { bucket: [''] }, 'bucket: empty; give a value or leave the parameter out'],
  [
    '/verify',
    { bucket: Array.from({ length: 101 }, (_, i) => `bucket-${i}`) },
    'bucket: given 101 times; at most 100',
  ],
];

describe('bad parameters', () => {
  it.each(cases)('GET %s %j answers 400 with the parameter and the reason', async (path, query, error) => {
    const { ports, calls } = fakePorts();
    const route = createAuditApiRouter({ ports, page, now: () => NOW });
    const response = await route({ method: 'GET', path, query });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(response.body)).toEqual({ error });
    // Nothing was read for a request that was refused.
    expect(calls).toEqual({ page: [], verify: [] });
  });

  it('throws a BadParameterError that carries the parameter and the reason apart', () => {
    expect(() => parseEventsRequest({ limit: ['0'] }, NOW)).toThrow(BadParameterError);
    try {
      parseEventsRequest({ limit: ['0'] }, NOW);
    } catch (error) {
      expect(error).toMatchObject({
        param: 'limit',
        reason: 'expected a whole number from 1 to 500, got "0"',
      });
    }
  });

  it('accepts the edges: limit 1 and 500, since equal to until, a date-time with an offset', () => {
    expect(parseEventsRequest({ limit: ['1'] }, NOW).limit).toBe(1);
    expect(parseEventsRequest({ limit: ['500'] }, NOW).limit).toBe(500);
    expect(parseEventsRequest({ since: ['2026-01-31'], until: ['2026-01-31'] }, NOW).query).toEqual({
      since: '2026-01-31T00:00:00.000Z',
      until: '2026-01-31T00:00:00.000Z',
    });
    expect(parseEventsRequest({ since: ['2026-01-31T12:00:00+01:00'] }, NOW).query.since).toBe(
      '2026-01-31T11:00:00.000Z',
    );
  });
});
