import {
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  DescribeOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';

/** An organization on the local AWS, as moto's Organizations API keeps it (in moto's default account). */
export interface LocalOrganization {
  organizationId: string;
  rootId: string;
}

/**
 * The local AWS's organization: the one moto's default account already manages, else a new one (all
 * features). moto keeps one organization per management account for the life of the server, so tests that
 * share a local AWS share it too and each adds OUs and accounts of its own.
 */
export async function localOrganization(client: OrganizationsClient): Promise<LocalOrganization> {
  let organizationId: string | undefined;
  try {
    organizationId = (await client.send(new DescribeOrganizationCommand({}))).Organization?.Id;
  } catch (error) {
    if ((error as Error).name !== 'AWSOrganizationsNotInUseException') throw error;
    organizationId = (await client.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }))).Organization
      ?.Id;
  }
  const rootId = (await client.send(new ListRootsCommand({}))).Roots?.[0]?.Id;
  if (!organizationId || !rootId) throw new Error('the local organization has no id or no root');
  return { organizationId, rootId };
}

/** A new OU under `parentId`. */
export async function createUnit(
  client: OrganizationsClient,
  parentId: string,
  name: string,
): Promise<string> {
  const unit = await client.send(new CreateOrganizationalUnitCommand({ ParentId: parentId, Name: name }));
  const id = unit.OrganizationalUnit?.Id;
  if (!id) throw new Error(`CreateOrganizationalUnit ${name} returned no id`);
  return id;
}

/** A new member account (moto creates it at once and picks its id), moved from the root into `unitId`. */
export async function createMemberAccount(
  client: OrganizationsClient,
  organization: LocalOrganization,
  name: string,
  unitId?: string,
): Promise<string> {
  const created = await client.send(
    new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }),
  );
  const account = created.CreateAccountStatus?.AccountId;
  if (!account) throw new Error(`CreateAccount ${name} returned no account id`);
  if (unitId !== undefined) {
    await client.send(
      new MoveAccountCommand({
        AccountId: account,
        SourceParentId: organization.rootId,
        DestinationParentId: unitId,
      }),
    );
  }
  return account;
}
