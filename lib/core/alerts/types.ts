import type { PolicyStatement } from '../policy/types.js';
import type { AdoptionDigest } from './adoptionSummary.js';

/** SNS alert types (Contract: the `eventType` message attribute). */
export const AlertType = {
  DriftDetected: 'drift-detected',
  DriftResolved: 'drift-resolved',
  ReconcileFailed: 'reconcile-failed',
  ActionRequired: 'action-required',
  DeliveryFailed: 'delivery-failed',
  DeliveryRestored: 'delivery-restored',
} as const;
export type AlertType = (typeof AlertType)[keyof typeof AlertType];

/** How urgent an alert is: the `severity` message attribute and body field (see severity.ts). */
export const AlertSeverity = { High: 'high', Medium: 'medium', Info: 'info' } as const;
export type AlertSeverity = (typeof AlertSeverity)[keyof typeof AlertSeverity];

/** One alert about one bucket. */
export interface Alert {
  type: AlertType;
  bucket: string;
  account?: string;
  region?: string;
  runId: string;
  /** One line: what happened and what it means. */
  summary: string;
  /** Set on a reminder: the same condition, unchanged since `since`, alerted again after the interval. */
  reminder?: boolean;
  /** ISO 8601 UTC: since when the condition this alert reports holds. */
  since?: string;
  /** For `action-required`: the exact statement the owner of `target` must add. */
  statement?: PolicyStatement;
  /** The destination bucket or key ARN concerned, when there is one. */
  target?: string;
  /** Anything more a reader may want (actions, errors); cut down when the message would be too large. */
  detail?: unknown;
  /** What the reader does next, when the type's usual steps do not fit (the account-wide hold). */
  nextSteps?: string[];
  /** Set on a first sweep's summary (one alert per run and account: lib/core/alerts/adoptionSummary). */
  adoption?: AdoptionDigest;
}

/** Where alerts go (SNS in the service): formats and sends one alert. */
export interface AlertPublisher {
  publish(alert: Alert): Promise<void>;
}

/** An alert as SNS Publish takes it. */
export interface FormattedAlert {
  subject: string;
  message: string;
  attributes: { eventType: AlertType; bucket: string; severity: AlertSeverity };
}

/** Sends an already formatted alert (SNS Publish); throws when it was not accepted. */
export interface AlertSender {
  send(alert: FormattedAlert): Promise<void>;
}

/** An alert SNS did not take, kept until a later run delivers it. */
export interface OutboxEntry {
  /** Deterministic (a hash of the formatted alert): a retried worker keeps it once. */
  id: string;
  alert: FormattedAlert;
  /** ISO 8601 UTC. */
  createdAt: string;
}

/** Undelivered alerts (the `#outbox` partition of the state table in the service). */
export interface AlertOutbox {
  /** Keeps `entry`; an entry with the same id already kept is a success. */
  put(entry: OutboxEntry): Promise<void>;
  /** Every kept entry, oldest first. */
  list(): Promise<OutboxEntry[]>;
  delete(id: string): Promise<void>;
}

/** Sending with a fallback: what SNS refuses goes to the outbox. */
export interface AlertDeliveryPorts {
  sender: AlertSender;
  outbox: AlertOutbox;
  now?: () => Date;
}
