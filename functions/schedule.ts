import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { runScheduledSweep } from '../lib/usecases/sweep/scheduledSweep.js';
import { scheduleWiring } from '../lib/wiring/scheduleWiring.js';
import { readServiceConfig } from '../lib/wiring/serviceConfig.js';
import { MetricName, observability } from './shared/observability.js';

const { logger, metrics, tracer } = observability('schedule');
const deps = scheduleWiring(readServiceConfig(process.env, ['queueUrl']));

/** EventBridge schedule → one sweep (lib/usecases/sweep/scheduledSweep), its counts as metrics. */
export const handler = middy(async (event: ScheduledEvent, _context: Context) => {
  // One run per scheduled event; a retried delivery of the same event is the same run.
  const runId = `sweep-${event.id}`;
  logger.appendKeys({ runId });
  const { report, hold } = await runScheduledSweep(deps, runId, logger);
  metrics.addMetric(MetricName.BucketsEnqueued, MetricUnit.Count, report.buckets);
  if (hold !== undefined) metrics.addMetric(MetricName.HoldActive, MetricUnit.Count, hold);
  return report;
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
