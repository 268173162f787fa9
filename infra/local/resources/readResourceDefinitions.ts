import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { ResourceDefinitionError } from '../errors.js';
import { resolveVariables, type VariableContext } from './resolveVariables.js';

/** One CloudFormation resource of `infra/resources/*.yml`, its variables resolved. */
export interface ResourceDefinition {
  logicalId: string;
  type: string;
  properties: Record<string, unknown>;
  file: string;
}

/** Reads and parses serverless.yml (for `custom` and `${self:…}`). */
export async function readServerlessConfig(path: string): Promise<Record<string, unknown>> {
  try {
    return (parse(await readFile(path, 'utf8')) ?? {}) as Record<string, unknown>;
  } catch (error) {
    throw new ResourceDefinitionError(path, `cannot read it: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The resources serverless.yml deploys, from the same files (`infra/resources/*.yml`: a map of
 * logical id → `{ Type, Properties }`), with serverless variables resolved for the local run.
 */
export async function readResourceDefinitions(
  dir: string,
  context: VariableContext,
): Promise<ResourceDefinition[]> {
  const files = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name)).sort();
  const definitions: ResourceDefinition[] = [];
  for (const name of files) {
    const file = join(dir, name);
    const shown = relative(process.cwd(), file) || file;
    let document: Record<string, { Type?: unknown; Properties?: unknown }>;
    try {
      document = (parse(await readFile(file, 'utf8')) ?? {}) as typeof document;
    } catch (error) {
      throw new ResourceDefinitionError(shown, `not valid YAML: ${(error as Error).message}`, {
        cause: error,
      });
    }
    for (const [logicalId, resource] of Object.entries(document)) {
      if (typeof resource?.Type !== 'string')
        throw new ResourceDefinitionError(shown, `${logicalId} has no Type`);
      let properties: Record<string, unknown>;
      try {
        properties = resolveVariables(resource.Properties ?? {}, context) as Record<string, unknown>;
      } catch (error) {
        throw new ResourceDefinitionError(shown, `${logicalId}: ${(error as Error).message}`, {
          cause: error,
        });
      }
      definitions.push({ logicalId, type: resource.Type, properties, file: shown });
    }
  }
  return definitions;
}
