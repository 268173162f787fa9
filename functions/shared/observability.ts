import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/** Metric names (EMF), one namespace for the service. */
export const MetricName = {
  BucketsChecked: 'BucketsChecked',
  DriftFound: 'DriftFound',
  ChangesApplied: 'ChangesApplied',
  ReconcileFailures: 'ReconcileFailures',
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
