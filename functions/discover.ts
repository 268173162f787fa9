import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { discoverAndReport } from '../lib/usecases/discovery/accountReports.js';
import { parseDiscoveryMessage } from '../lib/usecases/discovery/discoveryMessage.js';
import { WORKER_DEFAULTS } from '../lib/usecases/reconcileMessage/deadline.js';
import { accountStatusWiring } from '../lib/wiring/accountStatusWiring.js';
import { discoverWiring } from '../lib/wiring/discoveryWiring.js';
import { readServiceConfig } from '../lib/wiring/serviceConfig.js';
import { serviceFactory } from '../lib/wiring/serviceFactory.js';
import { MetricName, observability } from './shared/observability.js';

const { logger, metrics, tracer } = observability('discover');
const config = readServiceConfig(process.env, ['queueUrl']);
const factory = serviceFactory(config);
const discover = discoverWiring(config, factory);
// #18 point 2: a failed discovery is said in the account's status and one alert (lib/usecases/discovery/accountReports).
const accounts = accountStatusWiring(config, factory);
/** The discovery queue's redrive `maxReceiveCount` (the same serverless param as the reconcile queue's). */
const maxReceive = config.maxReceiveCount ?? WORKER_DEFAULTS.maxReceiveCount;
const processor = new BatchProcessor(EventType.SQS);

/**
 * One member account (#18): its buckets that templates select by account or OU, found with the role assumed
 * there, onto the reconcile queue. A failing account fails its own record only (partial batch response), and
 * never stops the others: a failure a retry cannot mend (the role refused, AccessDenied), or any failure on the
 * last receive, is recorded in the account's status with one alert and the record completes (the next sweep
 * sends the account again); a passing one (throttling, 5xx) is retried by SQS, unrecorded.
 */
async function discoverRecord(record: SQSRecord): Promise<void> {
  const message = parseDiscoveryMessage(record.body);
  logger.appendKeys({ account: message.account, runId: message.runId });
  try {
    const lastAttempt = Number(record.attributes.ApproximateReceiveCount) >= maxReceive;
    const context = { runId: message.runId, actor: 's3ir-discover' };
    const outcome = await discoverAndReport(message, {
      discover,
      accounts: { ...accounts, context },
      lastAttempt,
    });
    if (outcome.status === 'not-allowed') {
      logger.warn('account no longer allowed: not discovered', { error: outcome.error.message });
      return;
    }
    if (outcome.account.statusError)
      logger.warn('account status not written', { error: outcome.account.statusError });
    if (outcome.status === 'failed') {
      logger.error('account not discovered: recorded in its status', outcome.error as Error);
      return;
    }
    const { regionsAsked } = outcome.report;
    // AWS's ListBuckets gives every bucket's region: a HeadBucket per bucket means it did not (docs/aws-facts.md §16).
    if (regionsAsked !== undefined)
      logger.warn('ListBuckets gave no region: asked HeadBucket', {
        buckets: regionsAsked.length,
        first: regionsAsked.slice(0, 5),
      });
    metrics.addMetric(MetricName.BucketsEnqueued, MetricUnit.Count, outcome.report.buckets.length);
    logger.info('account discovered', { buckets: outcome.report.buckets.length });
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
