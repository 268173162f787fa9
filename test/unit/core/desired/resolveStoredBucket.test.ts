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
});
