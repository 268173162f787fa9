import { TimeFormatError } from '../core/audit/errors.js';
import { parseAuditTime } from '../core/audit/parseAuditTime.js';
import { AuditAction } from '../core/audit/types.js';
import { bucketNameProblems } from '../core/inventory/bucketArn.js';
import { BadParameterError } from './errors.js';

const ACTIONS: readonly string[] = Object.values(AuditAction);

/** A bucket name as S3 allows it (desired state refuses any other, so no audit event names one). */
export function bucketValue(param: string, value: string): string {
  const [problem] = bucketNameProblems(value);
  if (problem !== undefined) throw new BadParameterError(param, problem);
  return value;
}

/** An audit action of the Contract. */
export function actionValue(param: string, value: string): AuditAction {
  if (!ACTIONS.includes(value))
    throw new BadParameterError(param, `expected one of ${ACTIONS.join(', ')}, got ${JSON.stringify(value)}`);
  return value as AuditAction;
}

/**
 * A time in the CLI's syntax (`s3ir audit --since`): an ISO 8601 date or date-time, UTC when no zone is
 * given, or a duration ago (`30m`, `7d`); as ISO 8601 UTC. The CLI's time flags read the same text
 * (lib/core/audit/parseAuditTime); a malformed value becomes a 400 naming the parameter.
 */
export function timeValue(param: string, value: string, now: Date): string {
  try {
    return parseAuditTime(param, value, now);
  } catch (error) {
    if (!(error instanceof TimeFormatError)) throw error;
    throw new BadParameterError(param, error.reason, { cause: error });
  }
}

/** A whole number in `min`..`max`. */
export function integerValue(param: string, value: string, min: number, max: number): number {
  const number = /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= min && number <= max))
    throw new BadParameterError(
      param,
      `expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  return number;
}
