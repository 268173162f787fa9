import { createHash } from 'node:crypto';
import { AlertDeliveryError } from '../../core/alerts/errors.js';
import { formatAlert } from '../../core/alerts/formatAlert.js';
import type { Alert, AlertDeliveryPorts, FormattedAlert } from '../../core/alerts/types.js';
import { canonicalJson } from '../../core/audit/canonicalJson.js';

/** What became of a run's alerts. */
export interface DeliveryReport {
  sent: number;
  /** Alerts SNS refused, kept in the outbox for the next flush: `type bucket: why`, one line each. */
  queued: string[];
  /** Alerts of a first reconcile left to its run's summary instead (lib/usecases/recordTransition/summariseFirstAlerts). */
  summarised?: number;
  /** Why they could not be, and went out one by one. */
  summaryError?: string;
}

/**
 * Sends each alert; one SNS refuses (after the SDK's own retries) is kept in the outbox, sent by the
 * next flush ({@link flushOutbox}): the writer's own (lib/usecases/recordTransition/AlertDispatch) or the next sweep's.
 * Nothing is dropped.
 * @throws AlertDeliveryError (retryable) when an alert could be neither sent nor kept: the caller
 *   lets SQS redeliver the bucket.
 */
export async function deliverAlerts(
  alerts: readonly Alert[],
  ports: AlertDeliveryPorts,
): Promise<DeliveryReport> {
  const formatted = alerts.map(formatAlert);
  const settled = await Promise.allSettled(formatted.map((alert) => ports.sender.send(alert)));
  const queued: string[] = [];
  const lost: string[] = [];
  let firstCause: unknown;
  for (const [index, result] of settled.entries()) {
    if (result.status === 'fulfilled') continue;
    const alert = formatted[index]!;
    const name = `${alert.attributes.eventType} ${alert.attributes.bucket}`;
    try {
      const createdAt = (ports.now?.() ?? new Date()).toISOString();
      await ports.outbox.put({ id: outboxId(alert), alert, createdAt });
      queued.push(`${name}: ${describe(result.reason)}`);
    } catch (error) {
      firstCause ??= error;
      lost.push(`${name}: ${describe(result.reason)}; outbox: ${describe(error)}`);
    }
  }
  if (lost.length > 0) throw new AlertDeliveryError(lost, { cause: firstCause });
  return { sent: alerts.length - queued.length, queued };
}

/**
 * The outbox id of a formatted alert: sha256 (hex) of its canonical JSON. The message carries the run
 * id, so a retried worker keeps the same alert once, and two runs' alerts never share an id.
 */
export function outboxId(alert: FormattedAlert): string {
  return createHash('sha256').update(canonicalJson(alert)).digest('hex');
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
}
