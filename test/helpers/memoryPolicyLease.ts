import type { LeaseAttempt, PolicyLeasePort } from '../../lib/core/reconcile/ports.js';

export interface MemoryPolicyLeaseOptions {
  /** Milliseconds; default `Date.now`. */
  now?: () => number;
  /** How long a lease lasts (default 30 s, as the DynamoDB adapter's). */
  ttlMs?: number;
  /** Where to log `lease.acquire KEY`, `lease.busy KEY`, `lease.release KEY` (e.g. an estate's `calls`). */
  log?: string[];
  /** The leases held, to share between workers with clocks of their own (default: a new map). */
  held?: Map<string, { holder: string; expiresAt: number }>;
}

/** Leases held in memory, with the DynamoDB adapter's rules: free or expired → taken; release by the holder. */
export interface MemoryPolicyLease extends PolicyLeasePort {
  readonly held: Map<string, { holder: string; expiresAt: number }>;
}

export function createMemoryPolicyLease(options: MemoryPolicyLeaseOptions = {}): MemoryPolicyLease {
  const held = options.held ?? new Map<string, { holder: string; expiresAt: number }>();
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? 30_000;
  return {
    held,
    async tryAcquire(key, holder): Promise<LeaseAttempt> {
      const current = held.get(key);
      if (current !== undefined && current.expiresAt >= now()) {
        options.log?.push(`lease.busy ${key}`);
        return {
          acquired: false,
          heldBy: { holder: current.holder, expiresAt: new Date(current.expiresAt) },
        };
      }
      const expiresAt = now() + ttlMs;
      held.set(key, { holder, expiresAt });
      options.log?.push(`lease.acquire ${key}`);
      return {
        acquired: true,
        lease: {
          expiresAt: new Date(expiresAt),
          async release() {
            options.log?.push(`lease.release ${key}`);
            if (held.get(key)?.holder === holder) held.delete(key);
          },
        },
      };
    },
  };
}
