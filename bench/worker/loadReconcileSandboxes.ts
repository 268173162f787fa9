import type { ReconcileHandler } from './QueueLanes.js';

/**
 * `count` reconcile sandboxes, as `count` Lambda sandboxes would hold the function: the module's own
 * `handler` and `count - 1` more from its `createHandler`, each with its own clients, per-run facts cache
 * and batch processor (which must not be shared by concurrent invocations). The code is loaded once and
 * shared, as one process shares it.
 */
export async function loadReconcileSandboxes(count: number): Promise<ReconcileHandler[]> {
  const reconcile = await import('../../functions/reconcile.js');
  return [
    reconcile.handler as unknown as ReconcileHandler,
    ...Array.from({ length: count - 1 }, () => reconcile.createHandler() as unknown as ReconcileHandler),
  ];
}
