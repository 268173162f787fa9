/** Audit actions of the Contract (DESIGN.md). More may be added; none may be renamed. */
export const AuditAction = {
  InventoryCreated: 'inventory-created',
  InventoryUpdated: 'inventory-updated',
  InventoryDeleted: 'inventory-deleted',
  DestinationPolicyUpdated: 'destination-policy-updated',
  KeyPolicyUpdated: 'key-policy-updated',
  DriftDetected: 'drift-detected',
  DesiredStateChanged: 'desired-state-changed',
  ReconcileFailed: 'reconcile-failed',
  DeliveryFailed: 'delivery-failed',
  DeliveryRestored: 'delivery-restored',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

/** One audit event, exactly as `s3ir audit --json` prints it (Contract). */
export interface AuditEvent {
  /** Deterministic: the same run, bucket, action and subject always give the same id. */
  eventId: string;
  /** ISO 8601 UTC. */
  time: string;
  runId: string;
  bucket: string;
  configId?: string;
  action: AuditAction;
  actor: string;
  before?: unknown;
  after?: unknown;
  message?: string;
  /** What a policy event changed: the destination bucket or the key ARN. */
  target?: string;
}

/** Where the reconcile core records events; the append-only store comes with the audit issue. */
export interface AuditSink {
  record(event: AuditEvent): Promise<void>;
}
