import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  accountStatusFromItem,
  DynamoAccountStatusStore,
} from '../../../../lib/adapters/aws/DynamoAccountStatusStore.js';
import { DynamoDiscoveredStore } from '../../../../lib/adapters/aws/DynamoDiscoveredStore.js';
import {
  ACCOUNT_STATUS_ATTRIBUTES,
  DISCOVERED_ATTRIBUTES,
} from '../../../../lib/adapters/aws/stateTableLayout.js';
import { bucketFilter, mayContain } from '../../../../lib/core/accounts/bucketFilter.js';

// #18: the member accounts' items write exactly the attributes the layout declares, and read back checked.
const documents = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const options = { client, tableName: 'state' };
beforeEach(() => documents.reset());
const sorted = (names: readonly string[]) => [...names].sort();

describe('DynamoAccountStatusStore', () => {
  it('writes exactly ACCOUNT_STATUS_ATTRIBUTES, on the version read, in the #account-status partition', async () => {
    documents.on(UpdateCommand).resolves({});
    await new DynamoAccountStatusStore(options).put({
      account: '222233334444',
      state: 'discovery-failed',
      since: '2026-12-06T00:00:00.000Z',
      conditions: {},
      runId: 'sweep-1',
      version: 2,
    });
    const input = documents.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.Key).toEqual({ bucket: '#account-status', id: '222233334444' });
    expect(
      sorted([...Object.values(input.ExpressionAttributeNames ?? {}), ...Object.keys(input.Key ?? {})]),
    ).toEqual(sorted(ACCOUNT_STATUS_ATTRIBUTES));
    expect(input.ConditionExpression).toBe('#version = :previous');
  });

  it('reads a malformed item safely: not an account id is no status; bad fields fall back', async () => {
    expect(accountStatusFromItem({ bucket: '#account-status', id: 'current' })).toBeUndefined();
    expect(
      accountStatusFromItem({
        id: '222233334444',
        state: 'exploded',
        conditions: { 'discovery-failed': { fingerprint: 'f' }, 'left-organization': 'x' },
        version: 1.5,
      }),
    ).toEqual({ account: '222233334444', state: 'ok', since: '', conditions: {}, runId: '', version: 0 });
    documents.on(QueryCommand).resolves({
      Items: [
        { bucket: '#account-status', id: '999900001111', state: 'left-organization', version: 1 },
        { bucket: '#account-status', id: 'nonsense' },
        { bucket: '#account-status', id: '222233334444', state: 'ok', version: 3 },
      ],
    });
    const listed = await new DynamoAccountStatusStore(options).list();
    expect(listed.map((status) => [status.account, status.state])).toEqual([
      ['222233334444', 'ok'],
      ['999900001111', 'left-organization'],
    ]);
  });
});

describe('DynamoDiscoveredStore', () => {
  it('writes exactly DISCOVERED_ATTRIBUTES and reads the filter back', async () => {
    documents.on(PutCommand).resolves({});
    const filter = bucketFilter(['a-1', 'a-2']);
    await new DynamoDiscoveredStore(options).put('222233334444', filter, 'sweep-1');
    const item = documents.commandCalls(PutCommand)[0]!.args[0].input.Item!;
    expect(sorted(Object.keys(item))).toEqual(sorted(DISCOVERED_ATTRIBUTES));
    documents.on(GetCommand).resolves({ Item: item });
    const read = await new DynamoDiscoveredStore(options).get('222233334444');
    expect(read !== undefined && mayContain(read, 'a-2')).toBe(true);
  });

  it('reads a filter whose sizes do not add up as absent (the cleanup then removes no member bucket)', async () => {
    const good = bucketFilter(['a-1']);
    documents.on(QueryCommand).resolves({
      Items: [
        {
          bucket: '#discovered',
          id: '222233334444',
          bits: good.bits,
          hashes: good.hashes,
          filter: good.data,
        },
        { bucket: '#discovered', id: '333344445555', bits: 1000, hashes: 3, filter: new Uint8Array(125) },
        { bucket: '#discovered', id: '444455556666', bits: 1024, hashes: 3, filter: new Uint8Array(8) },
        { bucket: '#discovered', id: '555566667777', bits: 1024, hashes: 40, filter: new Uint8Array(128) },
      ],
    });
    const filters = await new DynamoDiscoveredStore(options).list();
    expect([...filters.keys()]).toEqual(['222233334444']);
  });
});
