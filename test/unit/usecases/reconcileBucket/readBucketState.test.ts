import { describe, expect, it } from 'vitest';
import type { BucketFactsRequest, FactsPort, StoredDesiredBucket } from '../../../../lib/usecases/ports.js';
import {
  readActualState,
  readBucketState,
  readBucketTarget,
} from '../../../../lib/usecases/reconcileBucket/readBucketState.js';
import { makeConfiguration } from '../../../helpers/factories.js';
import { createMemoryEstate } from '../../../helpers/memoryEstate.js';
import {
  DESTINATION_BUCKET,
  makeDesiredBucket,
  SOURCE_ACCOUNT,
  SOURCE_BUCKET,
} from '../../../helpers/reconcileFactories.js';

function world(desired: StoredDesiredBucket | undefined) {
  const estate = createMemoryEstate()
    .addBucket(SOURCE_BUCKET, { region: 'eu-west-1', configurations: [makeConfiguration({ Id: 'stray' })] })
    .addBucket(DESTINATION_BUCKET, { region: 'eu-west-1' });
  const log: string[] = [];
  const requests: BucketFactsRequest[] = [];
  const kept: Array<[string, string]> = [];
  const facts: FactsPort = {
    bucketRegion: async (bucket, account) => {
      log.push(`bucketRegion ${bucket} ${account ?? 'home'}`);
      return estate.buckets.get(bucket)!.region;
    },
    read: async (request) => {
      log.push('read');
      requests.push(request);
      return estate.factsFor(request.bucket);
    },
    invalidate: () => {},
  };
  const deps = {
    desired: {
      getBucket: async (bucket: string) => {
        log.push(`getBucket ${bucket}`);
        return bucket === desired?.bucket ? desired : undefined;
      },
      keepRegion: async (bucket: string, region: string) => void kept.push([bucket, region]),
    },
    facts,
    allowedAccounts: async () => new Set([SOURCE_ACCOUNT, '222233334444']),
    inventoryFor: (scope: { bucket: string; region: string; account?: string }) => {
      log.push(`inventoryFor ${scope.bucket} ${scope.region} ${scope.account ?? 'home'}`);
      return estate.inventory;
    },
  };
  return { estate, deps, log, requests, kept };
}

const desired = makeDesiredBucket([makeConfiguration()]);

describe('readBucketState()', () => {
  it('reads the desired state, learns the region, lists the bucket and reads the facts of what it names', async () => {
    const { deps, log, requests, kept } = world(desired);
    const state = await readBucketState(SOURCE_BUCKET, deps);
    expect(state).toMatchObject({
      desired,
      scope: { bucket: SOURCE_BUCKET, region: 'eu-west-1' },
      actual: [makeConfiguration({ Id: 'stray' })],
      facts: { bucket: SOURCE_BUCKET, region: 'eu-west-1' },
    });
    expect(log).toEqual([
      `getBucket ${SOURCE_BUCKET}`,
      `bucketRegion ${SOURCE_BUCKET} home`,
      `inventoryFor ${SOURCE_BUCKET} eu-west-1 home`,
      'read',
    ]);
    expect(requests).toEqual([
      {
        bucket: SOURCE_BUCKET,
        region: 'eu-west-1',
        destinations: [{ bucket: DESTINATION_BUCKET }],
        keys: [],
      },
    ]);
    // A plan changes nothing: the region is not kept.
    expect(kept).toEqual([]);
  });

  it('is undefined, asking nothing else, when the bucket has no desired state', async () => {
    const { deps, log } = world(desired);
    expect(await readBucketState('elsewhere', deps)).toBeUndefined();
    expect(log).toEqual(['getBucket elsewhere']);
  });

  it('uses the region and account the desired state keeps, without asking', async () => {
    const { deps, log } = world({ ...desired, region: 'ap-south-1', account: '222233334444' });
    const state = await readBucketState(SOURCE_BUCKET, deps);
    expect(state?.scope).toEqual({ bucket: SOURCE_BUCKET, region: 'ap-south-1', account: '222233334444' });
    expect(log).not.toContain(expect.stringMatching(/^bucketRegion/));
    expect(log).toContain(`inventoryFor ${SOURCE_BUCKET} ap-south-1 222233334444`);
  });
});

describe('readBucketTarget() with a location (#18)', () => {
  it("gives the desired store the message's location with the tags discovery read, and the bucket lives there", async () => {
    const { deps, log } = world(desired);
    const seen: unknown[] = [];
    const location = { region: 'eu-west-1', account: '222233334444', tags: { team: 'sec' } };
    deps.desired.getBucket = async (bucket: string, where?: unknown) => {
      seen.push(where);
      return { ...desired, bucket, account: '222233334444', region: 'eu-west-1' };
    };
    const target = await readBucketTarget(SOURCE_BUCKET, deps, { location });
    expect(seen).toEqual([location]);
    expect(target?.scope).toEqual({ bucket: SOURCE_BUCKET, region: 'eu-west-1', account: '222233334444' });
    expect(log).toEqual([]); // no region asked
  });
});

describe('readBucketTarget() with keepRegion (a reconcile)', () => {
  it('keeps a learned region with the desired state', async () => {
    const { deps, kept } = world(desired);
    const target = await readBucketTarget(SOURCE_BUCKET, deps, { keepRegion: true });
    expect(target?.scope.region).toBe('eu-west-1');
    expect(kept).toEqual([[SOURCE_BUCKET, 'eu-west-1']]);
  });

  it('still answers when keeping the region fails', async () => {
    const { deps } = world(desired);
    deps.desired.keepRegion = async () => {
      throw new Error('table down');
    };
    expect((await readBucketTarget(SOURCE_BUCKET, deps, { keepRegion: true }))?.scope.region).toBe(
      'eu-west-1',
    );
  });
});

describe('readActualState() (a re-plan)', () => {
  it('reads the bucket and the facts again, not the desired state or the region', async () => {
    const { deps, log, estate } = world(desired);
    const target = (await readBucketTarget(SOURCE_BUCKET, deps))!;
    log.length = 0;
    estate.buckets.get(SOURCE_BUCKET)!.configurations.clear();
    const state = await readActualState(target, deps);
    expect(state.actual).toEqual([]);
    expect(state.desired).toBe(desired);
    expect(log).toEqual([`inventoryFor ${SOURCE_BUCKET} eu-west-1 home`, 'read']);
  });
});
