import { ClientFactory, type ClientFactoryOptions } from '../adapters/aws/ClientFactory.js';
import { documentClient } from '../adapters/aws/documentClient.js';
import { lazySend } from '../adapters/aws/lazySend.js';
import { organizationOf } from './organizationWiring.js';
import type { ServiceConfig } from './serviceConfig.js';

/** The document client every DynamoDB store of one wiring shares. */
export type Documents = Awaited<ReturnType<typeof documentClient>>;

/**
 * The one client factory of an entry point, limited by the deployment's settings: clients only for the home
 * account and `S3IR_ALLOWED_ACCOUNTS`, so no AssumeRole is ever tried elsewhere. `options` (region, endpoint,
 * credentials, purpose) come after, as the entry point needs them.
 */
export function serviceFactory(
  config: Pick<
    ServiceConfig,
    | 'crossAccountRoleName'
    | 'readRoleName'
    | 'allowedAccounts'
    | 'allowedOrganizationUnits'
    | 'organizationRoleArn'
    | 'stateTable'
  >,
  options: ClientFactoryOptions = {},
): ClientFactory {
  const factory: ClientFactory = new ClientFactory({
    crossAccountRoleName: config.crossAccountRoleName,
    ...(config.readRoleName !== undefined && { readRoleName: config.readRoleName }),
    ...(config.allowedAccounts !== undefined && { allowedAccounts: config.allowedAccounts }),
    ...(config.organizationRoleArn !== undefined && { organizationRoleArn: config.organizationRoleArn }),
    // #18: the accounts of the organization and OU ids, as the last sweep resolved them.
    resolveAllowedAccounts: () => organizationOf(config, factory).allowed(),
    ...options,
  });
  return factory;
}

/** The factory's document client, made on first use (lib/adapters/aws/documentClient): a cold start calls nothing. */
export function lazyDocuments(factory: ClientFactory): Documents {
  return lazySend(() => documentClient(factory));
}
