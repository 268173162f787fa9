import { describe, expect, it } from 'vitest';
import { UsageError, UserError } from '../../../lib/cli/errors.js';
import { parseTime } from '../../../lib/cli/parseTime.js';

const NOW = new Date('2026-01-31T12:00:00.000Z');

const expectedMessage = (flag: string, text: string) =>
  `${flag}: expected an ISO 8601 time (2026-01-31, 2026-01-31T12:00:00Z) or a duration ago (30m, 12h, 7d), got ${JSON.stringify(text)}`;

describe('parseTime()', () => {
  it.each([
    ['45s', '2026-01-31T11:59:15.000Z'],
    ['30m', '2026-01-31T11:30:00.000Z'],
    ['12h', '2026-01-31T00:00:00.000Z'],
    ['7d', '2026-01-24T12:00:00.000Z'],
    ['2w', '2026-01-17T12:00:00.000Z'],
    ['0m', '2026-01-31T12:00:00.000Z'],
    ['90d', '2025-11-02T12:00:00.000Z'],
  ])('reads the duration %s as that long before now', (text, expected) => {
    expect(parseTime('--since', text, NOW)).toBe(expected);
  });

  it('measures a duration from the current time when no now is given', () => {
    const before = Date.now();
    const parsed = Date.parse(parseTime('--since', '1h'));
    const after = Date.now();
    expect(parsed).toBeGreaterThanOrEqual(before - 3_600_000);
    expect(parsed).toBeLessThanOrEqual(after - 3_600_000);
  });

  it.each([
    ['2026-01-31', '2026-01-31T00:00:00.000Z'],
    ['2026-01-31T12:00', '2026-01-31T12:00:00.000Z'],
    ['2026-01-31T12:00:07', '2026-01-31T12:00:07.000Z'],
    ['2026-01-31T12:00:07.25', '2026-01-31T12:00:07.250Z'],
    ['2026-01-31T12:00:07.123456789Z', '2026-01-31T12:00:07.123Z'],
    ['2026-01-31T12:00:00Z', '2026-01-31T12:00:00.000Z'],
    ['2026-01-31T12:00Z', '2026-01-31T12:00:00.000Z'],
    ['2026-01-31T12:00:00+02:00', '2026-01-31T10:00:00.000Z'],
    ['2026-01-31T12:00:00-0130', '2026-01-31T13:30:00.000Z'],
    ['2026-01-31T23:30-01:00', '2026-02-01T00:30:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
  ])('reads the ISO 8601 time %s (UTC when it has no zone)', (text, expected) => {
    expect(parseTime('--until', text, NOW)).toBe(expected);
  });

  it.each([
    '',
    'yesterday',
    '30',
    '1.5h',
    '-30m',
    '30 m',
    '5y',
    '30M',
    '2026-1-31',
    '2026-01-31 12:00',
    '2026-01-31T12',
    '2026-01-31T12:00:00+2',
    '2026-13-01',
    '2026-01-32',
    '2026-01-31T25:00',
    '2026-01-31T12:60Z',
    ' 2026-01-31',
  ])('refuses %j with a UsageError (exit 64) naming the flag', (text) => {
    let thrown: unknown;
    try {
      parseTime('--since', text, NOW);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UserError);
    expect((thrown as UserError).message).toBe(expectedMessage('--since', text));
    expect((thrown as UserError).exitCode).toBe(64);
  });

  it.each(['2026-02-30', '2025-02-29', '2026-04-31', '2026-02-31T00:00Z'])(
    'refuses the impossible calendar date %j rather than rolling it into the next month',
    (text) => {
      expect(() => parseTime('--until', text, NOW)).toThrow(new UsageError(expectedMessage('--until', text)));
    },
  );
});
