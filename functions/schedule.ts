import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { TEMPLATES_STATUS_SUBJECT, type TemplateRefusal } from '../lib/core/desired/templateRefusals.js';
import { anchorAudit } from '../lib/usecases/anchorAudit/anchorAudit.js';
import { reportMembershipChanges } from '../lib/usecases/discovery/accountReports.js';
import { memberBucketsKept } from '../lib/usecases/discovery/discoveredBuckets.js';
import { type SweepAccountsReport, sweepAccounts } from '../lib/usecases/discovery/sweepAccounts.js';
import { flushOutbox } from '../lib/usecases/flushOutbox/flushOutbox.js';
import { type CleanupOptions, cleanBookkeeping } from '../lib/usecases/sweep/cleanBookkeeping.js';
import { reportRefusedTemplates } from '../lib/usecases/sweep/reportTemplates.js';
import { sendAdoptionSummaries } from '../lib/usecases/sweep/sendAdoptionSummaries.js';
import { type DesiredCatalog, runSweepReport } from '../lib/usecases/sweep/sweep.js';
import { grantCatalogOf } from '../lib/usecases/sweepGrants/grantCatalog.js';
import { type SweepGrantsReport, sweepGrants } from '../lib/usecases/sweepGrants/sweepGrants.js';
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
async function cleanUp(buckets: readonly string[], options: CleanupOptions = {}): Promise<number> {
  try {
    const report = await cleanBookkeeping(buckets, deps.bookkeeping, options);
    if (report.skipped) logger.info('bookkeeping not cleaned this sweep', { why: report.skipped });
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
 * #18 point 9: each account that left the allowed organization or OUs since the last sweep gets the status
 * `left-organization`, one alert and one audit event; one allowed again has it cleared. Logged, never thrown.
 */
async function reportAccounts(accounts: SweepAccountsReport, runId: string): Promise<string[]> {
  if (deps.accountStatus === undefined || accounts.added.length + accounts.dropped.length === 0) return [];
  const context = { runId, actor: 's3ir-schedule' };
  const report = await reportMembershipChanges(accounts, { ...deps.accountStatus, context });
  for (const failed of report.failed) logger.error('account status not recorded', { failed });
  return report.recorded;
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
 * #18 point 4: the grants of the whole catalog, one policy write per destination and key at most, before any
 * bucket is enqueued (lib/usecases/sweepGrants). Logged, never thrown: a policy the step could not write is
 * granted bucket by bucket by the reconciles, as before.
 */
async function grantAhead(catalog: DesiredCatalog, runId: string): Promise<SweepGrantsReport | undefined> {
  try {
    const context = { runId, actor: 's3ir-schedule' };
    const report = await sweepGrants(grantCatalogOf(catalog), deps.grants, context);
    if (report.written.length > 0) logger.info('grants written', { written: report.written });
    if (report.partial.length > 0)
      logger.info('grants not pruned: partial catalog', { partial: report.partial });
    for (const failed of report.failed)
      logger.error('grant not written: the reconciles grant it', { failed });
    return report;
  } catch (error) {
    logger.error('grants not planned: the reconciles grant bucket by bucket', error as Error);
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
  // One read of the catalog for the grant step and the fan-out (#18 point 4).
  const catalog = await deps.catalog();
  const grants = await grantAhead(catalog, runId);
  const sweep = await runSweepReport({ ...deps, catalog: async () => catalog }, runId);
  const { buckets } = sweep;
  metrics.addMetric(MetricName.BucketsEnqueued, MetricUnit.Count, buckets.length);
  logger.info('sweep enqueued', { buckets: buckets.length });
  const accounts = deps.discovery && (await sweepAccounts(deps.discovery, runId)); // #18
  if (accounts?.dropped.length)
    logger.warn('accounts no longer allowed: not swept', { dropped: accounts.dropped });
  if (accounts?.stale)
    logger.error('organization not resolved: the stored membership stands', accounts.stale);
  const accountsReported = accounts ? await reportAccounts(accounts, runId) : [];
  const templatesRefused = await reportTemplates(sweep.refusedTemplates, runId);
  // #18: `#status`/`#delivery` items are keyed by bucket name alone, and member accounts' buckets are listed
  // by the discover handlers, not here: while any account is sent to discovery, this sweep's list is not every
  // bucket reconciled. Each discovery keeps what it selected (`#discovered`, a fixed-cap filter per account,
  // written before its buckets are enqueued), and the cleanup keeps those of the accounts sent now: a member
  // bucket no longer selected, or whose account left, loses its bookkeeping. Until every account sent has such
  // a record, nothing is cleaned (as before). With none sent, the list is complete.
  // The templates' own status is bookkeeping of the sweep's, not of a bucket's: never cleaned.
  const { discovered } = deps;
  const swept = [...buckets, TEMPLATES_STATUS_SUBJECT];
  const removed = !accounts?.accounts.length
    ? await cleanUp(swept)
    : discovered !== undefined
      ? await cleanUp(swept, { alsoKept: () => memberBucketsKept(discovered, accounts.accounts) })
      : 0;
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
    ...(grants && {
      grants: {
        written: grants.written.length,
        unchanged: grants.unchanged.length,
        reportOnly: grants.reportOnly.length,
        left: grants.left.length,
        failed: grants.failed.length,
        pruned: grants.partial.length === 0,
      },
    }),
    ...(accounts && { accountsDiscovered: accounts.accounts, accountsDropped: accounts.dropped }),
    ...(accountsReported.length > 0 && { accountsReported }),
  };
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
