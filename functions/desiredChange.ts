import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { isBookkeepingChange, streamChange } from '../lib/adapters/aws/streamImages.js';
import { handleDesiredChange } from '../lib/usecases/fanOut/desiredChanges.js';
import { desiredChangeWiring } from '../lib/wiring/desiredChangeWiring.js';
import { readServiceConfig } from '../lib/wiring/serviceConfig.js';
import { observability } from './shared/observability.js';

const { logger, metrics, tracer } = observability('desiredChange');
const processor = new BatchProcessor(EventType.DynamoDBStreams);
const deps = desiredChangeWiring(readServiceConfig(process.env, ['queueUrl']));

/** One table change: record `desired-state-changed`, enqueue the buckets it touches. */
async function changeRecord(record: DynamoDBRecord): Promise<string[]> {
  const change = streamChange(record);
  if (isBookkeepingChange(change)) return [];
  const buckets = await handleDesiredChange(change, deps);
  logger.info('desired state changed', { bucket: change.bucket, id: change.id, enqueued: buckets });
  return buckets;
}

/** DynamoDB stream of the desired-state table → audit event and reconcile messages, per record. */
export const handler = middy((event: DynamoDBStreamEvent, context: Context) =>
  processPartialResponse(event, changeRecord, processor, { context, throwOnFullBatchFailure: false }),
)
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
