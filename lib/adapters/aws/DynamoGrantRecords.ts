import { DeleteCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type GrantConditionStatus,
  type GrantRecord,
  type GrantStatus,
  grantRecordId,
} from '../../core/grants/grantRecords.js';
import { isRecord } from '../../core/json/isRecord.js';
import { ACCOUNT_ID } from '../../core/organization/organizationIds.js';
import type { GrantTarget } from '../../core/policy/types.js';
import type { GrantRecordStore } from '../../usecases/sweepGrants/ports.js';
import { putVersioned } from './putVersioned.js';
import { queryAllItems } from './readAllItems.js';
import { GRANTS_PARTITION, grantRecordKey, STATE_TABLE_KEY } from './stateTableLayout.js';
import { callAws } from './toAdapterError.js';

export interface DynamoGrantRecordsOptions {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  /** The state table (`S3IR_STATE_TABLE`). */
  tableName: string;
}

/**
 * The schedule grant step's records (#18) as the state table's `{ bucket: '#grants', id: 'destination:<bucket>'
 * | 'key:<arn>', target, name, account, partition, home, region?, enforce, managed }` items, with the step's
 * status on the same item (`state, since, conditions, runId, version`, written on the version read by
 * lib/adapters/aws/putVersioned). `list` is one Query of the partition (every page): one item per destination
 * and key, never one per bucket. Every write is an UpdateItem or DeleteItem of that partition only.
 */
export class DynamoGrantRecords implements GrantRecordStore {
  private readonly options: DynamoGrantRecordsOptions;

  constructor(options: DynamoGrantRecordsOptions) {
    this.options = options;
  }

  async list(): Promise<GrantRecord[]> {
    const { tableName, client } = this.options;
    const items = await queryAllItems(client, {
      TableName: tableName,
      KeyConditionExpression: '#bucket = :partition',
      ExpressionAttributeNames: { '#bucket': STATE_TABLE_KEY.partition },
      ExpressionAttributeValues: { ':partition': GRANTS_PARTITION },
      ConsistentRead: true,
    });
    return items.flatMap((item) => grantRecordFromItem(item) ?? []);
  }

  async remember(record: Omit<GrantRecord, 'status'>): Promise<void> {
    const { tableName, client } = this.options;
    const id = grantRecordId(record.target, record.name);
    const { target, name, account, partition, home, region, enforce, managed } = record;
    const values: Record<string, unknown> = { target, name, account, partition, home, enforce, managed };
    if (region !== undefined) values.region = region;
    const names = Object.keys(values);
    await callAws(`UpdateItem ${tableName} ${GRANTS_PARTITION}/${id}`, () =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: grantRecordKey(id),
          UpdateExpression: `SET ${names.map((key) => `#${key} = :${key}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(names.map((key) => [`#${key}`, key])),
          ExpressionAttributeValues: Object.fromEntries(names.map((key) => [`:${key}`, values[key]])),
        }),
      ),
    );
  }

  async forget(target: GrantTarget, name: string): Promise<void> {
    const { tableName, client } = this.options;
    const id = grantRecordId(target, name);
    await callAws(`DeleteItem ${tableName} ${GRANTS_PARTITION}/${id}`, () =>
      client.send(new DeleteCommand({ TableName: tableName, Key: grantRecordKey(id) })),
    );
  }

  async putStatus(status: GrantStatus): Promise<boolean> {
    const { state, since, conditions, runId } = status;
    return putVersioned(
      this.options,
      grantRecordKey(status.id),
      { state, since, conditions, runId },
      status.version,
    );
  }
}

const TARGETS: Readonly<Record<string, GrantTarget>> = {
  destination: 'destination-policy',
  key: 'key-policy',
};
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:(\d{12}):key\/[A-Za-z0-9-]+$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * A `#grants` item as a GrantRecord; undefined when its id names no destination bucket or key ARN. Anything
 * else malformed reads as not managed (nothing is pruned from it) or as no status: the step rewrites it.
 */
export function grantRecordFromItem(item: Record<string, unknown>): GrantRecord | undefined {
  if (typeof item.id !== 'string') return undefined;
  const at = item.id.indexOf(':');
  const target = TARGETS[item.id.slice(0, at)];
  const name = item.id.slice(at + 1);
  if (at === -1 || target === undefined) return undefined;
  const key = target === 'key-policy' ? KEY_ARN.exec(name) : undefined;
  if (target === 'key-policy' ? key === null : !BUCKET_NAME.test(name)) return undefined;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const account = text(item.account) ?? key?.[1] ?? '';
  const home = text(item.home);
  const partition = text(item.partition);
  const managed =
    item.managed === true &&
    ACCOUNT_ID.test(account) &&
    home !== undefined &&
    BUCKET_NAME.test(home) &&
    partition !== undefined &&
    /^aws[a-z-]*$/.test(partition);
  const region = text(item.region);
  const status = statusFrom(item);
  return {
    target,
    name,
    account,
    partition: partition ?? 'aws',
    home: home ?? name,
    ...(region !== undefined && { region }),
    enforce: item.enforce !== false,
    managed,
    ...(status !== undefined && { status }),
  };
}

function statusFrom(item: Record<string, unknown>): GrantStatus | undefined {
  const { version, state, since, runId, conditions } = item;
  if (typeof version !== 'number' || !Number.isInteger(version)) return undefined;
  const failed = isRecord(conditions) ? conditionFrom(conditions['grant-failed']) : undefined;
  return {
    id: item.id as string,
    state: state === 'failing' && failed !== undefined ? 'failing' : 'ok',
    since: typeof since === 'string' ? since : '',
    conditions: failed === undefined ? {} : { 'grant-failed': failed },
    runId: typeof runId === 'string' ? runId : '',
    version,
  };
}

function conditionFrom(value: unknown): GrantConditionStatus | undefined {
  if (!isRecord(value)) return undefined;
  const { fingerprint, since, lastAlertAt, summary, code } = value;
  if (typeof fingerprint !== 'string' || typeof since !== 'string' || typeof lastAlertAt !== 'string') {
    return undefined;
  }
  return {
    fingerprint,
    since,
    lastAlertAt,
    summary: typeof summary === 'string' ? summary : '',
    code: typeof code === 'string' ? code : '',
  };
}
