import type { ClientFactory } from '../adapters/aws/ClientFactory.js';
import type { DesiredChangesDeps } from '../usecases/fanOut/desiredChanges.js';
import { auditSink } from './auditSink.js';
import { bucketTagSource } from './desiredWiring.js';
import { reconcileQueue } from './reconcileQueue.js';
import type { ServiceConfig } from './serviceConfig.js';
import { lazyDocuments, serviceFactory } from './serviceFactory.js';

/**
 * What functions/desiredChange uses (lib/usecases/fanOut/desiredChanges): the audit sink for
 * `desired-state-changed`, the queue, and the account's buckets a changed template selects.
 */
export type DesiredChangeDeps = DesiredChangesDeps;

/** The desired-change function's deps, built once per cold start; no AWS call until the first record. */
export function desiredChangeWiring(
  config: ServiceConfig,
  factory: ClientFactory = serviceFactory(config),
): DesiredChangeDeps {
  return {
    audit: auditSink(config, lazyDocuments(factory)),
    queue: reconcileQueue(config, factory),
    buckets: bucketTagSource(factory),
  };
}
