import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoGrantRecords } from '../../../lib/adapters/aws/DynamoGrantRecords.js';
import { grantRecordKey } from '../../../lib/adapters/aws/stateTableLayout.js';
import type { GrantRecord } from '../../../lib/core/grants/grantRecords.js';
import { stateTestTable } from './desiredTestTable.js';
import { localEndpoint } from './localFactory.js';

const KEY = 'arn:aws:kms:us-east-1:222233334444:key/1234abcd-12ab-34cd-56ef-1234567890ab';
let table: Awaited<ReturnType<typeof stateTestTable>>;
let records: DynamoGrantRecords;

const destination: Omit<GrantRecord, 'status'> = {
  target: 'destination-policy',
  name: 'central-reports',
  account: '222233334444',
  partition: 'aws',
  home: 'central-reports',
  region: 'eu-west-1',
  enforce: true,
  managed: true,
};

beforeAll(async () => {
  table = await stateTestTable(localEndpoint());
  records = new DynamoGrantRecords({ client: table.documents, tableName: table.tableName });
}, 60_000);

afterAll(() => table?.destroy());

describe('DynamoGrantRecords on the local AWS (the state table’s #grants items)', () => {
  it('remembers, lists with its status, and forgets a destination; a status write is versioned', async () => {
    await records.remember(destination);
    const status = {
      id: 'destination:central-reports',
      state: 'failing' as const,
      since: '2026-12-06T12:00:00.000Z',
      conditions: {
        'grant-failed': {
          fingerprint: 'f1',
          since: '2026-12-06T12:00:00.000Z',
          lastAlertAt: '2026-12-06T12:00:00.000Z',
          summary: 'cannot write',
          code: 'AccessDenied',
        },
      },
      runId: 'sweep-1',
      version: 1,
    };
    expect(await records.putStatus(status)).toBe(true);
    expect(await records.putStatus(status)).toBe(false); // version 1 is taken
    // A status-only record of a key (the step failed there before ever writing it).
    expect(await records.putStatus({ ...status, id: `key:${KEY}`, conditions: {}, state: 'ok' })).toBe(true);

    const listed = await records.list();
    expect(listed).toEqual([
      { ...destination, status },
      {
        target: 'key-policy',
        name: KEY,
        account: '222233334444',
        partition: 'aws',
        home: KEY,
        enforce: true,
        managed: false,
        status: { ...status, id: `key:${KEY}`, conditions: {}, state: 'ok' },
      },
    ]);
    // Remembering again keeps the status: the record's attributes only are set.
    await records.remember({ ...destination, enforce: false });
    const item = (
      await table.documents.send(
        new GetCommand({ TableName: table.tableName, Key: grantRecordKey('destination:central-reports') }),
      )
    ).Item!;
    expect([item.enforce, item.version, item.state]).toEqual([false, 1, 'failing']);

    await records.forget('destination-policy', 'central-reports');
    await records.forget('key-policy', KEY);
    expect(await records.list()).toEqual([]);
  });

  it('reads a malformed item as not managed (nothing pruned from it), and skips an id naming nothing', async () => {
    for (const Item of [
      { ...grantRecordKey('destination:edited'), managed: true, account: 'not-an-account', home: 'edited' },
      { ...grantRecordKey('bucket:whatever'), managed: true },
    ]) {
      await table.documents.send(new PutCommand({ TableName: table.tableName, Item }));
    }
    expect(await records.list()).toEqual([
      expect.objectContaining({ target: 'destination-policy', name: 'edited', managed: false }),
    ]);
  });
});
