import { LOCAL_DEFAULTS } from '../constants.js';
import { type EnvResources, findEnvResources } from './envResources.js';
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
  /** The resources whose ARN or URL goes into the env. */
  envResources: EnvResources;
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
  const definitions = await readResourceDefinitions(resourcesDir, full);
  return {
    definitions,
    names: {
      S3IR_DESIRED_TABLE: LOCAL_DEFAULTS.desiredTable,
      S3IR_STATE_TABLE: LOCAL_DEFAULTS.stateTable,
      S3IR_AUDIT_TABLE: LOCAL_DEFAULTS.auditTable,
      ...Object.fromEntries(bound),
    },
    envResources: findEnvResources(full.self, definitions, resourcesDir),
  };
}
