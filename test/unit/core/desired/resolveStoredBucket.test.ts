import { describe, expect, it } from 'vitest';
import {
  BUCKET_SETTINGS_ID,
  LEARNED_SOURCE,
  settingsKey,
  templateKey,
} from '../../../../lib/core/desired/desiredTableLayout.js';
import { resolveStoredBucket } from '../../../../lib/core/desired/resolveStoredBucket.js';
import { makeConfiguration } from '../../../helpers/factories.js';

const configuration = (bucket: string, id: string) => ({
  bucket,
  id,
  configuration: makeConfiguration({ Id: id }),
});
const template = (name: string, id: string, match: Record<string, unknown> = { names: ['src'] }) => ({
  ...templateKey(name),
  template: { name, match, inventories: [makeConfiguration({ Id: id })] },
});
const noTags = async () => {
  throw new Error('tags asked');
};

describe('resolveStoredBucket', () => {
  it('resolves a bucket from its own items and the templates that name it', async () => {
    const resolution = await resolveStoredBucket(
      'src',
      {
        partition: [configuration('src', 'own')],
        templates: [template('all', 'shared'), template('other', 'x', { names: ['elsewhere'] })],
      },
      noTags,
    );
    expect(resolution.kind).toBe('resolved');
    expect(resolution.kind === 'resolved' && resolution.bucket.items.map((item) => item.id).sort()).toEqual([
      'own',
      'shared',
    ]);
  });

  it('is absent when nothing declares the bucket, and a learned-only settings item or a reserved key declares nothing', async () => {
    const learned = { ...settingsKey('src'), settings: { region: 'eu-west-1' }, source: LEARNED_SOURCE };
    const reserved = { bucket: 'src', id: '#status', state: 'drift' };
    expect(
      await resolveStoredBucket('src', { partition: [learned, reserved], templates: [] }, noTags),
    ).toEqual({
      kind: 'absent',
    });
  });

  it('adds a learned region only where nothing declares one', async () => {
    const learned = {
      bucket: 'src',
      id: BUCKET_SETTINGS_ID,
      settings: { region: 'eu-west-1' },
      source: LEARNED_SOURCE,
    };
    const resolution = await resolveStoredBucket('src', {
      partition: [learned, configuration('src', 'a')],
      templates: [],
    });
    expect(resolution.kind === 'resolved' && resolution.bucket.region).toBe('eu-west-1');
  });

  it('asks the tags only when a template that names the bucket also selects by tag', async () => {
    const asked: string[] = [];
    const tagsOf = async (bucket: string) => {
      asked.push(bucket);
      return { env: 'prod' };
    };
    const byTag = template('prod', 'p', { names: ['src'], tags: { env: 'prod' } });
    const resolution = await resolveStoredBucket('src', { partition: [], templates: [byTag] }, tagsOf);
    expect(asked).toEqual(['src']);
    expect(resolution.kind === 'resolved' && resolution.bucket.items.map((item) => item.id)).toEqual(['p']);
  });

  it('reports two templates that give the bucket the same Id as a conflict', async () => {
    const resolution = await resolveStoredBucket('src', {
      partition: [],
      templates: [template('one', 'same'), template('two', 'same')],
    });
    expect(resolution.kind).toBe('conflict');
    expect(resolution.kind === 'conflict' && resolution.message).toContain('same');
  });

  it('matches templates by account, OU and region where the bucket was found, and places a template-only bucket there (#18)', async () => {
    const byOu = template('security', 'org', {
      names: ['src'],
      accounts: ['ou-ab12-cdef3456'],
      regions: ['eu-west-1'],
    });
    const member = {
      account: '222222222222',
      parents: ['o-a1b2c3d4e5', 'ou-ab12-cdef3456'],
      region: 'eu-west-1',
      home: false,
    };
    const tagsWhere: unknown[] = [];
    const resolution = await resolveStoredBucket(
      'src',
      {
        partition: [],
        templates: [byOu, template('tagged', 't', { tags: { team: 'sec' }, accounts: ['222222222222'] })],
      },
      async (_bucket, where) => {
        tagsWhere.push(where);
        return { team: 'sec' };
      },
      async () => member,
    );
    expect(resolution).toMatchObject({
      kind: 'resolved',
      bucket: { bucket: 'src', account: '222222222222', region: 'eu-west-1' },
    });
    expect(resolution.kind === 'resolved' && resolution.bucket.items.map((item) => item.id)).toEqual([
      'org',
      't',
    ]);
    // Tags are read in the bucket's own account and region.
    expect(tagsWhere).toEqual([{ account: '222222222222', region: 'eu-west-1' }]);

    const elsewhere = { ...member, parents: ['o-a1b2c3d4e5'], account: '333333333333' };
    expect(
      await resolveStoredBucket('src', { partition: [], templates: [byOu] }, noTags, async () => elsewhere),
    ).toEqual({
      kind: 'absent',
    });
    const otherRegion = { ...member, region: 'us-east-1' };
    expect(
      await resolveStoredBucket('src', { partition: [], templates: [byOu] }, noTags, async () => otherRegion),
    ).toEqual({
      kind: 'absent',
    });
  });

  it('keeps the account the table declares over where the bucket was found (#18)', async () => {
    const own = { ...settingsKey('src'), settings: { account: '444444444444' } };
    const resolution = await resolveStoredBucket(
      'src',
      {
        partition: [own, configuration('src', 'own')],
        templates: [template('all', 'org', { names: ['src'], accounts: ['o-a1b2c3d4e5'] })],
      },
      noTags,
      async () => ({ account: '222222222222', parents: ['o-a1b2c3d4e5'], home: false }),
    );
    expect(resolution).toMatchObject({ kind: 'resolved', bucket: { account: '444444444444' } });
  });
});
