export type { FlushReport } from '../../usecases/flushOutbox/flushOutbox.js';
export { flushOutbox } from '../../usecases/flushOutbox/flushOutbox.js';
export type { DeliveryReport } from '../../usecases/recordTransition/deliverAlerts.js';
export { deliverAlerts, outboxId } from '../../usecases/recordTransition/deliverAlerts.js';
export type { BucketCondition, BucketStatus, ConditionStatus, StatusStore } from './bucketStatus.js';
export { BucketState } from './bucketStatus.js';
export type { ChatNotification } from './chatNotification.js';
export { chatNotification } from './chatNotification.js';
export {
  ALERT_BODY_VERSION,
  DEFAULT_REMINDER_HOURS,
  MAX_SUBJECT_LENGTH,
  SNS_MESSAGE_LIMIT_BYTES,
} from './constants.js';
export { AlertDeliveryError, AlertError } from './errors.js';
export { fingerprint, stableText } from './fingerprint.js';
export { formatAlert, publishedBytes } from './formatAlert.js';
export type { AppliedChange, DriftLeft, Observation } from './observation.js';
export { observeFailure, observeOutcome } from './observation.js';
export type { KnownStatuses } from './PrefetchedStatusStore.js';
export { PrefetchedStatusStore } from './PrefetchedStatusStore.js';
export { ALERT_SEVERITY } from './severity.js';
export type { Transition, TransitionOptions } from './transition.js';
export { transition } from './transition.js';
export type {
  Alert,
  AlertDeliveryPorts,
  AlertOutbox,
  AlertPublisher,
  AlertSender,
  FormattedAlert,
  OutboxEntry,
} from './types.js';
export { AlertSeverity, AlertType } from './types.js';
