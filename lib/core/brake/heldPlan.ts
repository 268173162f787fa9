import type { Plan } from '../reconcile/types.js';
import type { Hold } from './types.js';

/**
 * The plan as a hold leaves it: every action report-only (drift recorded, nothing written), with the hold
 * as its guard. No finding: the hold raised its one alert when it started, and each bucket's drift is
 * alerted as drift, not once more as the hold. `applied`: actions already written before the hold was
 * found (at a later write's record, #18 point 4) keep their mode, so they read as the changes they were.
 */
export function heldPlan(
  plan: Plan,
  hold: Pick<Hold, 'since' | 'reason'>,
  applied: ReadonlySet<string> = new Set(),
): Plan {
  return {
    ...plan,
    actions: plan.actions.map((action) => (applied.has(action.key) ? action : { ...action, mode: 'detect' })),
    guard: { kind: 'hold', reason: `service on hold since ${hold.since}: ${hold.reason}` },
  };
}
