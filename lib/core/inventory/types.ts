import type { InventoryConfiguration } from './s3Inventory.js';

export type { InventoryConfiguration };

/** One reason a configuration is invalid: the dotted path into the S3 shape and a human reason. */
export interface ValidationIssue {
  /** e.g. `Destination.S3BucketDestination.Format`, `OptionalFields[3]`; `` (empty) for the root. */
  path: string;
  /** e.g. `expected CSV | ORC | Parquet, got "csv"` */
  message: string;
}

export type ValidationResult =
  | { ok: true; value: InventoryConfiguration }
  | { ok: false; issues: ValidationIssue[] };

/** One field that differs between desired and actual, after normalization. */
export interface FieldChange {
  /** Dotted path in the S3 shape, e.g. `Schedule.Frequency`, `OptionalFields`. */
  path: string;
  desired: unknown;
  actual: unknown;
}

/** The drift of one configuration Id on one bucket. Configurations that match are not listed. */
export type ConfigurationDrift =
  | { kind: 'missing'; id: string; desired: InventoryConfiguration }
  | {
      kind: 'changed';
      id: string;
      desired: InventoryConfiguration;
      actual: InventoryConfiguration;
      fields: FieldChange[];
    }
  | { kind: 'unmanaged'; id: string; actual: InventoryConfiguration };
