import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import type { StatusStore } from '../lib/core/alerts/bucketStatus.js';
import { PrefetchedStatusStore } from '../lib/core/alerts/PrefetchedStatusStore.js';
import type { ChangeCause } from '../lib/core/reconcile/changeCause.js';
import type { IntentStore } from '../lib/usecases/ports.js';
import { PrefetchedIntentStore } from '../lib/usecases/reconcileBucket/PrefetchedIntentStore.js';
import { causesByBucket, withCauses } from '../lib/usecases/reconcileMessage/batchCauses.js';
import { parseBucketMessage } from '../lib/usecases/reconcileMessage/bucketMessage.js';
import { DeadlineError, WORKER_DEFAULTS } from '../lib/usecases/reconcileMessage/deadline.js';
import { reconcileMessage } from '../lib/usecases/reconcileMessage/reconcileMessage.js';
import { type FailedMessage, retrySoon } from '../lib/usecases/reconcileMessage/retrySoon.js';
import { reconcileWiring } from '../lib/wiring/reconcileWiring.js';
import { readServiceConfig } from '../lib/wiring/serviceConfig.js';
import { MetricName, observability } from './shared/observability.js';

/**
 * One sandbox's handler, built as Lambda builds it at init: its own logger, clients, per-run facts cache
 * and batch processor (a processor must not be shared by concurrent invocations). The module's `handler`
 * is one; the bench builds several to run concurrent sandboxes in one process.
 */
export function createHandler(env: NodeJS.ProcessEnv = process.env) {
  const { logger, metrics, tracer } = observability('reconcile');
  const config = readServiceConfig(env, ['alertTopicArn']);
  const service = reconcileWiring(config);
  const maxReceive = config.maxReceiveCount ?? WORKER_DEFAULTS.maxReceiveCount;
  const margin = config.deadlineMarginMs ?? WORKER_DEFAULTS.deadlineMarginMs;
  const retryOptions = {
    visibility: service.messageVisibility,
    ...(config.retryDelayMaxSeconds !== undefined && { maxSeconds: config.retryDelayMaxSeconds }),
  };
  const processor = new BatchProcessor(EventType.SQS);
  service.alertDispatch?.listen((flush) => {
    if (flush.sent.length > 0) logger.info('outbox flushed', { sent: flush.sent.length });
    if (flush.unread)
      logger.warn('outbox not read: its alerts wait for a later flush', { error: flush.unread });
    for (const kept of flush.kept) logger.warn('alert still in the outbox', { kept });
  });

  /**
   * The statuses of the batch's buckets in one BatchGetItem (steady state: one status read per bucket,
   * one request per batch). A record that does not parse is left to fail on its own; if the read fails,
   * each bucket reads its own status.
   */
  async function batchStatuses(buckets: readonly string[]): Promise<StatusStore> {
    try {
      return new PrefetchedStatusStore(service.statuses, await service.statuses.getMany(buckets));
    } catch (error) {
      logger.warn('statuses not read ahead: each bucket reads its own', { error });
      return service.statuses;
    }
  }

  /**
   * #18 point 4: tells the audit sink the batch's buckets, so the first event recorded reads all their chain
   * heads in one BatchGetItem (a batch that records nothing reads nothing) and each event is one request.
   */
  function expectAuditChains(buckets: readonly string[]): void {
    service.audit.expect?.(buckets);
  }

  /**
   * #18 point 4: the batch's unfinished intents in one Query of the `#intent` partition (bounded: buckets
   * beyond it read their own); if the read fails, each bucket reads its own.
   */
  async function batchIntents(buckets: readonly string[]): Promise<IntentStore | undefined> {
    try {
      return new PrefetchedIntentStore(service.intents, await service.intents.pendingOf(buckets));
    } catch (error) {
      logger.warn('intents not read ahead: each bucket reads its own', { error });
      return undefined;
    }
  }

  /** One bucket: never fails the others (partial batch response); a throw means SQS redelivers it. */
  async function reconcileRecord(
    record: SQSRecord,
    statuses: StatusStore,
    context?: Context,
    causes?: ReadonlyMap<string, readonly ChangeCause[]>,
    intents?: IntentStore,
  ): Promise<string> {
    // Too close to the deadline to start another bucket: report it failed, SQS redelivers it.
    if (context && context.getRemainingTimeInMillis() < margin) throw new DeadlineError(record.messageId);
    const message = parseBucketMessage(record.body);
    logger.appendKeys({ bucket: message.bucket, runId: message.runId });
    const lastAttempt = Number(record.attributes.ApproximateReceiveCount) >= maxReceive - 1;
    try {
      const deps = service.reconcileDepsFor(message);
      deps.context = withCauses(deps.context, causes?.get(message.bucket));
      if (intents !== undefined && deps.intents !== undefined) deps.intents = intents;
      const report = await reconcileMessage(message, {
        deps,
        status: { ...service.statusStep, status: statuses },
        lastAttempt,
      });
      const { outcome, transition } = report;
      metrics.addMetric(MetricName.BucketsChecked, MetricUnit.Count, 1);
      metrics.addMetric(MetricName.DriftFound, MetricUnit.Count, outcome.plan?.drift.length ?? 0);
      const applied = outcome.result?.outcomes.filter((entry) => entry.status === 'applied').length ?? 0;
      metrics.addMetric(MetricName.ChangesApplied, MetricUnit.Count, applied);
      if (outcome.status === 'failed') {
        // A failed outcome is terminal (recorded, alerted): no retry follows.
        metrics.addMetric(MetricName.ReconcileFailures, MetricUnit.Count, 1);
        metrics.addMetric(MetricName.ReconcileFailed, MetricUnit.Count, 1);
      }
      for (const error of transition?.delivery?.queued ?? [])
        logger.warn('alert kept in the outbox', { error });
      if (transition?.statusError) logger.warn('status not written', { error: transition.statusError });
      // #18 point 4: a first reconcile's alerts that could not join their run's summary went out one by one.
      if (transition?.delivery?.summaryError)
        logger.warn('first alerts not summarised', { error: transition.delivery.summaryError });
      logger.info('reconciled', {
        status: outcome.status,
        attempts: outcome.attempts,
        applied,
        alerts: transition?.alerts.map((alert) => alert.type) ?? [],
        state: transition?.status?.state,
      });
      return outcome.status;
    } catch (error) {
      metrics.addMetric(MetricName.ReconcileFailures, MetricUnit.Count, 1);
      // The last receive: the message goes to the DLQ, the bucket's reconcile ended failed.
      if (lastAttempt) metrics.addMetric(MetricName.ReconcileFailed, MetricUnit.Count, 1);
      logger.error('reconcile failed: SQS will redeliver', error as Error);
      throw error;
    } finally {
      logger.removeKeys(['bucket', 'runId']);
    }
  }

  /**
   * SQS → reconcile each bucket of the batch, one at a time, reporting failures per message; those that
   * failed for a passing reason come back in seconds rather than after the visibility timeout. The
   * outbox is flushed before the batch's first alert and, when the batch kept one, at its end.
   */
  async function reconcileBatch(event: SQSEvent, context: Context) {
    const failed: FailedMessage[] = [];
    service.alertDispatch?.begin();
    // The batch's statuses and unfinished intents, read side by side (one request each).
    const buckets = batchBuckets(event.Records); // each body parsed once for the batch's three reads
    const [statuses, intents] = await Promise.all([batchStatuses(buckets), batchIntents(buckets)]);
    expectAuditChains(buckets);
    const causes = causesByBucket(event.Records.map((record) => record.body));
    const response = await processPartialResponse(
      event,
      (record: SQSRecord) =>
        reconcileRecord(record, statuses, context, causes, intents).catch((error: unknown) => {
          failed.push(failedMessage(record, error));
          throw error;
        }),
      processor,
      {
        context,
        // One at a time: the deadline check is meaningful, and later buckets reuse the run's facts.
        processInParallel: false,
        throwOnFullBatchFailure: false,
      },
    );
    const retries = await retrySoon(failed, retryOptions);
    if (retries.scheduled.length > 0) {
      logger.info('retrying soon', {
        retries: retries.scheduled.map(({ messageId, reason, visibilitySeconds }) => ({
          messageId,
          reason,
          seconds: visibilitySeconds,
        })),
      });
    }
    // Not an error: those messages come back after the visibility timeout, as without this step.
    if (retries.failed.length > 0) logger.warn('visibility not changed', { failed: retries.failed });
    // Alerts this batch kept in the outbox (SNS refused them): sent now if SNS answers again.
    await service.alertDispatch?.settle();
    return response;
  }

  return middy(reconcileBatch)
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
}

/** The buckets of a batch's records; a record that does not parse is left to fail on its own. */
function batchBuckets(records: readonly SQSRecord[]): string[] {
  return records.flatMap((record) => {
    try {
      return [parseBucketMessage(record.body).bucket];
    } catch {
      return [];
    }
  });
}

/** A failed record as lib/usecases/reconcileMessage/retrySoon reads it. */
function failedMessage(record: SQSRecord, error: unknown): FailedMessage {
  return {
    messageId: record.messageId,
    queueArn: record.eventSourceARN,
    receiptHandle: record.receiptHandle,
    receiveCount: Number(record.attributes.ApproximateReceiveCount) || 1,
    error,
  };
}

/** SQS → reconcile each bucket of the batch, one at a time, reporting failures per message. */
export const handler = createHandler();
