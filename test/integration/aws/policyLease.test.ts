import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClientFactory } from '../../../lib/adapters/aws/ClientFactory.js';
import { DynamoPolicyLease } from '../../../lib/adapters/aws/DynamoPolicyLease.js';
import { LEASE_PARTITION } from '../../../lib/adapters/aws/stateTableLayout.js';
import { describePolicyLeaseContract } from '../../unit/adapters/aws/contracts/policyLeaseContract.js';
import { documentClient, localNames } from '../service/serviceLocal.js';
import { localFactory, uniqueBucket } from './localFactory.js';

// The same contract runs against the memory fake (test/unit/adapters/aws/memoryPolicyLeaseContract.test.ts).
const factories: ClientFactory[] = [];
afterAll(() => Promise.all(factories.map((factory) => factory.destroy())));

/** A worker's adapter over a client of its own, as separate Lambda sandboxes have. */
async function adapter(now: () => number = Date.now, ttlMs?: number): Promise<DynamoPolicyLease> {
  const factory = localFactory();
  factories.push(factory);
  return new DynamoPolicyLease({
    client: await documentClient(factory),
    tableName: localNames().stateTable,
    now,
    ...(ttlMs !== undefined && { ttlMs }),
  });
}

describePolicyLeaseContract('DynamoPolicyLease on the local AWS (the state table)', () => ({
  worker: (now, ttlMs) => adapter(now, ttlMs),
  newKey: () => `destination-policy:${uniqueBucket('lease')}`,
}));

describe('DynamoPolicyLease items', () => {
  it('keeps a lease as a `#lease` item with its holder and a TTL in epoch seconds, and deletes it on release', async () => {
    const factory = localFactory();
    factories.push(factory);
    const documents = await documentClient(factory);
    const key = `key-policy:arn:aws:kms:us-east-1:123456789012:key/${uniqueBucket('lease')}`;
    const now = Date.parse('2030-01-01T00:00:00.400Z');
    const attempt = await (await adapter(() => now)).tryAcquire(key, 'run-1/src/abc');
    const read = () =>
      documents.send(
        new GetCommand({
          TableName: localNames().stateTable,
          Key: { bucket: LEASE_PARTITION, id: key },
          ConsistentRead: true,
        }),
      );

    // 30 s by default, rounded up to the second.
    const expiresAt = Date.parse('2030-01-01T00:00:31.000Z') / 1000;
    expect((await read()).Item).toEqual({ bucket: '#lease', id: key, holder: 'run-1/src/abc', expiresAt });
    expect(attempt).toMatchObject({ acquired: true, lease: { expiresAt: new Date(expiresAt * 1000) } });

    if (attempt.acquired) await attempt.lease.release();
    expect((await read()).Item).toBeUndefined();
  });
});
