import type { ClientFactory } from '../adapters/aws/ClientFactory.js';
import { lazySend } from '../adapters/aws/lazySend.js';
import { SnsAlertPublisher } from '../adapters/aws/SnsAlertPublisher.js';
import { DEFAULT_REMINDER_HOURS } from '../core/alerts/constants.js';
import type { AlertDeliveryPorts, AlertOutbox } from '../core/alerts/types.js';
import type { ReconcileMessageOptions } from '../usecases/reconcileMessage/reconcileMessage.js';
import { AlertDispatch } from '../usecases/recordTransition/AlertDispatch.js';
import type { ServiceConfig } from './serviceConfig.js';
import type { BatchStatusStore } from './stateStores.js';

/** How one writer's alerts leave: absent when there is no topic (an `s3ir` user may have none). */
export interface AlertWiring {
  /** SNS, else the outbox for the next flush. */
  delivery?: AlertDeliveryPorts;
  /** The writer's delivery: also flushes the outbox when it may hold alerts (lib/usecases/recordTransition/AlertDispatch). */
  dispatch?: AlertDispatch;
}

/** The status step after every reconcile (lib/usecases/recordTransition/recordTransition). */
export type StatusStep = ReconcileMessageOptions['status'];

/** The alert delivery of `S3IR_ALERT_TOPIC_ARN` over `outbox`; nothing without a topic. */
export function alertWiring(
  config: Pick<ServiceConfig, 'alertTopicArn'>,
  factory: ClientFactory,
  outbox: AlertOutbox,
): AlertWiring {
  if (!config.alertTopicArn) return {};
  const sender = new SnsAlertPublisher({
    client: lazySend(() => factory.sns()),
    topicArn: config.alertTopicArn,
  });
  const delivery: AlertDeliveryPorts = { sender, outbox };
  return { delivery, dispatch: new AlertDispatch(delivery) };
}

/** `S3IR_ALERT_REMINDER_HOURS` in milliseconds (24 hours unless set; 0: never remind). */
export function reminderMs(config: Pick<ServiceConfig, 'alertReminderHours'>): number {
  return (config.alertReminderHours ?? DEFAULT_REMINDER_HOURS) * 3_600_000;
}

/** The status step over `statuses`, sending through `alerts` when there are any. */
export function statusStep(
  config: Pick<ServiceConfig, 'alertReminderHours'>,
  statuses: BatchStatusStore,
  alerts: AlertWiring,
): StatusStep {
  return {
    status: statuses,
    reminderMs: reminderMs(config),
    ...(alerts.delivery !== undefined && { alerts: alerts.delivery }),
    ...(alerts.dispatch !== undefined && { dispatch: alerts.dispatch }),
  };
}
