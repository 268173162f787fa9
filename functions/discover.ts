import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { discoverAccount } from '../lib/usecases/discovery/discoverAccount.js';
import { parseDiscoveryMessage } from '../lib/usecases/discovery/discoveryMessage.js';
import { discoverWiring } from '../lib/wiring/discoveryWiring.js';
import { readServiceConfig } from '../lib/wiring/serviceConfig.js';
import { MetricName, observability } from './shared/observability.js';

const { logger, metrics, tracer } = observability('discover');
const discover = discoverWiring(readServiceConfig(process.env, ['queueUrl']));
const processor = new BatchProcessor(EventType.SQS);

/**
 * One member account (#18): its buckets that templates select by account or OU, found with the role assumed
 * there, onto the reconcile queue. A failing account fails its own record only (partial batch response):
 * SQS retries it, and its dead-letter queue keeps it after the last receive; the other accounts go on.
 */
async function discoverRecord(record: SQSRecord): Promise<void> {
  const message = parseDiscoveryMessage(record.body);
  logger.appendKeys({ account: message.account, runId: message.runId });
  try {
    const report = await discoverAccount(message, discover);
    metrics.addMetric(MetricName.BucketsEnqueued, MetricUnit.Count, report.buckets.length);
    logger.info('account discovered', { buckets: report.buckets.length });
  } catch (error) {
    logger.error('account not discovered: its buckets wait for the next sweep', error as Error);
    throw error;
  } finally {
    logger.removeKeys(['account', 'runId']);
  }
}

/** SQS (the discovery queue) → each member account's selected buckets onto the reconcile queue. */
export const handler = middy((event: SQSEvent, context: Context) =>
  processPartialResponse(event, discoverRecord, processor, { context }),
)
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
