import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientFactory } from '../../../lib/adapters/aws/ClientFactory.js';
import { DynamoRunBudget } from '../../../lib/adapters/aws/DynamoRunBudget.js';
import { RUNS_PARTITION } from '../../../lib/adapters/aws/stateTableLayout.js';
import { localFactory, uniqueBucket } from '../aws/localFactory.js';
import { documentClient, localNames } from './serviceLocal.js';

let factory: ClientFactory;
beforeAll(() => {
  factory = localFactory();
});
afterAll(() => factory.destroy());

async function budget(limits: { maxChanges?: number; maxDeletes?: number }) {
  return new DynamoRunBudget({
    client: await documentClient(factory),
    tableName: localNames().stateTable,
    ...limits,
  });
}

describe('DynamoRunBudget on the local AWS', () => {
  it('gives the last unit of a run to exactly one of many racing buckets', async () => {
    const run = uniqueBucket('run');
    const shared = await budget({ maxChanges: 3 });
    expect(await shared.reserve(run, { bucket: 'first', changes: 2, deletes: 0 })).toEqual({ granted: true });
    const racers = Array.from({ length: 6 }, (_, i) => `racer-${i}`);
    const answers = await Promise.all(
      racers.map(async (bucket) =>
        (await budget({ maxChanges: 3 })).reserve(run, { bucket, changes: 1, deletes: 0 }),
      ),
    );
    expect(answers.filter((answer) => answer.granted)).toHaveLength(1);
    expect(answers.filter((answer) => !answer.granted)).toEqual(
      Array.from({ length: 5 }, () => ({
        granted: false,
        remainingChanges: 0,
        remainingDeletes: Number.POSITIVE_INFINITY,
      })),
    );
    const { Item } = await (await documentClient(factory)).send(
      new GetCommand({ TableName: localNames().stateTable, Key: { bucket: RUNS_PARTITION, id: run } }),
    );
    expect(Item).toMatchObject({ changes: 3, deletes: 0, expiresAt: expect.any(Number) });
  });

  it("reserves only what exceeds a bucket's earlier grant, and limits deletes on their own", async () => {
    const run = uniqueBucket('run');
    const limited = await budget({ maxChanges: 5, maxDeletes: 1 });
    expect(await limited.reserve(run, { bucket: 'b', changes: 2, deletes: 1 })).toEqual({ granted: true });
    expect(await limited.reserve(run, { bucket: 'b', changes: 2, deletes: 1 })).toEqual({ granted: true });
    expect(await limited.reserve(run, { bucket: 'b', changes: 3, deletes: 1 })).toEqual({ granted: true });
    expect(await limited.reserve(run, { bucket: 'c', changes: 1, deletes: 1 })).toEqual({
      granted: false,
      remainingChanges: 2,
      remainingDeletes: 0,
    });
    expect(await limited.reserve(run, { bucket: 'c', changes: 2, deletes: 0 })).toEqual({ granted: true });
    expect(await limited.reserve(run, { bucket: 'd', changes: 1, deletes: 0 })).toMatchObject({
      granted: false,
    });
  });
});
