import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { type CloudTrailCall, changeCause } from '../lib/usecases/fanOut/changeCause.js';
import { changeTargets } from '../lib/usecases/fanOut/changeTargets.js';
import { type CallerIdentity, isOwnCall } from '../lib/usecases/fanOut/ownCalls.js';
import { s3ChangeWiring } from '../lib/wiring/s3ChangeWiring.js';
import { readServiceConfig } from '../lib/wiring/serviceConfig.js';
import { MetricName, observability } from './shared/observability.js';

const { logger, metrics, tracer } = observability('s3Change');
const deps = s3ChangeWiring(readServiceConfig(process.env, ['queueUrl']));

type CloudTrailEvent = EventBridgeEvent<
  'AWS API Call via CloudTrail',
  CloudTrailCall & { userIdentity?: CallerIdentity }
>;

/** EventBridge (CloudTrail S3/KMS API calls) → the affected buckets onto the queue. */
export const handler = middy(async (event: CloudTrailEvent, _context: Context) => {
  const { detail } = event;
  logger.appendKeys({ eventName: detail.eventName, eventId: event.id });
  if (isOwnCall(detail.userIdentity, deps.ownRoles)) {
    logger.debug('our own call: ignored');
    return { ignored: true, buckets: [] };
  }
  const buckets = await changeTargets(detail, await deps.desiredIndex(), deps.buckets);
  const runId = `change-${event.id}`;
  // Who made the change, for the record of the drift it caused (dropped when malformed).
  const cause = changeCause(detail);
  await deps.queue.enqueue(
    buckets.map((bucket) => ({ bucket, runId, reason: detail.eventName, ...(cause && { cause }) })),
  );
  metrics.addMetric(MetricName.BucketsEnqueued, MetricUnit.Count, buckets.length);
  logger.info('change enqueued', { buckets });
  return { ignored: false, buckets };
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
