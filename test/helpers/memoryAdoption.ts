import {
  ADOPTION_NAMES_CAP,
  ADOPTION_TARGETS_CAP,
  type AdoptionSummary,
} from '../../lib/core/alerts/adoptionSummary.js';
import type { AdoptionLedger } from '../../lib/usecases/recordTransition/summariseFirstAlerts.js';
import type { AdoptionSummaryStore } from '../../lib/usecases/sweep/sendAdoptionSummaries.js';

/** The `#adoption` items in memory, with the table adapter's rules: names capped, a named bucket not counted twice. */
export interface MemoryAdoption extends AdoptionLedger, AdoptionSummaryStore {
  readonly items: Map<string, AdoptionSummary & { arrivals: number }>;
  /** Makes every call throw. */
  down: boolean;
}

export function memoryAdoption(): MemoryAdoption {
  const check = () => {
    if (store.down)
      throw Object.assign(new Error('DynamoDB is down (injected)'), { name: 'InternalServerError' });
  };
  const itemOf = (runId: string, account: string, now: Date) => {
    const key = `${runId}#${account}`;
    let item = store.items.get(key);
    if (item === undefined) {
      item = { runId, account, counts: {}, names: {}, targets: [], buckets: 0, writes: 0, arrivals: 0 };
      item.firstAt = now.toISOString();
      store.items.set(key, item);
    }
    item.lastAt = now.toISOString();
    item.writes += 1;
    return item;
  };
  const store: MemoryAdoption = {
    items: new Map(),
    down: false,
    async arrive(runId, account, now) {
      check();
      const item = itemOf(runId, account, now);
      item.arrivals += 1;
      return item.arrivals;
    },
    async add(entry, now) {
      check();
      const first = entry.kinds[0];
      if (
        first === undefined ||
        store.items.get(`${entry.runId}#${entry.account}`)?.names[first]?.includes(entry.bucket)
      )
        return;
      const item = itemOf(entry.runId, entry.account, now);
      item.buckets += 1;
      for (const kind of entry.kinds) {
        item.counts[kind] = (item.counts[kind] ?? 0) + 1;
        const names = item.names[kind] ?? [];
        if (names.length < ADOPTION_NAMES_CAP && !names.includes(entry.bucket))
          item.names[kind] = [...names, entry.bucket];
      }
      for (const target of entry.targets)
        if (item.targets.length < ADOPTION_TARGETS_CAP && !item.targets.includes(target))
          item.targets.push(target);
    },
    async list() {
      check();
      return [...store.items.values()].map((item) => structuredClone(item));
    },
    async remove(summary) {
      check();
      const key = `${summary.runId}#${summary.account}`;
      if (store.items.get(key)?.writes !== summary.writes) return false;
      store.items.delete(key);
      return true;
    },
  };
  return store;
}
