import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { compareCodeUnits } from '../../core/json/compareCodeUnits.js';
import { ACCOUNT_ID, isOrganizationUnitId } from '../../core/organization/organizationIds.js';
import type { OrganizationMembership } from '../../core/organization/types.js';
import { AwsAdapterError } from './errors.js';
import { loadSdk } from './loadSdk.js';
import { callAws } from './toAdapterError.js';

export interface OrganizationAccountDirectoryOptions {
  /**
   * An Organizations client of the management account or of a delegated administrator (the API answers only
   * there), e.g. `factory.organizations()`.
   */
  client: Pick<OrganizationsClient, 'send'> | (() => Promise<Pick<OrganizationsClient, 'send'>>);
}

/** An account as ListAccountsForParent gives it: `State` is the newer field, `Status` the one it replaces. */
interface ListedAccount {
  Id?: string | undefined;
  Status?: string | undefined;
  State?: string | undefined;
}

/**
 * The organization's ACTIVE accounts and the OUs that contain each (docs/aws-facts.md "Organizations"): one
 * DescribeOrganization, ListRoots, then from each root down ListOrganizationalUnitsForParent and
 * ListAccountsForParent for every OU (every page). A suspended, closing or removed account is not listed,
 * so it drops out of whatever an organization or OU id allows.
 * @example const membership = await new OrganizationAccountDirectory({ client }).membership();
 */
export class OrganizationAccountDirectory {
  private readonly options: OrganizationAccountDirectoryOptions;

  constructor(options: OrganizationAccountDirectoryOptions) {
    this.options = options;
  }

  async membership(): Promise<OrganizationMembership> {
    const sdk = await loadSdk('organizations');
    const client = await this.client();
    const described = await callAws('DescribeOrganization', () =>
      client.send(new sdk.DescribeOrganizationCommand({})),
    );
    const organizationId = described.Organization?.Id;
    if (!organizationId || !isOrganizationUnitId(organizationId)) {
      throw new AwsAdapterError({
        code: 'InvalidOrganization',
        message: `DescribeOrganization named no organization id (${JSON.stringify(organizationId)})`,
      });
    }
    const roots = await this.pages('ListRoots', (NextToken) =>
      client.send(new sdk.ListRootsCommand({ NextToken })).then((page) => ({
        items: page.Roots ?? [],
        next: page.NextToken,
      })),
    );
    const accounts: Record<string, readonly string[]> = {};
    // Breadth first; `path` is the organization and the OUs above (the root itself is not an OU).
    let level = roots.flatMap((root) => (root.Id ? [{ id: root.Id, path: [organizationId] }] : []));
    while (level.length > 0) {
      const next: { id: string; path: string[] }[] = [];
      for (const parent of level) {
        const [listed, units] = await Promise.all([
          this.pages(`ListAccountsForParent ${parent.id}`, (NextToken) =>
            client
              .send(new sdk.ListAccountsForParentCommand({ ParentId: parent.id, NextToken }))
              .then((page) => ({ items: page.Accounts ?? [], next: page.NextToken })),
          ),
          this.pages(`ListOrganizationalUnitsForParent ${parent.id}`, (NextToken) =>
            client
              .send(new sdk.ListOrganizationalUnitsForParentCommand({ ParentId: parent.id, NextToken }))
              .then((page) => ({ items: page.OrganizationalUnits ?? [], next: page.NextToken })),
          ),
        ]);
        for (const account of listed as ListedAccount[]) {
          if (account.Id && ACCOUNT_ID.test(account.Id) && isActive(account))
            accounts[account.Id] = parent.path;
        }
        for (const unit of units) {
          if (unit.Id && isOrganizationUnitId(unit.Id))
            next.push({ id: unit.Id, path: [...parent.path, unit.Id] });
        }
      }
      level = next;
    }
    const sorted = Object.fromEntries(Object.entries(accounts).sort(([a], [b]) => compareCodeUnits(a, b)));
    return { organizationId, accounts: sorted };
  }

  private async client(): Promise<Pick<OrganizationsClient, 'send'>> {
    const { client } = this.options;
    return typeof client === 'function' ? client() : client;
  }

  /** Every page of a NextToken-paginated list. */
  private async pages<T>(
    context: string,
    page: (token: string | undefined) => Promise<{ items: T[]; next?: string | undefined }>,
  ): Promise<T[]> {
    const items: T[] = [];
    let token: string | undefined;
    do {
      const output = await callAws(context, () => page(token));
      items.push(...output.items);
      token = output.next || undefined;
    } while (token !== undefined);
    return items;
  }
}

/**
 * ACTIVE only: `State` (ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED, …) where the API gives it, else the older
 * `Status` (ACTIVE, SUSPENDED, PENDING_CLOSURE).
 */
function isActive(account: ListedAccount): boolean {
  return (account.State ?? account.Status) === 'ACTIVE';
}
