import { TimeFormatError } from './errors.js';

const DURATION = /^(\d+)([smhdw])$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A time bound of an audit query as ISO 8601 UTC (`2026-01-31T12:00:00.000Z`): an ISO 8601 date or date-time
 * (a date or a time without zone is UTC), or a duration ago (`30m`, `12h`, `7d`, `2w`). The CLI's flags and the
 * API's parameters take exactly this text; anything else is a {@link TimeFormatError} naming `name`.
 */
export function parseAuditTime(name: string, text: string, now: Date = new Date()): string {
  const duration = DURATION.exec(text);
  if (duration) {
    const unit = duration[2] as keyof typeof UNIT_MS;
    return new Date(now.getTime() - Number(duration[1]) * UNIT_MS[unit]).toISOString();
  }
  if (ISO.test(text)) {
    const zoned = text.length > 10 && !/(Z|[+-]\d{2}:?\d{2})$/.test(text) ? `${text}Z` : text;
    const time = Date.parse(zoned);
    if (!Number.isNaN(time) && isCalendarDate(text)) return new Date(time).toISOString();
  }
  throw new TimeFormatError(
    name,
    `expected an ISO 8601 time (2026-01-31, 2026-01-31T12:00:00Z) or a duration ago (30m, 12h, 7d), got ${JSON.stringify(text)}`,
  );
}

/** `Date.parse` rolls an impossible day over (2026-02-30 is 2026-03-02); a typo must not move the window. */
function isCalendarDate(text: string): boolean {
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
