import type { AlertSeverity, AlertType } from './types.js';

/**
 * The severity of each alert type, sent as the `severity` message attribute (and body field) so that a
 * subscription's filter policy can page on `high` and mail the rest:
 * - `high`: someone must act (`reconcile-failed`, `action-required`, `delivery-failed`);
 * - `medium`: drift left in place (`drift-detected`): detect mode, the blast-radius guard, unmanaged;
 * - `info`: good news (`drift-resolved`, `delivery-restored`).
 */
export const ALERT_SEVERITY: Readonly<Record<AlertType, AlertSeverity>> = {
  'reconcile-failed': 'high',
  'action-required': 'high',
  'delivery-failed': 'high',
  'drift-detected': 'medium',
  'drift-resolved': 'info',
  'delivery-restored': 'info',
};
