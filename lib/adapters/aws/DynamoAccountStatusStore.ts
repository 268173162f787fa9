import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AccountCondition,
  type AccountConditionStatus,
  AccountState,
  type AccountStatus,
  type AccountStatusStore,
} from '../../core/accounts/accountStatus.js';
import { compareCodeUnits } from '../../core/json/compareCodeUnits.js';
import { isRecord } from '../../core/json/isRecord.js';
import { ACCOUNT_ID } from '../../core/organization/organizationIds.js';
import { putVersioned } from './putVersioned.js';
import { queryAllItems } from './readAllItems.js';
import { ACCOUNT_STATUS_PARTITION, accountStatusKey, STATE_TABLE_KEY } from './stateTableLayout.js';
import { callAws } from './toAdapterError.js';

export interface DynamoAccountStatusStoreOptions {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  /** The state table (`S3IR_STATE_TABLE`). */
  tableName: string;
}

/**
 * Member accounts' statuses as the state table's `{ bucket: '#account-status', id: <account>, state, since,
 * conditions, runId, version }` items: `get` is a consistent GetItem, `put` an UpdateItem on the version read
 * (lib/adapters/aws/putVersioned), `list` one Query of the partition (every page): as many items as accounts
 * something happened to, never one per bucket.
 */
export class DynamoAccountStatusStore implements AccountStatusStore {
  private readonly options: DynamoAccountStatusStoreOptions;

  constructor(options: DynamoAccountStatusStoreOptions) {
    this.options = options;
  }

  async get(account: string): Promise<AccountStatus | undefined> {
    const { tableName, client } = this.options;
    const output = await callAws(`GetItem ${tableName} ${ACCOUNT_STATUS_PARTITION}/${account}`, () =>
      client.send(
        new GetCommand({ TableName: tableName, Key: accountStatusKey(account), ConsistentRead: true }),
      ),
    );
    return output.Item === undefined ? undefined : accountStatusFromItem(output.Item);
  }

  async put(status: AccountStatus): Promise<boolean> {
    const { state, since, conditions, runId } = status;
    return putVersioned(
      this.options,
      accountStatusKey(status.account),
      { state, since, conditions, runId },
      status.version,
    );
  }

  async list(): Promise<AccountStatus[]> {
    const { tableName, client } = this.options;
    const items = await queryAllItems(client, {
      TableName: tableName,
      KeyConditionExpression: '#bucket = :partition',
      ExpressionAttributeNames: { '#bucket': STATE_TABLE_KEY.partition },
      ExpressionAttributeValues: { ':partition': ACCOUNT_STATUS_PARTITION },
    });
    const statuses = items.flatMap((item) => accountStatusFromItem(item) ?? []);
    return statuses.sort((a, b) => compareCodeUnits(a.account, b.account));
  }
}

const STATES = new Set<string>(Object.values(AccountState));
const CONDITIONS: readonly AccountCondition[] = ['discovery-failed', 'left-organization'];

/**
 * An account-status item as an AccountStatus; undefined when its id is not an account id. Anything else
 * malformed (an item an operator edited) reads as absent (a condition) or a safe default (state ok, version 0):
 * the next transition rewrites it.
 */
export function accountStatusFromItem(item: Record<string, unknown>): AccountStatus | undefined {
  if (typeof item.id !== 'string' || !ACCOUNT_ID.test(item.id)) return undefined;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const stored = isRecord(item.conditions) ? item.conditions : {};
  const conditions: AccountStatus['conditions'] = {};
  for (const name of CONDITIONS) {
    const condition = conditionFrom(stored[name]);
    if (condition !== undefined) conditions[name] = condition;
  }
  return {
    account: item.id,
    state: STATES.has(item.state as string) ? (item.state as AccountState) : AccountState.Ok,
    since: text(item.since),
    conditions,
    runId: text(item.runId),
    version: typeof item.version === 'number' && Number.isInteger(item.version) ? item.version : 0,
  };
}

function conditionFrom(value: unknown): AccountConditionStatus | undefined {
  if (!isRecord(value)) return undefined;
  const { fingerprint, since, lastAlertAt, summary, step, code } = value;
  if (typeof fingerprint !== 'string' || typeof since !== 'string' || typeof lastAlertAt !== 'string') {
    return undefined;
  }
  return {
    fingerprint,
    since,
    lastAlertAt,
    summary: typeof summary === 'string' ? summary : '',
    ...(typeof step === 'string' && { step }),
    ...(typeof code === 'string' && { code }),
  };
}
