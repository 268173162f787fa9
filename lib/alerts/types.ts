import type { PolicyStatement } from '../policy/types.js';

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

/** One alert about one bucket. */
export interface Alert {
  type: AlertType;
  bucket: string;
  account?: string;
  region?: string;
  runId: string;
  /** One line: what happened and what it means. */
  summary: string;
  /** For `action-required`: the exact statement the owner of `target` must add. */
  statement?: PolicyStatement;
  /** The destination bucket or key ARN concerned, when there is one. */
  target?: string;
  /** Anything more a reader may want (actions, errors); cut down when the message would be too large. */
  detail?: unknown;
}

/** Where alerts go (SNS in the service). */
export interface AlertPublisher {
  publish(alert: Alert): Promise<void>;
}

/** An alert as SNS Publish takes it. */
export interface FormattedAlert {
  subject: string;
  message: string;
  attributes: { eventType: AlertType; bucket: string };
}
