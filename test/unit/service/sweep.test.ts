import { describe, expect, it } from 'vitest';
import type { TemplateDeclaration } from '../../../lib/desired/resolveTemplates.js';
import type { BucketMessage } from '../../../lib/reconcile/bucketMessage.js';
import { type BucketTagSource, runSweep, sweepBuckets } from '../../../lib/reconcile/sweep.js';
import { makeConfiguration } from '../../helpers/factories.js';

function template(name: string, match: TemplateDeclaration['template']['match']): TemplateDeclaration {
  return { template: { name, match, inventories: [makeConfiguration()] }, defaults: {}, origin: name };
}

function accountOf(tags: Record<string, Record<string, string>>): BucketTagSource & { asked: string[][] } {
  const source = {
    asked: [] as string[][],
    accountBuckets: async () => Object.keys(tags),
    tagsOf: async (buckets: readonly string[]) => {
      source.asked.push([...buckets]);
      return new Map(buckets.map((bucket) => [bucket, tags[bucket] ?? {}]));
    },
  };
  return source;
}

describe('sweepBuckets()', () => {
  it('takes declared buckets without listing the account when there are no templates', async () => {
    const buckets = accountOf({});
    buckets.accountBuckets = async () => {
      throw new Error('must not list');
    };
    expect(
      await sweepBuckets({ catalog: async () => ({ buckets: ['b', 'a'], templates: [] }), buckets }),
    ).toEqual(['a', 'b']);
  });

  it('adds buckets templates select, reading tags only for buckets a tag template could select by name', async () => {
    const buckets = accountOf({
      'logs-prod': { env: 'prod' },
      'logs-dev': { env: 'dev' },
      'photos-prod': { env: 'prod' },
      'data-1': {},
    });
    const templates = [
      template('prod-logs', { names: ['logs-*'], tags: { env: 'prod' } }),
      template('data', { names: ['data-*'] }),
    ];
    const selected = await sweepBuckets({
      catalog: async () => ({ buckets: ['declared'], templates }),
      buckets,
    });
    expect(selected).toEqual(['data-1', 'declared', 'logs-prod']);
    expect(buckets.asked).toEqual([['logs-prod', 'logs-dev']]);
  });
});

describe('runSweep()', () => {
  it('enqueues one message per bucket with the run id', async () => {
    const sent: BucketMessage[] = [];
    const buckets = await runSweep(
      {
        catalog: async () => ({ buckets: ['a', 'b'], templates: [] }),
        buckets: accountOf({}),
        queue: { enqueue: async (messages) => void sent.push(...messages) },
      },
      'sweep-1',
    );
    expect(buckets).toEqual(['a', 'b']);
    expect(sent).toEqual([
      { bucket: 'a', runId: 'sweep-1', reason: 'schedule' },
      { bucket: 'b', runId: 'sweep-1', reason: 'schedule' },
    ]);
  });
});
