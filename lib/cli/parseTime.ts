import { TimeFormatError } from '../core/audit/errors.js';
import { parseAuditTime } from '../core/audit/parseAuditTime.js';
import { UsageError } from './errors.js';

/**
 * A time flag's value as ISO 8601 UTC, as {@link parseAuditTime} reads it; a malformed value is a
 * {@link UsageError} (exit 64) naming the flag.
 */
export function parseTime(flag: string, text: string, now: Date = new Date()): string {
  try {
    return parseAuditTime(flag, text, now);
  } catch (error) {
    if (error instanceof TimeFormatError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
}
