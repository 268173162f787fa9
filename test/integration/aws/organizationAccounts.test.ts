import {
  type OrganizationsClient,
  RemoveAccountFromOrganizationCommand,
} from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemberAccount,
  createUnit,
  type LocalOrganization,
  localOrganization,
} from '../../../infra/local/organization/localOrganization.js';
import { OrganizationAccountDirectory } from '../../../lib/adapters/aws/OrganizationAccountDirectory.js';
import { accountsSelectedBy } from '../../../lib/core/organization/membership.js';
import { LOCAL_HOME_ACCOUNT, localFactory, uniqueBucket } from './localFactory.js';

const factory = localFactory();
let client: OrganizationsClient;
let organization: LocalOrganization;
let units: { security: string; workloads: string; prod: string };
let accounts: { audit: string; web: string; removed: string };

beforeAll(async () => {
  client = await factory.organizations();
  organization = await localOrganization(client);
  const security = await createUnit(client, organization.rootId, uniqueBucket('security'));
  const workloads = await createUnit(client, organization.rootId, uniqueBucket('workloads'));
  const prod = await createUnit(client, workloads, 'prod');
  units = { security, workloads, prod };
  accounts = {
    audit: await createMemberAccount(client, organization, uniqueBucket('audit'), security),
    web: await createMemberAccount(client, organization, uniqueBucket('web'), prod),
    removed: await createMemberAccount(client, organization, uniqueBucket('gone'), security),
  };
  await client.send(new RemoveAccountFromOrganizationCommand({ AccountId: accounts.removed }));
});

afterAll(() => factory.destroy());

describe('OrganizationAccountDirectory (moto Organizations)', () => {
  it('lists every ACTIVE account with the organization and the OUs above it, nested OUs included', async () => {
    const membership = await new OrganizationAccountDirectory({ client }).membership();
    expect(membership.organizationId).toBe(organization.organizationId);
    expect(membership.accounts[LOCAL_HOME_ACCOUNT]).toEqual([organization.organizationId]);
    expect(membership.accounts[accounts.audit]).toEqual([organization.organizationId, units.security]);
    expect(membership.accounts[accounts.web]).toEqual([
      organization.organizationId,
      units.workloads,
      units.prod,
    ]);
    expect(membership.accounts).not.toHaveProperty(accounts.removed);
    expect([...accountsSelectedBy([units.workloads], membership)]).toEqual([accounts.web]);
    expect([...accountsSelectedBy([units.security], membership)]).toEqual([accounts.audit]);
  });
});
