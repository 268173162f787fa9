import type { ReconcileHandler } from './QueueLanes.js';

/**
 * `count` instances of functions/reconcile, as `count` Lambda sandboxes would hold it: each import of
 * the module under its own URL (`?sandbox=N`) runs its cold start again, so each has its own clients,
 * per-run facts cache and batch processor (which must not be shared by concurrent invocations). The
 * modules of lib/ it imports are loaded once and shared, as their code is.
 */
export async function loadReconcileSandboxes(count: number): Promise<ReconcileHandler[]> {
  const handlers: ReconcileHandler[] = [];
  for (let sandbox = 0; sandbox < count; sandbox++) {
    const url = new URL('../../functions/reconcile.ts', import.meta.url);
    url.searchParams.set('sandbox', String(sandbox));
    const module = (await import(url.href)) as { handler: ReconcileHandler };
    handlers.push(module.handler);
  }
  return handlers;
}
