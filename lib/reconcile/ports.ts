import type { AuditSink } from '../audit/types.js';
import type { InventoryConfiguration } from '../inventory/types.js';
import type { PolicyDocument } from '../policy/types.js';

/** Inventory configurations of source buckets. Adapters page through every list page. */
export interface InventoryPort {
  list(bucket: string): Promise<InventoryConfiguration[]>;
  get(bucket: string, id: string): Promise<InventoryConfiguration | undefined>;
  put(bucket: string, configuration: InventoryConfiguration): Promise<void>;
  delete(bucket: string, id: string): Promise<void>;
}

/** Destination bucket policies; `undefined` means the bucket has no policy. */
export interface BucketPolicyPort {
  get(bucket: string): Promise<PolicyDocument | undefined>;
  put(bucket: string, document: PolicyDocument): Promise<void>;
  delete(bucket: string): Promise<void>;
}

/** KMS key policies (the `default` policy; a key always has one). */
export interface KeyPolicyPort {
  get(keyArn: string): Promise<PolicyDocument>;
  put(keyArn: string, document: PolicyDocument): Promise<void>;
}

/** Everything `apply` may touch. */
export interface ApplyPorts {
  inventory: InventoryPort;
  bucketPolicy: BucketPolicyPort;
  keyPolicy: KeyPolicyPort;
  audit: AuditSink;
}

/** Who runs, and when: stamped on every audit event. */
export interface ApplyContext {
  runId: string;
  actor: string;
  now?: () => Date;
}
