import type { ClientFactory } from '../adapters/aws/ClientFactory.js';
import { lazySend } from '../adapters/aws/lazySend.js';
import { SqsReconcileQueue } from '../adapters/aws/SqsReconcileQueue.js';
import type { ReconcileQueue } from '../usecases/reconcileMessage/bucketMessage.js';
import type { ServiceConfig } from './serviceConfig.js';

/** The reconcile queue (`S3IR_QUEUE_URL`), its SQS client made on first use. */
export function reconcileQueue(
  config: Pick<ServiceConfig, 'queueUrl'>,
  factory: ClientFactory,
): ReconcileQueue {
  return new SqsReconcileQueue({ client: lazySend(() => factory.sqs()), queueUrl: config.queueUrl ?? '' });
}
