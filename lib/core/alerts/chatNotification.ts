import type { AdoptionDigest } from './adoptionSummary.js';
import { ALERT_BODY_VERSION } from './constants.js';
import type { Alert, AlertSeverity, AlertType } from './types.js';

/**
 * The fields of an Amazon Q Developer in chat applications custom notification (formerly AWS Chatbot),
 * as https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html ("Event schema") gives them:
 * `version` "1.0" and `source` "custom" are required; `content` holds `textType` (only "client-markdown"),
 * `title`, `description` and `nextSteps`; `metadata` holds `threadId`, `eventType` and `additionalContext`
 * (string values). SNS → Amazon Q → Slack or Microsoft Teams then shows a card instead of raw JSON.
 */
export interface ChatNotification {
  version: typeof ALERT_BODY_VERSION;
  source: 'custom';
  content: {
    textType: 'client-markdown';
    title: string;
    description: string;
    nextSteps: string[];
  };
  metadata: {
    /** One thread per bucket, where the channel threads notifications: a drift and its resolution meet. */
    threadId: string;
    eventType: AlertType;
    additionalContext: Record<string, string>;
  };
}

const TITLES: Readonly<Record<AlertType, string>> = {
  'drift-detected': 'Drift detected',
  'drift-resolved': 'Drift resolved',
  'reconcile-failed': 'Reconcile failed',
  'action-required': 'Action required',
  'delivery-failed': 'Inventory reports not arriving',
  'delivery-restored': 'Inventory reports arriving again',
};

/** Severity at a glance in the channel (Unicode, so that Slack and Teams both show it). */
const SEVERITY_MARKS: Readonly<Record<AlertSeverity, string>> = { high: '🚨', medium: '⚠️', info: '✅' };

/** What a reader does next, as s3ir commands where there is one. */
function nextSteps(alert: Alert): string[] {
  if (alert.nextSteps !== undefined) return alert.nextSteps;
  const bucket = alert.bucket;
  switch (alert.type) {
    case 'drift-detected':
      return [
        `See the differences: \`s3ir plan --bucket ${bucket}\``,
        `Converge them: \`s3ir reconcile --bucket ${bucket}\`, or set the bucket's mode to enforce`,
      ];
    case 'drift-resolved':
      return [`What changed: \`s3ir audit --bucket ${bucket} --run ${alert.runId}\``];
    case 'reconcile-failed':
      return [
        `Reproduce the error: \`s3ir plan --bucket ${bucket}\``,
        `What the run did: \`s3ir audit --bucket ${bucket} --run ${alert.runId}\``,
      ];
    case 'action-required':
      return [
        `The owner of ${alert.target === undefined ? 'the resource' : `\`${alert.target}\``} adds the statement (this service may not write it)`,
        `Then check: \`s3ir plan --bucket ${bucket}\``,
      ];
    case 'delivery-failed':
      return [
        `Check the reports: \`s3ir delivery --bucket ${bucket}\``,
        `Check the grants: \`s3ir plan --bucket ${bucket}\``,
      ];
    case 'delivery-restored':
      return [`Check the reports: \`s3ir delivery --bucket ${bucket}\``];
  }
}

/** The description: the one-line summary, then where, when and (for action-required) the statement. */
function description(alert: Alert, summary: string): string {
  const where = [
    alert.account !== undefined && `account \`${alert.account}\``,
    alert.region !== undefined && `region \`${alert.region}\``,
    `run \`${alert.runId}\``,
  ].filter((part): part is string => typeof part === 'string');
  const lines = [summary, '', where.join(' · ')];
  if (alert.adoption !== undefined) lines.push(...adoptionLines(alert.adoption));
  if (alert.reminder === true) lines.push(`Unchanged since ${alert.since ?? 'the last alert'} (reminder).`);
  if (alert.target !== undefined) lines.push(`Target: \`${alert.target}\``);
  if (alert.statement !== undefined)
    lines.push('', 'Statement to add:', '```', JSON.stringify(alert.statement, null, 2), '```');
  return lines.join('\n');
}

/** A first sweep's summary: the buckets named per kind, and how many more each counts. */
function adoptionLines(adoption: AdoptionDigest): string[] {
  const lines: string[] = [];
  for (const [kind, names] of Object.entries(adoption.buckets)) {
    const more = adoption.more[kind as keyof AdoptionDigest['more']];
    const named = names.map((name) => `\`${name}\``).join(', ');
    lines.push(`${TITLES[kind as AlertType]}: ${named}${more === undefined ? '' : ` and ${more} more`}`);
  }
  if (adoption.targets.length > 0)
    lines.push(`Targets: ${adoption.targets.map((target) => `\`${target}\``).join(', ')}`);
  return lines;
}

/** The Amazon Q custom-notification fields of an alert's SNS body, from its (one-line) summary. */
export function chatNotification(alert: Alert, severity: AlertSeverity, summary: string): ChatNotification {
  const reminder = alert.reminder === true ? ' (reminder)' : '';
  const context: Record<string, string> = {
    ...(alert.account !== undefined && { account: alert.account }),
    ...(alert.region !== undefined && { region: alert.region }),
    runId: alert.runId,
    severity,
  };
  return {
    version: ALERT_BODY_VERSION,
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title: `${SEVERITY_MARKS[severity]} ${TITLES[alert.type]}: ${titleSubject(alert)}${reminder}`,
      description: description(alert, summary),
      nextSteps: nextSteps(alert),
    },
    metadata: { threadId: threadOf(alert), eventType: alert.type, additionalContext: context },
  };
}

/** What a card's title names: the bucket, or a summary's count and account. */
function titleSubject(alert: Alert): string {
  if (alert.adoption === undefined) return `\`${alert.bucket}\``;
  return `first reconcile of ${alert.adoption.total} in \`${alert.adoption.account}\``;
}

/** One thread per bucket; a run's summaries thread by account (they name many buckets). */
function threadOf(alert: Alert): string {
  return alert.adoption === undefined ? `s3ir/${alert.bucket}` : `s3ir/adoption/${alert.adoption.account}`;
}
