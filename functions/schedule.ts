import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { TEMPLATES_STATUS_SUBJECT, type TemplateRefusal } from '../lib/core/desired/templateRefusals.js';
import { anchorAudit } from '../lib/usecases/anchorAudit/anchorAudit.js';
import { sweepAccounts } from '../lib/usecases/discovery/sweepAccounts.js';
import { flushOutbox } from '../lib/usecases/flushOutbox/flushOutbox.js';
import { cleanBookkeeping } from '../lib/usecases/sweep/cleanBookkeeping.js';
import { reportRefusedTemplates } from '../lib/usecases/sweep/reportTemplates.js';
import { sendAdoptionSummaries } from '../lib/usecases/sweep/sendAdoptionSummaries.js';
import { runSweepReport } from '../lib/usecases/sweep/sweep.js';
import { scheduleWiring } from '../lib/wiring/scheduleWiring.js';
import { readServiceConfig } from '../lib/wiring/serviceConfig.js';
import { MetricName, observability } from './shared/observability.js';

const { logger, metrics, tracer } = observability('schedule');
const deps = scheduleWiring(readServiceConfig(process.env, ['queueUrl']));

/** Alerts SNS refused since the last sweep, sent now (lib/usecases/flushOutbox/flushOutbox never throws). */
async function flushAlerts(): Promise<number> {
  if (!deps.alertDelivery) return 0;
  const report = await flushOutbox(deps.alertDelivery);
  if (report.unread)
    logger.error('outbox not read: its alerts wait for the next sweep', { error: report.unread });
  for (const kept of report.kept) logger.warn('alert still in the outbox', { kept });
  return report.sent.length;
}

/**
 * #18 point 4: the summaries of earlier runs' first reconciles, one alert per run and account, each removed
 * once sent or kept in the outbox (lib/usecases/sweep/sendAdoptionSummaries never throws). One Query when none.
 */
async function sendSummaries(runId: string): Promise<number> {
  if (!deps.adoption) return 0;
  const report = await sendAdoptionSummaries(deps.adoption, runId);
  if (report.unread)
    logger.error('adoption summaries not read: the next sweep sends them', { error: report.unread });
  for (const kept of report.kept) logger.warn('adoption summary kept for the next sweep', { kept });
  return report.sent.length;
}

/**
 * The bookkeeping of buckets this sweep no longer reconciles, removed (one Scan of the state table per
 * sweep). A failure here is logged, never thrown: the buckets are enqueued already, and the next sweep
 * cleans what this one could not.
 */
async function cleanUp(buckets: readonly string[]): Promise<number> {
  try {
    const report = await cleanBookkeeping(buckets, deps.bookkeeping);
    if (report.removed.length > 0) logger.info('bookkeeping removed', { removed: report.removed });
    for (const kept of report.kept) logger.warn('bookkeeping not removed', { kept });
    return report.removed.length;
  } catch (error) {
    logger.error('bookkeeping not read: the next sweep cleans it', error as Error);
    return 0;
  }
}

/**
 * The `#templates` items the catalog refused, reported once per change (one alert naming each template
 * and field; lib/usecases/sweep/reportTemplates). Logged, never thrown: the buckets are enqueued already,
 * and the next sweep reports what this one could not.
 */
async function reportTemplates(refusals: readonly TemplateRefusal[], runId: string): Promise<number> {
  if (refusals.length > 0)
    logger.warn('templates refused', { refused: refusals.map(({ id, reason }) => ({ id, reason })) });
  try {
    const context = { runId, actor: 's3ir-schedule' };
    const report = await reportRefusedTemplates(refusals, { ...deps.templateStatus, context });
    if (report?.statusError) logger.warn('templates status not written', { error: report.statusError });
  } catch (error) {
    logger.error('refused templates not reported: the next sweep does', error as Error);
  }
  return refusals.length;
}

/**
 * The audit history anchored at the end of the sweep (issue 16; lib/wiring/anchorWiring). Logged, never
 * thrown: the buckets are enqueued already, and auditAnchor anchors at its next tick.
 */
async function anchorAfterSweep(): Promise<string | undefined> {
  if (deps.anchors === undefined) return undefined;
  try {
    return (await anchorAudit(deps.anchors)).key;
  } catch (error) {
    logger.error('audit not anchored: auditAnchor does at its next tick', error as Error);
    return undefined;
  }
}

/**
 * HoldActive, 1 or 0, every sweep (the stuck-hold alarm and the dashboard read it): whether the account-wide
 * brake put the service on hold (one GetItem). A failed read is logged and emits nothing: the alarm keeps its
 * state over missing data (TreatMissingData `missing`, infra/resources/monitoring/operations.cjs).
 */
async function holdActive(): Promise<0 | 1 | undefined> {
  try {
    return (await deps.brakeStore.currentHold()) === undefined ? 0 : 1;
  } catch (error) {
    logger.error('hold not read: HoldActive not emitted this sweep', error as Error);
    return undefined;
  }
}

/**
 * EventBridge schedule → the alerts kept in the outbox sent, then every bucket with desired state (or
 * selected by a template) onto the queue, then the bookkeeping of buckets no longer swept removed.
 */
export const handler = middy(async (event: ScheduledEvent, _context: Context) => {
  // One run per scheduled event; a retried delivery of the same event is the same run.
  const runId = `sweep-${event.id}`;
  logger.appendKeys({ runId });
  const flushed = await flushAlerts();
  const summariesSent = await sendSummaries(runId); // #18 point 4
  const sweep = await runSweepReport(deps, runId);
  const { buckets } = sweep;
  metrics.addMetric(MetricName.BucketsEnqueued, MetricUnit.Count, buckets.length);
  logger.info('sweep enqueued', { buckets: buckets.length });
  const accounts = deps.discovery && (await sweepAccounts(deps.discovery, runId)); // #18
  if (accounts?.dropped.length)
    logger.warn('accounts no longer allowed: not swept', { dropped: accounts.dropped });
  if (accounts?.stale)
    logger.error('organization not resolved: the stored membership stands', accounts.stale);
  const templatesRefused = await reportTemplates(sweep.refusedTemplates, runId);
  // #18: `#status`/`#delivery` items are keyed by bucket name alone, and member accounts' buckets are listed
  // by the discover handlers, not here: while any account is sent to discovery, this sweep's list is not every
  // bucket reconciled, and cleaning by it would drop member buckets' statuses (and re-alert them). With none
  // sent (no organization, or no template selecting by account), the list is complete and the cleanup runs.
  // The templates' own status is bookkeeping of the sweep's, not of a bucket's: never cleaned.
  const removed = accounts?.accounts.length ? 0 : await cleanUp([...buckets, TEMPLATES_STATUS_SUBJECT]);
  const anchored = await anchorAfterSweep();
  const hold = await holdActive();
  if (hold !== undefined) metrics.addMetric(MetricName.HoldActive, MetricUnit.Count, hold);
  return {
    runId,
    buckets: buckets.length,
    alertsFlushed: flushed,
    summariesSent,
    templatesRefused,
    bookkeepingRemoved: removed,
    anchored,
    ...(accounts && { accountsDiscovered: accounts.accounts, accountsDropped: accounts.dropped }),
  };
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
