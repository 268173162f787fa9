import { describe, expect, it } from 'vitest';
import {
  cachedDesiredIndex,
  DESIRED_INDEX_TTL_MS,
} from '../../../../lib/usecases/fanOut/cachedDesiredIndex.js';
import { makeConfiguration } from '../../../helpers/factories.js';

const item = (bucket: string, destination: string) => ({
  bucket,
  id: 'daily-csv',
  configuration: makeConfiguration({
    Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${destination}`, Format: 'CSV' } },
  }),
});

describe('cachedDesiredIndex()', () => {
  it('reads the table once for a burst of events, and again once the index is 30 s old', async () => {
    const scans: string[] = [];
    const index = cachedDesiredIndex(async () => {
      scans.push('scan');
      return [item(`src-${scans.length}`, 'reports')];
    });
    const first = await index(1_000);
    expect([...first.byDestination.get('reports')!]).toEqual(['src-1']);
    expect(await index(1_000 + DESIRED_INDEX_TTL_MS - 1)).toBe(first);
    expect(scans).toHaveLength(1);
    const later = await index(1_000 + DESIRED_INDEX_TTL_MS);
    expect([...later.byDestination.get('reports')!]).toEqual(['src-2']);
    expect(scans).toHaveLength(2);
  });

  it('does not keep a failed read: the next event reads again', async () => {
    const reads: (() => Promise<unknown[]>)[] = [
      () => Promise.reject(new Error('throttled')),
      () => Promise.resolve([item('src', 'reports')]),
    ];
    const index = cachedDesiredIndex(() => reads.shift()!(), 60_000);
    await expect(index(0)).rejects.toThrow('throttled');
    const second = await index(1);
    expect([...second.byDestination.keys()]).toEqual(['reports']);
    expect(reads).toEqual([]);
  });
});
