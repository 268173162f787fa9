import type { AccountStatus, AccountStatusStore } from '../../lib/core/accounts/accountStatus.js';

/** An AccountStatusStore in memory, with the same version check as the table's conditional write. */
export interface MemoryAccountStatusStore extends AccountStatusStore {
  readonly statuses: Map<string, AccountStatus>;
  /** Every successful put, in order. */
  readonly writes: AccountStatus[];
  /** Every get, in order (the account asked). */
  readonly reads: string[];
}

export function memoryAccountStatusStore(initial: AccountStatus[] = []): MemoryAccountStatusStore {
  const statuses = new Map(initial.map((status) => [status.account, structuredClone(status)]));
  const store: MemoryAccountStatusStore = {
    statuses,
    writes: [],
    reads: [],
    async get(account) {
      store.reads.push(account);
      const status = statuses.get(account);
      return status === undefined ? undefined : structuredClone(status);
    },
    async put(status) {
      const stored = statuses.get(status.account)?.version ?? 0;
      if (stored !== status.version - 1) return false;
      statuses.set(status.account, structuredClone(status));
      store.writes.push(structuredClone(status));
      return true;
    },
    async list() {
      return [...statuses.values()].sort((a, b) =>
        a.account < b.account ? -1 : a.account > b.account ? 1 : 0,
      );
    },
  };
  return store;
}
