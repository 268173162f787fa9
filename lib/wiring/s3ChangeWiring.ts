import type { ClientFactory } from '../adapters/aws/ClientFactory.js';
import { cachedDesiredIndex } from '../usecases/fanOut/cachedDesiredIndex.js';
import type { DesiredIndex } from '../usecases/fanOut/changeTargets.js';
import type { ReconcileQueue } from '../usecases/reconcileMessage/bucketMessage.js';
import type { BucketTagSource } from '../usecases/sweep/sweep.js';
import { bucketTagSource, desiredStore } from './desiredWiring.js';
import { reconcileQueue } from './reconcileQueue.js';
import type { ServiceConfig } from './serviceConfig.js';
import { lazyDocuments, serviceFactory } from './serviceFactory.js';

/** What functions/s3Change uses: whose calls to ignore, which sources a change touches, the queue. */
export interface S3ChangeDeps {
  /** Our own writes: the reconcile role, and the role it assumes in every other account (ARN patterns). */
  ownRoles: readonly string[];
  /** Which sources use each destination and key: one table Scan, reused for a burst of events. */
  desiredIndex(): Promise<DesiredIndex>;
  /** The account's buckets a template using the changed destination or key selects. */
  buckets: BucketTagSource;
  queue: ReconcileQueue;
}

/** The S3/KMS change function's deps, built once per cold start; no AWS call until the first event. */
export function s3ChangeWiring(
  config: ServiceConfig,
  factory: ClientFactory = serviceFactory(config),
): S3ChangeDeps {
  const buckets = bucketTagSource(factory);
  const desired = desiredStore(config, lazyDocuments(factory), buckets, factory);
  const index = cachedDesiredIndex(() => desired.scanItems());
  return {
    ownRoles: [
      ...(config.reconcileRoleArn ? [config.reconcileRoleArn] : []),
      `arn:aws:iam::*:role/${config.crossAccountRoleName}`,
    ],
    desiredIndex: () => index(),
    buckets,
    queue: reconcileQueue(config, factory),
  };
}
