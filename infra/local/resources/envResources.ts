import { LOCAL_DEFAULTS } from '../constants.js';
import { ResourceDefinitionError } from '../errors.js';
import type { ResourceDefinition } from './readResourceDefinitions.js';

/** Which resource of `infra/resources` each env name of a created resource points at (logical ids). */
export interface EnvResources {
  /** `S3IR_ALERT_TOPIC_ARN`; undefined while no file defines a topic (the built-in `s3ir-alerts` then). */
  alertTopic: string | undefined;
  /** `S3IR_QUEUE_URL`: the reconcile queue. */
  queue: string;
  /** `S3IR_DLQ_URL`: the reconcile queue's dead-letter queue. */
  deadLetterQueue: string;
}

const logicalIdOf = (value: unknown): string | undefined => {
  if (!value || typeof value !== 'object') return undefined;
  const { Ref: ref, 'Fn::GetAtt': getAtt } = value as { Ref?: unknown; 'Fn::GetAtt'?: unknown };
  if (typeof ref === 'string') return ref;
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
};

/**
 * Finds the resources behind the env, as a deployment does: serverless.yml's `provider.environment`
 * names them (`S3IR_QUEUE_URL: { Ref: ReconcileQueue }`); without that, the first topic and the queue
 * called `s3ir-reconcile`. The dead-letter queue is the one the reconcile queue's RedrivePolicy names.
 * Fails (before anything starts) when the definitions have no such queues.
 */
export function findEnvResources(
  serverless: Record<string, unknown>,
  definitions: ResourceDefinition[],
  resourcesDir: string,
): EnvResources {
  const environment = ((serverless.provider as Record<string, unknown> | undefined)?.environment ??
    {}) as Record<string, unknown>;
  const defined = (type: string, id: string | undefined) =>
    definitions.find((definition) => definition.type === type && definition.logicalId === id);
  const referenced = (env: string, type: string) => defined(type, logicalIdOf(environment[env]));

  const topic =
    referenced('S3IR_ALERT_TOPIC_ARN', 'AWS::SNS::Topic') ??
    definitions.find((definition) => definition.type === 'AWS::SNS::Topic');
  const queue =
    referenced('S3IR_QUEUE_URL', 'AWS::SQS::Queue') ??
    definitions.find(
      (definition) =>
        definition.type === 'AWS::SQS::Queue' &&
        definition.properties.QueueName === LOCAL_DEFAULTS.reconcileQueueName,
    );
  if (!queue)
    throw new ResourceDefinitionError(
      resourcesDir,
      `no reconcile queue (S3IR_QUEUE_URL): no AWS::SQS::Queue that serverless.yml's provider.environment.S3IR_QUEUE_URL refers to, nor one named ${LOCAL_DEFAULTS.reconcileQueueName}`,
    );
  const redrive = queue.properties.RedrivePolicy as { deadLetterTargetArn?: unknown } | undefined;
  const deadLetterQueue = defined('AWS::SQS::Queue', logicalIdOf(redrive?.deadLetterTargetArn));
  if (!deadLetterQueue)
    throw new ResourceDefinitionError(
      queue.file,
      `${queue.logicalId} has no RedrivePolicy.deadLetterTargetArn naming a queue defined in ${resourcesDir} (S3IR_DLQ_URL)`,
    );
  return { alertTopic: topic?.logicalId, queue: queue.logicalId, deadLetterQueue: deadLetterQueue.logicalId };
}
