import type { Alert, AlertDeliveryPorts } from '../../core/alerts/types.js';
import { type FlushReport, flushOutbox } from '../flushOutbox/flushOutbox.js';
import { type DeliveryReport, deliverAlerts } from './deliverAlerts.js';

/**
 * One writer's alert delivery (a Lambda sandbox, one `s3ir` run), which also empties the outbox, so that an
 * alert SNS refused is sent as soon as SNS answers again rather than at the next sweep. The rule, so that
 * steady state costs nothing (no alert: no Query):
 * - before the first alert an invocation sends, the outbox is flushed (one paginated Query), so what an
 *   earlier run kept arrives before this run's news (a failure before its recovery);
 * - a writer that kept an alert in this invocation flushes again when it ends ({@link settle}); while
 *   entries stay (SNS still refusing), the next invocation's end tries again.
 * At most two Queries of `#outbox` per invocation that has alerts; none otherwise.
 */
export class AlertDispatch {
  private readonly ports: AlertDeliveryPorts;
  private onFlush: (report: FlushReport) => void;
  private flushing: Promise<FlushReport> | undefined;
  private pending = false;

  /** `onFlush` hears every flush (to log what was sent and what stays). */
  constructor(ports: AlertDeliveryPorts, onFlush: (report: FlushReport) => void = () => {}) {
    this.ports = ports;
    this.onFlush = onFlush;
  }

  /** Hears every flush from now on (the function's logger), instead of the listener given before. */
  listen(onFlush: (report: FlushReport) => void): void {
    this.onFlush = onFlush;
  }

  /** A new invocation: its first alert flushes the outbox again. */
  begin(): void {
    this.flushing = undefined;
  }

  /** Flushes the outbox once per invocation (concurrent callers share it), then sends `alerts` as {@link deliverAlerts}. */
  async deliver(alerts: readonly Alert[]): Promise<DeliveryReport> {
    if (alerts.length === 0) return { sent: 0, queued: [] };
    this.flushing ??= this.flush();
    await this.flushing;
    const report = await deliverAlerts(alerts, this.ports);
    if (report.queued.length > 0) this.pending = true;
    return report;
  }

  /** At the end of an invocation: flushes the outbox when this writer kept an alert; else nothing. */
  async settle(): Promise<FlushReport | undefined> {
    if (!this.pending) return undefined;
    this.pending = false;
    return this.flush();
  }

  private async flush(): Promise<FlushReport> {
    const report = await flushOutbox(this.ports);
    // Still refused (or unread): try again at the end of a later invocation; emptied: nothing to do.
    // (An invocation queues only after its flush: deliver awaits it first.)
    this.pending = report.kept.length > 0 || report.unread !== undefined;
    this.onFlush(report);
    return report;
  }
}
