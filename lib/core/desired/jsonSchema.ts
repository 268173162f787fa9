import * as z from 'zod/mini';
import { desiredStateFileSchema } from './fileSchema.js';

/** Where the generated schema is committed, relative to the repository root. */
export const DESIRED_STATE_SCHEMA_PATH = 'schema/desired-state.schema.json';

/**
 * Descriptions for the members of the S3 InventoryConfiguration shape (docs/aws-facts.md §1), which lib/inventory's
 * schema does not carry, so that editors explain each field while completing it.
 */
const INVENTORY_FIELD_DOCS: Record<string, string> = {
  Destination: 'Where reports are delivered.',
  S3BucketDestination: 'The destination bucket of the reports.',
  AccountId: 'The destination bucket owner (12 digits); set it for a destination in another account.',
  Bucket: 'The destination bucket ARN, without account or region: arn:aws:s3:::my-bucket.',
  Format: 'Report format.',
  Prefix: 'Key prefix.',
  Encryption: 'Report encryption: SSES3: {} or SSEKMS: { KeyId: full key ARN }.',
  SSES3: 'Encrypt reports with S3 managed keys.',
  SSEKMS: 'Encrypt reports with a customer managed KMS key.',
  KeyId: 'The full KMS key ARN: arn:aws:kms:region:account:key/key-id (no alias, no bare key id).',
  IsEnabled: 'Whether reports are produced.',
  Filter: 'Only objects whose keys start with Filter.Prefix.',
  Id: 'The configuration Id: 1 to 64 letters, digits, "_", "." or "-"; unique per bucket.',
  IncludedObjectVersions: 'Current versions only, or All versions.',
  OptionalFields: 'Extra report columns, each at most once; order has no meaning.',
  Schedule: 'How often reports are produced.',
  Frequency: 'Report frequency.',
};

const INVENTORY_FIELD_PATTERNS: Record<string, string> = {
  Id: '^[A-Za-z0-9_.-]{1,64}$',
  AccountId: '^\\d{12}$',
  Bucket: '^arn:[a-z-]+:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
};

/**
 * The JSON Schema (draft 2020-12) of the desired-state file, generated from {@link desiredStateFileSchema} so
 * that editors complete and check files (`# yaml-language-server: $schema=...`). Structure only: the rules that
 * need code (bucket name rules, globs, ARNs, unique Ids) are checked by `loadDesiredFile`.
 */
export function desiredStateJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(desiredStateFileSchema, {
    target: 'draft-2020-12',
    io: 'input',
    reused: 'inline',
    override: ({ jsonSchema, path }) => {
      const field = path.at(-1);
      if (path.at(-2) !== 'properties' || typeof field !== 'string' || !inInventory(path)) return;
      const description = INVENTORY_FIELD_DOCS[field];
      if (description !== undefined) jsonSchema.description ??= description;
      const pattern = INVENTORY_FIELD_PATTERNS[field];
      if (pattern !== undefined && jsonSchema.type === 'string') jsonSchema.pattern = pattern;
    },
  });
}

/** Whether a JSON Schema path is inside an inventory configuration (paths are as first met: under `inventories`). */
function inInventory(path: readonly (string | number)[]): boolean {
  const at = path.indexOf('inventories');
  return at !== -1 && path[at + 1] === 'items';
}

/** The schema as committed: two-space JSON with a final newline. */
export function desiredStateJsonSchemaText(): string {
  return `${JSON.stringify(desiredStateJsonSchema(), null, 2)}\n`;
}
