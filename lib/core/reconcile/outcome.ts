import type { IntentVerdict } from './intents.js';
import type { ApplyResult, Plan } from './types.js';

/** How one bucket's reconcile ended (a retryable failure is thrown instead). */
export const ReconcileStatus = {
  /** Nothing to do: actual matches desired and nothing needs a human. */
  InSync: 'in-sync',
  /** Changes were applied and verified. */
  Converged: 'converged',
  /** Drift or findings remain by design: detect mode, a guard, unmanaged configurations, action required. */
  DriftReported: 'drift-reported',
  /** A terminal problem (AccessDenied, invalid desired state): recorded, not retried. */
  Failed: 'failed',
  /** The table declares nothing for this bucket (and no template selects it): nothing to converge. */
  NotDeclared: 'not-declared',
} as const;
export type ReconcileStatus = (typeof ReconcileStatus)[keyof typeof ReconcileStatus];

/** What one bucket's reconcile did: its status, the last plan and what apply made of it. */
export interface ReconcileOutcome {
  bucket: string;
  status: ReconcileStatus;
  /** The last plan made. */
  plan?: Plan;
  /** Every outcome across re-plans (conflicts that a re-plan resolved are left out). */
  result?: ApplyResult;
  /** How many plans were applied (1 + re-plans after conflicts). */
  attempts: number;
  /** One line, for `failed`. */
  failure?: string;
  /** Unfinished intents of earlier workers this reconcile resolved first, and what it found. */
  resolvedIntents?: ResolvedIntent[];
}

/** An unfinished intent resolved by reading its target, and the event it recorded. */
export interface ResolvedIntent {
  intentId: string;
  /** The run that recorded the intent. */
  runId: string;
  verdict: IntentVerdict;
  /**
   * The event recorded: the change itself (`applied`), else `change-not-applied`; none for an abandoned
   * intent whose change did not happen (its worker recorded the failure).
   */
  eventId?: string;
}
