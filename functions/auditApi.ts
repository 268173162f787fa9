import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithIAMAuthorizer, Context } from 'aws-lambda';
import { createAuditApiRouter } from '../lib/api/auditApiRouter.js';
import { httpApiResult, requestFromHttpApiEvent } from '../lib/api/httpApiEvent.js';
import { viewerPage } from '../lib/api/viewerPage.generated.js';
import { createAuditApiDeps } from '../lib/wiring/auditApiDeps.js';
import { readServiceConfig } from '../lib/wiring/serviceConfig.js';
import { MetricName, observability } from './shared/observability.js';

const { logger, metrics, tracer } = observability('auditApi');
const { ports } = createAuditApiDeps(readServiceConfig(process.env));
const route = createAuditApiRouter({
  ports,
  page: viewerPage,
  onError: (error, request) => logger.error('request failed', { path: request.path, error: error as Error }),
});

/** HTTP API (payload 2.0, IAM-authorized) → the audit API: the viewer, events, status, chain check. */
export const handler = middy(async (event: APIGatewayProxyEventV2WithIAMAuthorizer, _context: Context) => {
  const request = requestFromHttpApiEvent(event);
  // Who read the audit history: the signed caller IAM authorized.
  logger.appendKeys({ caller: event.requestContext.authorizer.iam.userArn, path: request.path });
  const response = await route(request);
  logger.info('answered', { status: response.statusCode, query: request.query });
  metrics.addMetric(MetricName.ApiRequests, MetricUnit.Count, 1);
  if (response.statusCode >= 500) metrics.addMetric(MetricName.ApiErrors, MetricUnit.Count, 1);
  return httpApiResult(response);
})
  // The response is audit history (before/after policies): traces keep its timing, never its content.
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
