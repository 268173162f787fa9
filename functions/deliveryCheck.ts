import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { isHealthy } from '../lib/core/delivery/types.js';
import { runDeliveryCheck } from '../lib/usecases/deliveryCheck/runDeliveryCheck.js';
import { deliveryCheckWiring } from '../lib/wiring/deliveryCheckWiring.js';
import { readServiceConfig } from '../lib/wiring/serviceConfig.js';
import { MetricName, observability } from './shared/observability.js';

const { logger, metrics, tracer } = observability('deliveryCheck');
// Other accounts through the read-only role only (S3IR_READ_ROLE): this function writes no policy.
const service = deliveryCheckWiring(readServiceConfig(process.env));

/**
 * EventBridge daily schedule → the delivery health of every enabled desired configuration (issue #8), in the
 * home account and in the member accounts templates reach (#18): `delivery-failed` / `delivery-restored`
 * alerts and audit events on transitions. Judged at the event's time, so a redelivered event judges the same
 * moment.
 */
export const handler = middy(async (event: ScheduledEvent, _context: Context) => {
  const runId = `delivery-${event.id}`;
  logger.appendKeys({ runId });
  const now = Number.isNaN(Date.parse(event.time)) ? new Date() : new Date(event.time);
  service.alertDispatch?.begin();
  const report = await runDeliveryCheck(
    await service.deliveryCheckDeps({ now, runId, actor: 's3ir-delivery-check' }),
  );
  const failing = report.results.filter((result) => !isHealthy(result.status));
  metrics.addMetric(MetricName.ConfigurationsChecked, MetricUnit.Count, report.results.length);
  metrics.addMetric(MetricName.DeliveryFailures, MetricUnit.Count, failing.length);
  for (const result of failing) logger.warn('delivery not healthy', { ...result });
  for (const error of report.errors) logger.error('bucket not checked', { ...error });
  // #18: a member account whose buckets could not be listed; the other accounts' were checked.
  for (const failure of report.accountErrors) logger.error('account not checked', { ...failure });
  logger.info('delivery checked', { configurations: report.results.length, failing: failing.length });
  // Alerts this check kept in the outbox (SNS refused them): sent now if SNS answers again.
  const flush = await service.alertDispatch?.settle();
  for (const kept of flush?.kept ?? []) logger.warn('alert still in the outbox', { kept });
  return {
    runId,
    configurations: report.results.length,
    failing: failing.length,
    alerts: report.alerts.length,
    accountErrors: report.accountErrors,
  };
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
