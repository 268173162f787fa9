import { type GrantRecord, grantRecordId } from '../../lib/core/grants/grantRecords.js';
import type { GrantRecordStore } from '../../lib/usecases/sweepGrants/ports.js';

/** A GrantRecordStore in memory: records by id, statuses with the table's version check; writes logged. */
export interface MemoryGrantRecords extends GrantRecordStore {
  readonly records: Map<string, GrantRecord>;
  /** `remember <id>`, `forget <id>`, `status <id> v<version>`, in order. */
  readonly writes: string[];
}

export function memoryGrantRecords(initial: GrantRecord[] = []): MemoryGrantRecords {
  const records = new Map(initial.map((record) => [grantRecordId(record.target, record.name), record]));
  const store: MemoryGrantRecords = {
    records,
    writes: [],
    async list() {
      return [...records.values()].map((record) => structuredClone(record));
    },
    async remember(record) {
      const id = grantRecordId(record.target, record.name);
      const status = records.get(id)?.status;
      records.set(id, { ...structuredClone(record), ...(status !== undefined && { status }) });
      store.writes.push(`remember ${id}`);
    },
    async forget(target, name) {
      const id = grantRecordId(target, name);
      records.delete(id);
      store.writes.push(`forget ${id}`);
    },
    async putStatus(status) {
      const record = records.get(status.id);
      if ((record?.status?.version ?? 0) !== status.version - 1) return false;
      const [kind, ...rest] = status.id.split(':');
      const name = rest.join(':');
      records.set(status.id, {
        ...(record ?? {
          target: kind === 'key' ? 'key-policy' : 'destination-policy',
          name,
          account: '',
          partition: 'aws',
          home: name,
          enforce: true,
          managed: false,
        }),
        status: structuredClone(status),
      });
      store.writes.push(`status ${status.id} v${status.version}`);
      return true;
    },
  };
  return store;
}
