import { describe, expect, it } from 'vitest';
import {
  type BookkeepingItem,
  type BookkeepingStore,
  cleanBookkeeping,
} from '../../../../lib/usecases/sweep/cleanBookkeeping.js';

/** A store in memory: `changed` items were written since listed, `failing` ones refuse removal. */
function memoryBookkeeping(
  items: BookkeepingItem[],
  options: { changed?: string[]; failing?: string[] } = {},
) {
  const kept = new Map(items.map((item) => [`${item.key.bucket}/${item.key.id}`, item]));
  let lists = 0;
  const store: BookkeepingStore = {
    async list() {
      lists += 1;
      return [...kept.values()];
    },
    async remove(item) {
      const key = `${item.key.bucket}/${item.key.id}`;
      if (options.failing?.includes(key)) throw new Error('DeleteItem refused (injected)');
      if (options.changed?.includes(key)) return false;
      return kept.delete(key);
    },
  };
  return { store, kept, lists: () => lists };
}

const status = (bucket: string, version = 1): BookkeepingItem => ({
  kind: 'status',
  bucket,
  key: { bucket, id: '#status' },
  version,
});
const delivery = (bucket: string): BookkeepingItem => ({
  kind: 'delivery',
  bucket,
  key: { bucket, id: '#delivery' },
  version: 3,
});
const outboxed = (bucket: string, id: string): BookkeepingItem => ({
  kind: 'outbox',
  bucket,
  key: { bucket: '#outbox', id },
});

describe('cleanBookkeeping()', () => {
  it('removes the status, delivery and outbox items of buckets no longer swept, and keeps the others', async () => {
    const world = memoryBookkeeping([
      status('photos'),
      delivery('photos'),
      status('gone'),
      delivery('gone'),
      outboxed('gone', 'a1'),
      outboxed('photos', 'b2'),
    ]);
    const report = await cleanBookkeeping(['logs', 'photos'], world.store);
    expect(report).toEqual({ removed: ['status gone', 'delivery gone', 'outbox gone'], kept: [] });
    expect([...world.kept.keys()].sort()).toEqual(['#outbox/b2', 'photos/#delivery', 'photos/#status']);
    expect(world.lists()).toBe(1); // one read of the store per sweep, whatever the number of buckets
  });

  it("never removes an alert kept about the service's own subjects (#adoption summaries, #templates, #hold)", async () => {
    const world = memoryBookkeeping([
      outboxed('#adoption', 'c3'),
      outboxed('#templates', 'd4'),
      outboxed('#hold', 'e5'),
    ]);
    expect(await cleanBookkeeping(['photos'], world.store)).toEqual({ removed: [], kept: [] });
    expect(world.kept.size).toBe(3);
  });

  it('removes nothing in steady state (every bucket swept)', async () => {
    const world = memoryBookkeeping([status('photos'), delivery('photos')]);
    expect(await cleanBookkeeping(['photos'], world.store)).toEqual({ removed: [], kept: [] });
    expect(world.kept.size).toBe(2);
  });

  it('keeps an item written since it was listed, and one whose removal failed, without stopping the others', async () => {
    const world = memoryBookkeeping([status('new'), status('flaky'), status('gone')], {
      changed: ['new/#status'],
      failing: ['flaky/#status'],
    });
    const report = await cleanBookkeeping([], world.store);
    expect(report).toEqual({
      removed: ['status gone'],
      kept: ['status new: written since it was listed', 'status flaky: DeleteItem refused (injected)'],
    });
    expect([...world.kept.keys()].sort()).toEqual(['flaky/#status', 'new/#status']);
  });
});
