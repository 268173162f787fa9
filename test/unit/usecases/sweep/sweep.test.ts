import { describe, expect, it } from 'vitest';
import type { TemplateDeclaration } from '../../../../lib/core/desired/resolveTemplates.js';
import type { BucketMessage } from '../../../../lib/usecases/reconcileMessage/bucketMessage.js';
import { type BucketTagSource, runSweep, sweepBuckets } from '../../../../lib/usecases/sweep/sweep.js';
import { makeConfiguration } from '../../../helpers/factories.js';

function template(name: string, match: TemplateDeclaration['template']['match']): TemplateDeclaration {
  return { template: { name, match, inventories: [makeConfiguration()] }, defaults: {}, origin: name };
}

/** The account as a fake tag index: records every tag query and every listing. */
function accountOf(tags: Record<string, Record<string, string>>) {
  const source = {
    asked: [] as Record<string, string>[],
    listed: 0,
    accountBuckets: async () => {
      source.listed++;
      return Object.keys(tags);
    },
    bucketsTagged: async (wanted: Readonly<Record<string, string>>) => {
      source.asked.push({ ...wanted });
      return Object.keys(tags).filter((bucket) =>
        Object.entries(wanted).every(([key, value]) => tags[bucket]?.[key] === value),
      );
    },
  } satisfies BucketTagSource & Record<string, unknown>;
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

  it('adds buckets templates select: tag templates through the tag index, name-only ones from the list', async () => {
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
    expect(buckets.asked).toEqual([{ env: 'prod' }]);
    expect(buckets.listed).toBe(1);
  });

  it('selects by tags alone without listing the account, asking each distinct tag set once', async () => {
    const buckets = accountOf({ a: { env: 'prod', team: 'x' }, b: { env: 'prod' }, c: { env: 'dev' } });
    const templates = [
      template('prod', { tags: { env: 'prod' } }),
      template('prod-again', { tags: { env: 'prod' } }),
      template('team', { tags: { team: 'x', env: 'prod' } }),
    ];
    const selected = await sweepBuckets({ catalog: async () => ({ buckets: [], templates }), buckets });
    expect(selected).toEqual(['a', 'b']);
    expect(buckets.asked).toEqual([{ env: 'prod' }, { team: 'x', env: 'prod' }]);
    expect(buckets.listed).toBe(0);
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

  it('tells where each bucket lives when the table knows it, template-selected buckets included', async () => {
    const sent: BucketMessage[] = [];
    await runSweep(
      {
        catalog: async () => ({
          buckets: ['a', 'b'],
          templates: [template('all-prod', { tags: { env: 'prod' } })],
          locations: new Map([
            ['a', { region: 'eu-west-1' }],
            ['c', { region: 'us-east-2', account: '210987654321' }],
          ]),
        }),
        buckets: accountOf({ c: { env: 'prod' } }),
        queue: { enqueue: async (messages) => void sent.push(...messages) },
      },
      'sweep-2',
    );
    expect(sent).toEqual([
      { bucket: 'a', runId: 'sweep-2', reason: 'schedule', region: 'eu-west-1' },
      { bucket: 'b', runId: 'sweep-2', reason: 'schedule' },
      { bucket: 'c', runId: 'sweep-2', reason: 'schedule', region: 'us-east-2', account: '210987654321' },
    ]);
  });
});
