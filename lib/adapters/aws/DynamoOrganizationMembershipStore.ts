import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { jsonEqual } from '../../core/json/jsonEqual.js';
import { parseMembership } from '../../core/organization/membership.js';
import type { OrganizationMembership } from '../../core/organization/types.js';
import { accountsKey } from './stateTableLayout.js';
import { callAws } from './toAdapterError.js';

export interface DynamoOrganizationMembershipStoreOptions {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  /** The state table (`S3IR_STATE_TABLE`): only the service's roles write it. */
  tableName: string;
  now?: () => Date;
}

/** The membership as stored, with when it was resolved. */
export interface StoredMembership {
  membership: OrganizationMembership;
  resolvedAt: string;
}

/**
 * The organization's membership as the last sweep resolved it: the state table's `{bucket: '#accounts',
 * id: 'current'}` item, so that the workers of a sweep share one resolution instead of each asking
 * Organizations. Read back checked (lib/core/organization/membership `parseMembership`): an item that is not
 * a membership is treated as absent. Written only when it changed: a steady sweep writes nothing.
 * About 60 bytes an account: the item stays under DynamoDB's 400 KB up to about 5,000 accounts.
 */
export class DynamoOrganizationMembershipStore {
  private readonly options: DynamoOrganizationMembershipStoreOptions;

  constructor(options: DynamoOrganizationMembershipStoreOptions) {
    this.options = options;
  }

  async get(): Promise<StoredMembership | undefined> {
    const { Item: item } = await callAws(`GetItem ${this.options.tableName} #accounts`, () =>
      this.options.client.send(new GetCommand({ TableName: this.options.tableName, Key: accountsKey() })),
    );
    if (item === undefined) return undefined;
    const membership = parseMembership(item);
    if (membership === undefined || typeof item.resolvedAt !== 'string') return undefined;
    return { membership, resolvedAt: item.resolvedAt };
  }

  /** Stores `membership` unless `current` already holds the same; `true` when it wrote. */
  async put(membership: OrganizationMembership, current?: StoredMembership): Promise<boolean> {
    if (current !== undefined && jsonEqual(current.membership, membership)) return false;
    const resolvedAt = (this.options.now ?? (() => new Date()))().toISOString();
    await callAws(`PutItem ${this.options.tableName} #accounts`, () =>
      this.options.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: { ...accountsKey(), ...membership, resolvedAt },
        }),
      ),
    );
    return true;
  }
}
