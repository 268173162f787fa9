import { chatNotification } from './chatNotification.js';
import { MAX_SUBJECT_LENGTH, MAX_SUMMARY_LENGTH, SNS_MESSAGE_LIMIT_BYTES } from './constants.js';
import { ALERT_SEVERITY } from './severity.js';
import type { Alert, FormattedAlert } from './types.js';

/**
 * An alert as SNS takes it: a printable-ASCII subject under 100 characters, a JSON body, and the
 * `eventType`, `bucket` and `severity` String attributes subscribers filter on. The body has the Contract's
 * `type`, `bucket` and one-line `summary` with `severity`, `account`, `region`, `runId` (plus `reminder`,
 * `since`, `target`, `statement`, a first sweep's `adoption` summary and the structured `detail`), and the fields of an Amazon Q Developer in
 * chat applications custom notification (`version` "1.0", `source` "custom", `content`, `metadata`:
 * chatNotification.ts), so that SNS → Amazon Q → Slack or Teams renders a card. The whole message stays
 * within SNS's 256 KB, attributes included: when it would not, `detail` is replaced by a note saying so,
 * never the alert dropped; the summary (cut only if it alone is enormous) and the statement always arrive.
 */
export function formatAlert(alert: Alert): FormattedAlert {
  const severity = ALERT_SEVERITY[alert.type];
  const summary = oneLine(alert.summary);
  const bodyWith = (shown: string): Record<string, unknown> => {
    const { version, source, content, metadata } = chatNotification(alert, severity, shown);
    return {
      version,
      source,
      type: alert.type,
      severity,
      bucket: alert.bucket,
      ...(alert.account !== undefined && { account: alert.account }),
      ...(alert.region !== undefined && { region: alert.region }),
      runId: alert.runId,
      summary: shown,
      ...(alert.reminder === true && { reminder: true }),
      ...(alert.since !== undefined && { since: alert.since }),
      ...(alert.target !== undefined && { target: alert.target }),
      ...(alert.statement !== undefined && { statement: alert.statement }),
      ...(alert.adoption !== undefined && { adoption: alert.adoption }),
      content,
      metadata,
    };
  };
  const body = bodyWith(summary);
  const subject = subjectOf(alert);
  const attributes = { eventType: alert.type, bucket: alert.bucket, severity };
  const room = SNS_MESSAGE_LIMIT_BYTES - envelopeBytes(subject, attributes);
  let message = JSON.stringify(alert.detail === undefined ? body : { ...body, detail: alert.detail });
  if (Buffer.byteLength(message) > room) {
    message = JSON.stringify({ ...body, detail: { truncated: true, bytes: Buffer.byteLength(message) } });
  }
  if (Buffer.byteLength(message) > room) {
    message = JSON.stringify({ ...bodyWith(cut(summary, MAX_SUMMARY_LENGTH)), detail: { truncated: true } });
  }
  return { subject, message, attributes };
}

/** What SNS counts against its 256 KB limit for one formatted alert: message, subject and attributes. */
export function publishedBytes(alert: FormattedAlert): number {
  return Buffer.byteLength(alert.message) + envelopeBytes(alert.subject, alert.attributes);
}

/** Subject and attributes (name, `String` type and value of each), counted generously as bytes. */
function envelopeBytes(subject: string, attributes: Record<string, string>): number {
  let bytes = Buffer.byteLength(subject);
  for (const [name, value] of Object.entries(attributes)) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength('String') + Buffer.byteLength(value);
  }
  return bytes;
}

function subjectOf(alert: Alert): string {
  const reminder = alert.reminder === true ? ' (reminder)' : '';
  const about =
    alert.adoption === undefined
      ? alert.bucket
      : `first reconcile of ${alert.adoption.total} in ${alert.adoption.account}`;
  const ascii = `s3ir ${alert.type}${reminder}: ${about}`.replace(/[^\x20-\x7e]/g, '?');
  return cut(ascii, MAX_SUBJECT_LENGTH);
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function cut(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 3)}...`;
}
