import type { ServiceActivity } from '../service/types.js';
import type { ArrivedAlert, AuditLine } from './types.js';

const pad = (text: string, width: number) => text.padEnd(width);

/** One line per alert: `drift-resolved    s3ir-demo-changed       summary`. */
export function formatAlerts(alerts: readonly ArrivedAlert[]): string[] {
  if (alerts.length === 0) return ['  (no alerts)'];
  const typeWidth = Math.max(...alerts.map((alert) => alert.eventType.length));
  const bucketWidth = Math.max(...alerts.map((alert) => alert.bucket.length));
  return alerts.map(
    (alert) => `  ${pad(alert.eventType, typeWidth)}  ${pad(alert.bucket, bucketWidth)}  ${alert.summary}`,
  );
}

/** Counts of alerts by type: `12 drift-resolved, 2 action-required`. */
export function countAlerts(alerts: readonly ArrivedAlert[]): string {
  const counts = new Map<string, number>();
  for (const alert of alerts) counts.set(alert.eventType, (counts.get(alert.eventType) ?? 0) + 1);
  return [...counts].map(([type, count]) => `${count} ${type}`).join(', ') || 'none';
}

/** One line per audit event, newest first: `2026-05-01T10:20:30Z  bucket  action  config  message`. */
export function formatAudit(lines: readonly AuditLine[], limit = 40): string[] {
  if (lines.length === 0) return ['  (no audit events)'];
  const shown = lines.slice(0, limit);
  const bucketWidth = Math.max(...shown.map((line) => line.bucket.length));
  const actionWidth = Math.max(...shown.map((line) => line.action.length));
  const configOf = (line: AuditLine) => (line.configId ? `"${line.configId}"` : '-');
  const configWidth = Math.max(...shown.map((line) => configOf(line).length));
  const formatted = shown.map((line) => {
    const time = `${line.time.slice(0, 19)}Z`;
    const columns = [
      time,
      pad(line.bucket, bucketWidth),
      pad(line.action, actionWidth),
      pad(configOf(line), configWidth),
    ];
    return `  ${columns.join('  ')}  ${line.message?.split('\n')[0] ?? ''}`.trimEnd();
  });
  if (lines.length > limit)
    formatted.push(`  … and ${lines.length - limit} older events (s3ir audit shows all)`);
  return formatted;
}

/** One line for something the running service did, for the live log after the first cycle. */
export function formatActivity(activity: ServiceActivity, now = new Date()): string {
  const at = now.toISOString().slice(11, 19);
  switch (activity.kind) {
    case 'sweep':
      return `[${at}] schedule: sweep ${activity.runId} enqueued ${activity.buckets} buckets`;
    case 'reconciled':
      return `[${at}] reconcile: ${activity.messages} buckets${activity.failed > 0 ? `, ${activity.failed} failed (SQS redelivers them)` : ''}`;
    case 'discovered':
      return `[${at}] discover: ${activity.messages} accounts${activity.failed > 0 ? `, ${activity.failed} failed (SQS redelivers them)` : ''}`;
    case 'change': {
      const what = `${activity.eventName}${activity.bucket ? ` on ${activity.bucket}` : ''}`;
      if (activity.ignored) return `[${at}] s3Change: ${what}: our own call, ignored`;
      const enqueued = activity.enqueued.length > 0 ? activity.enqueued.join(', ') : 'nothing to reconcile';
      return `[${at}] s3Change: ${what} -> ${enqueued}`;
    }
    case 'desired-change':
      return `[${at}] desiredChange: ${activity.records} table changes${activity.failed > 0 ? `, ${activity.failed} failed` : ''}`;
    case 'error':
      return `[${at}] ${activity.source}: ${activity.message}`;
  }
}

/** How to point the AWS CLI and `s3ir` at the local AWS. */
export function pointers(env: Record<string, string>, envFile: string): string[] {
  const endpoint = env.AWS_ENDPOINT_URL ?? '';
  return [
    'Point the AWS CLI and s3ir at it, in another terminal:',
    `  export $(cat ${envFile})`,
    '  aws s3api list-buckets --query "Buckets[].Name"',
    '  npx s3ir plan',
    '  npx s3ir audit',
    'Make drift and watch the service revert it within seconds:',
    '  aws s3api delete-bucket-inventory-configuration --bucket s3ir-demo-changed --id daily-csv',
    `Calls made so far: curl ${endpoint}/_local/calls`,
  ];
}
