import type { Alert, FormattedAlert } from './types.js';

/** SNS: a message of at most 262,144 bytes, attributes included (reference §5). Room is kept for those. */
export const MAX_MESSAGE_BYTES = 256 * 1024 - 2 * 1024;
/** SNS: a Subject of fewer than 100 printable ASCII characters, no line breaks (reference §5). */
export const MAX_SUBJECT_LENGTH = 99;

/**
 * An alert as SNS takes it: a printable-ASCII subject, a JSON body with `type`, `bucket`, `account`,
 * `region`, `runId` and a one-line `summary` (plus `statement` and `detail`), and the `eventType` and
 * `bucket` attributes subscribers filter on. When the body would be too large, `detail` is replaced by a
 * note saying so: the summary and the statement always arrive.
 */
export function formatAlert(alert: Alert): FormattedAlert {
  const summary = oneLine(alert.summary);
  const body: Record<string, unknown> = {
    type: alert.type,
    bucket: alert.bucket,
    ...(alert.account !== undefined && { account: alert.account }),
    ...(alert.region !== undefined && { region: alert.region }),
    runId: alert.runId,
    summary,
    ...(alert.target !== undefined && { target: alert.target }),
    ...(alert.statement !== undefined && { statement: alert.statement }),
  };
  let message = JSON.stringify(alert.detail === undefined ? body : { ...body, detail: alert.detail });
  if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES) {
    message = JSON.stringify({ ...body, detail: { truncated: true, bytes: Buffer.byteLength(message) } });
  }
  if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES) {
    message = JSON.stringify({ ...body, summary: cut(summary, 1024), detail: { truncated: true } });
  }
  return {
    subject: subjectOf(alert),
    message,
    attributes: { eventType: alert.type, bucket: alert.bucket },
  };
}

function subjectOf(alert: Alert): string {
  const ascii = `s3ir ${alert.type}: ${alert.bucket}`.replace(/[^\x20-\x7e]/g, '?');
  return cut(ascii, MAX_SUBJECT_LENGTH);
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function cut(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 3)}...`;
}
