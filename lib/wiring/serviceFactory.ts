import { ClientFactory, type ClientFactoryOptions } from '../adapters/aws/ClientFactory.js';
import { documentClient } from '../adapters/aws/documentClient.js';
import { lazySend } from '../adapters/aws/lazySend.js';
import type { ServiceConfig } from './serviceConfig.js';

/** The document client every DynamoDB store of one wiring shares. */
export type Documents = Awaited<ReturnType<typeof documentClient>>;

/**
 * The one client factory of an entry point, limited by the deployment's settings: clients only for the home
 * account and `S3IR_ALLOWED_ACCOUNTS`, so no AssumeRole is ever tried elsewhere. `options` (region, endpoint,
 * credentials, purpose) come after, as the entry point needs them.
 */
export function serviceFactory(
  config: Pick<ServiceConfig, 'crossAccountRoleName' | 'readRoleName' | 'allowedAccounts'>,
  options: ClientFactoryOptions = {},
): ClientFactory {
  return new ClientFactory({
    crossAccountRoleName: config.crossAccountRoleName,
    ...(config.readRoleName !== undefined && { readRoleName: config.readRoleName }),
    ...(config.allowedAccounts !== undefined && { allowedAccounts: config.allowedAccounts }),
    ...options,
  });
}

/** The factory's document client, made on first use (lib/adapters/aws/documentClient): a cold start calls nothing. */
export function lazyDocuments(factory: ClientFactory): Documents {
  return lazySend(() => documentClient(factory));
}
