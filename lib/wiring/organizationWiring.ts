import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClientFactory } from '../adapters/aws/ClientFactory.js';
import { DynamoOrganizationMembershipStore } from '../adapters/aws/DynamoOrganizationMembershipStore.js';
import { documentClient } from '../adapters/aws/documentClient.js';
import { lazySend } from '../adapters/aws/lazySend.js';
import { OrganizationAccountDirectory } from '../adapters/aws/OrganizationAccountDirectory.js';
import {
  type OrganizationAccounts,
  organizationAccounts,
} from '../usecases/organization/organizationAccounts.js';
import type { ServiceConfig } from './serviceConfig.js';

/**
 * The organization's accounts for one entry point (#18): Organizations through `factory.organizations()`
 * (the management or delegated-administrator account: `S3IR_ORGANIZATION_ROLE_ARN`), the membership kept in
 * the state table's `#accounts` item. Nothing is asked when `S3IR_ALLOWED_ACCOUNTS` names no organization
 * or OU.
 */
export function organizationWiring(
  config: Pick<ServiceConfig, 'allowedOrganizationUnits' | 'stateTable'>,
  factory: Pick<ClientFactory, 'organizations'>,
  documents: Pick<DynamoDBDocumentClient, 'send'>,
): OrganizationAccounts {
  return organizationAccounts({
    units: config.allowedOrganizationUnits ?? [],
    directory: new OrganizationAccountDirectory({ client: lazySend(() => factory.organizations()) }),
    store: new DynamoOrganizationMembershipStore({ client: documents, tableName: config.stateTable }),
  });
}

const perFactory = new WeakMap<object, OrganizationAccounts>();

/**
 * The one {@link organizationWiring} of a client factory: the factory's allowed accounts, the desired store's
 * bucket placement and discovery all read the same membership (one `#accounts` read per minute, not three).
 */
export function organizationOf(
  config: Pick<ServiceConfig, 'allowedOrganizationUnits' | 'stateTable'>,
  factory: ClientFactory,
): OrganizationAccounts {
  let organization = perFactory.get(factory);
  if (!organization) {
    organization = organizationWiring(
      config,
      factory,
      lazySend(() => documentClient(factory)),
    );
    perFactory.set(factory, organization);
  }
  return organization;
}
