import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { ClientFactory } from '../lib/adapters/aws/ClientFactory.js';
import { anchorAudit } from '../lib/usecases/anchorAudit/anchorAudit.js';
import { anchorWiring } from '../lib/wiring/anchorWiring.js';
import { readServiceConfig, ServiceConfigError } from '../lib/wiring/serviceConfig.js';
import { observability } from './shared/observability.js';

const { logger, metrics, tracer } = observability('auditAnchor');
const anchors = anchorWiring(readServiceConfig(process.env), new ClientFactory());

/**
 * EventBridge schedule (serverless param auditAnchorMinutes) → the next signed digest of the audit chain
 * heads in the Object Lock bucket (issue 16). A failure throws: Lambda retries, then the invocation goes
 * to the invoke-failures queue; the next tick anchors whatever moved meanwhile.
 */
export const handler = middy(async (_event: ScheduledEvent, _context: Context) => {
  // serverless.yml always sets both; thrown here rather than at init, so a bundle can be loaded bare.
  if (anchors === undefined)
    throw new ServiceConfigError('missing environment: S3IR_DIGEST_BUCKET, S3IR_DIGEST_KEY_ID');
  const digest = await anchorAudit(anchors);
  logger.info('audit anchored', { ...digest });
  return digest;
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
