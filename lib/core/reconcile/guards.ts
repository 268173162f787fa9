import type { Finding, Plan, PlanAction, PlanOptions } from './types.js';

/** The plan's actions after the blast-radius guard, with why it tripped when it did. */
export interface GuardedActions {
  actions: PlanAction[];
  guard?: NonNullable<Plan['guard']>;
  finding?: Finding;
}

/**
 * The blast-radius guard (DESIGN "Never": change more than the run's limit without a human).
 * Counts the actions that would change something (`enforce` ones) and the deletes among them; when
 * either is over what is left of the run's limit, the whole plan becomes report-only.
 */
export function guardBlastRadius(
  bucket: string,
  actions: PlanAction[],
  options: PlanOptions,
): GuardedActions {
  const changing = actions.filter((action) => action.mode === 'enforce');
  const changes = changing.length;
  const deletes = changing.filter((action) => action.kind === 'delete-configuration').length;
  const overChanges = options.remainingChanges !== undefined && changes > options.remainingChanges;
  const overDeletes = options.remainingDeletes !== undefined && deletes > options.remainingDeletes;
  if (!overChanges && !overDeletes) return { actions };

  const over = [
    overChanges ? `${changes} changes (${options.remainingChanges} left in this run)` : undefined,
    overDeletes ? `${deletes} deletes (${options.remainingDeletes} left in this run)` : undefined,
  ].filter((part) => part !== undefined);
  const reason = `the plan would make ${over.join(' and ')}, over the blast-radius limit`;
  return {
    actions: actions.map((action) => ({ ...action, mode: 'detect' })),
    guard: { kind: 'blast-radius', reason },
    finding: {
      kind: 'blast-radius',
      message: `Bucket ${bucket}: ${reason}; every action is report-only: needs a human`,
    },
  };
}
