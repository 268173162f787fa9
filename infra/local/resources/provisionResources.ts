import { LOCAL_DEFAULTS } from '../constants.js';
import type { Logger } from '../logger.js';
import { createResources, type ResourceTarget } from './createResources.js';
import type { ResourcePlan } from './planResources.js';
import type { ResourceDefinition } from './readResourceDefinitions.js';

/**
 * Creates the planned resources and returns the names for the env: the table names, and
 * `S3IR_ALERT_TOPIC_ARN` (the built-in `s3ir-alerts` while no resource file defines a topic),
 * `S3IR_QUEUE_URL` and `S3IR_DLQ_URL` of what was created.
 */
export async function provisionResources(
  plan: ResourcePlan,
  target: ResourceTarget,
  logger: Logger,
): Promise<Record<string, string>> {
  const created = await createResources(plan.definitions, target, logger);
  const { alertTopic, queue, deadLetterQueue } = plan.envResources;
  let topic = alertTopic === undefined ? undefined : created.get(alertTopic);
  if (!topic) {
    const builtIn: ResourceDefinition = {
      logicalId: 'AlertTopic',
      type: 'AWS::SNS::Topic',
      properties: { TopicName: LOCAL_DEFAULTS.alertTopicName },
      file: '(built in)',
    };
    topic = (await createResources([builtIn], target, logger)).get('AlertTopic');
  }
  return {
    ...plan.names,
    S3IR_ALERT_TOPIC_ARN: topic?.arn ?? '',
    S3IR_QUEUE_URL: created.get(queue)?.url ?? '',
    S3IR_DLQ_URL: created.get(deadLetterQueue)?.url ?? '',
  };
}
