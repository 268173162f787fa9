import { LOCAL_DEFAULTS } from '../constants.js';
import type { Logger } from '../logger.js';
import { createResources, type ResourceTarget } from './createResources.js';
import {
  type ResourceDefinition,
  readResourceDefinitions,
  readServerlessConfig,
} from './readResourceDefinitions.js';
import { envBindings, resolveVariables, type VariableContext } from './resolveVariables.js';

/** What the local AWS will create, read before anything starts so that a bad file fails fast. */
export interface ResourcePlan {
  definitions: ResourceDefinition[];
  /** `S3IR_DESIRED_TABLE` and friends: names bound in serverless.yml's `custom`, with the Contract's defaults. */
  names: Record<string, string>;
}

/** Reads serverless.yml and `infra/resources/*.yml` into a {@link ResourcePlan}. */
export async function planResources(
  serverlessFile: string,
  resourcesDir: string,
  context: Omit<VariableContext, 'self'>,
): Promise<ResourcePlan> {
  const full: VariableContext = { ...context, self: await readServerlessConfig(serverlessFile) };
  const custom = full.self.custom as Record<string, unknown> | undefined;
  const bound = envBindings(custom).map(({ env, customKey }) => [
    env,
    String(resolveVariables(custom![customKey], full)),
  ]);
  return {
    definitions: await readResourceDefinitions(resourcesDir, full),
    names: {
      S3IR_DESIRED_TABLE: LOCAL_DEFAULTS.desiredTable,
      S3IR_AUDIT_TABLE: LOCAL_DEFAULTS.auditTable,
      ...Object.fromEntries(bound),
    },
  };
}

/**
 * Creates the planned resources and returns the names for the env, including `S3IR_ALERT_TOPIC_ARN`:
 * the first topic defined, or `s3ir-alerts` while no resource file defines a topic.
 */
export async function provisionResources(
  plan: ResourcePlan,
  target: ResourceTarget,
  logger: Logger,
): Promise<Record<string, string>> {
  const created = await createResources(plan.definitions, target, logger);
  let topic = [...created.values()].find((resource) => resource.type === 'AWS::SNS::Topic');
  if (!topic) {
    const alertTopic: ResourceDefinition = {
      logicalId: 'AlertTopic',
      type: 'AWS::SNS::Topic',
      properties: { TopicName: LOCAL_DEFAULTS.alertTopicName },
      file: '(built in)',
    };
    topic = (await createResources([alertTopic], target, logger)).get('AlertTopic');
  }
  return { ...plan.names, S3IR_ALERT_TOPIC_ARN: topic?.arn ?? '' };
}
