/** Base of every error the reconcile core raises itself; per-action AWS failures are outcomes, not errors. */
export class ReconcileError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ReconcileError';
  }
}

/**
 * A plan broke an invariant `apply` relies on (unknown or forward `dependsOn`, duplicate key).
 * Plans come from `plan()`, so this is a bug, never a user error: `apply` throws it before any write.
 */
export class PlanInvariantError extends ReconcileError {
  readonly actionKey: string;

  constructor(actionKey: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PlanInvariantError';
    this.actionKey = actionKey;
  }
}
