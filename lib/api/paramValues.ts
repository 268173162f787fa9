import { UserError } from '../cli/errors.js';
import { parseTime } from '../core/audit/parseTime.js';
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
 * given, or a duration ago (`30m`, `7d`); as ISO 8601 UTC. Reuses lib/core/audit/parseTime, so the API and the
 * CLI accept exactly the same text; its UserError (already `<param>: <reason>`) becomes a 400.
 */
export function timeValue(param: string, value: string, now: Date): string {
  try {
    return parseTime(param, value, now);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    const prefix = `${param}: `;
    const reason = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    throw new BadParameterError(param, reason, { cause: error });
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
