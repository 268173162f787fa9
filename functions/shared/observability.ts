import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * Metric names (EMF), one namespace (`s3ir`) for the service: the one list of them. Each is emitted with
 * the dimensions `service` (s3ir) and `function` (the emitting function's key below); the alarms and the
 * dashboard of infra/resources/monitoring/operations.cjs name them with exactly those dimensions, and
 * test/unit/deploy/operations.test.ts checks every metric they name is in this list.
 */
export const MetricName = {
  /** reconcile: buckets whose reconcile ran to an outcome (one per message handled). */
  BucketsChecked: 'BucketsChecked',
  /** reconcile: drift entries the plans found. */
  DriftFound: 'DriftFound',
  /** reconcile: changes applied to AWS (configurations, grants). */
  ChangesApplied: 'ChangesApplied',
  /** reconcile: failed attempts, the retried ones included (SQS redelivers them). */
  ReconcileFailures: 'ReconcileFailures',
  /**
   * reconcile: buckets whose reconcile ended failed, with no retry to follow (a terminal failure, or the
   * last receive before the DLQ). Alarmed: > 0 pages.
   */
  ReconcileFailed: 'ReconcileFailed',
  /**
   * The account-wide brake's hold (issue 17 point 3): 1 while the service is on hold, else 0, emitted by
   * `schedule` once per sweep (functions/schedule holdActive); the stuck-hold alarm and the dashboard's
   * hold widget read it.
   */
  HoldActive: 'HoldActive',
  /** schedule, s3-change: buckets sent to the reconcile queue. */
  BucketsEnqueued: 'BucketsEnqueued',
  /** audit-api: requests answered, and those answered 5xx. */
  ApiRequests: 'ApiRequests',
  ApiErrors: 'ApiErrors',
  /** delivery-check: configurations checked, and those whose reports are late, missing or invalid. */
  ConfigurationsChecked: 'ConfigurationsChecked',
  DeliveryFailures: 'DeliveryFailures',
} as const;

/**
 * Powertools Logger, Metrics and Tracer for one function; the service name comes from
 * `POWERTOOLS_SERVICE_NAME` (s3ir). Created once per cold start.
 */
export function observability(functionName: string) {
  const logger = new Logger({ persistentKeys: { function: functionName } });
  const metrics = new Metrics({ namespace: 's3ir', defaultDimensions: { function: functionName } });
  const tracer = new Tracer();
  return { logger, metrics, tracer };
}
