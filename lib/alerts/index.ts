export type { AlertContext } from './alertsFor.js';
export { alertsFor, failureAlert } from './alertsFor.js';
export { formatAlert, MAX_MESSAGE_BYTES, MAX_SUBJECT_LENGTH } from './formatAlert.js';
export type { Alert, AlertPublisher, FormattedAlert } from './types.js';
export { AlertType } from './types.js';
