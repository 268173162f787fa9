import type { BucketStatus, StatusStore } from '../../lib/core/alerts/bucketStatus.js';
import type { AlertOutbox, AlertSender, FormattedAlert, OutboxEntry } from '../../lib/core/alerts/types.js';

/** A StatusStore in memory, with the same version check as the table's conditional write. */
export interface MemoryStatusStore extends StatusStore {
  readonly statuses: Map<string, BucketStatus>;
  /** Every successful put, in order. */
  readonly writes: BucketStatus[];
  /** Makes the next reads or writes throw `error`. */
  failNext(operation: 'get' | 'put', error: Error): void;
}

export function memoryStatusStore(initial: BucketStatus[] = []): MemoryStatusStore {
  const statuses = new Map(initial.map((status) => [status.bucket, structuredClone(status)]));
  const failures: Partial<Record<'get' | 'put', Error>> = {};
  const fail = (operation: 'get' | 'put') => {
    const error = failures[operation];
    delete failures[operation];
    if (error) throw error;
  };
  const store: MemoryStatusStore = {
    statuses,
    writes: [],
    failNext(operation, error) {
      failures[operation] = error;
    },
    async get(bucket) {
      fail('get');
      const status = statuses.get(bucket);
      return status === undefined ? undefined : structuredClone(status);
    },
    async put(status) {
      fail('put');
      const stored = statuses.get(status.bucket)?.version ?? 0;
      if (stored !== status.version - 1) return false;
      statuses.set(status.bucket, structuredClone(status));
      store.writes.push(structuredClone(status));
      return true;
    },
    async list() {
      return [...statuses.values()].sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : 0));
    },
  };
  return store;
}

/** An SNS stand-in: keeps what it accepted; `down` makes it refuse every send. */
export interface MemorySender extends AlertSender {
  readonly sent: FormattedAlert[];
  down: boolean;
  /** Refuses only the sends for which this says true (with `down` false). */
  refuse?: (alert: FormattedAlert) => boolean;
}

export function memorySender(): MemorySender {
  const sender: MemorySender = {
    sent: [],
    down: false,
    async send(alert) {
      if (sender.down || sender.refuse?.(alert)) {
        throw Object.assign(new Error('SNS is down (injected)'), { name: 'InternalErrorException' });
      }
      sender.sent.push(alert);
    },
  };
  return sender;
}

/** An outbox in memory, keyed by id like the table; `down` makes every call throw. */
export interface MemoryOutbox extends AlertOutbox {
  readonly entries: Map<string, OutboxEntry>;
  down: boolean;
  /** Makes `delete` throw (the entry stays). */
  deleteDown: boolean;
}

export function memoryOutbox(): MemoryOutbox {
  const check = () => {
    if (outbox.down)
      throw Object.assign(new Error('DynamoDB is down (injected)'), { name: 'InternalServerError' });
  };
  const outbox: MemoryOutbox = {
    entries: new Map(),
    down: false,
    deleteDown: false,
    async put(entry) {
      check();
      if (!outbox.entries.has(entry.id)) outbox.entries.set(entry.id, structuredClone(entry));
    },
    async list() {
      check();
      return [...outbox.entries.values()].sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
    },
    async delete(id) {
      check();
      if (outbox.deleteDown) throw new Error('DeleteItem refused (injected)');
      outbox.entries.delete(id);
    },
  };
  return outbox;
}
