import type * as z from 'zod/mini';
import { unknownFieldMessage } from './messages.js';
import { inventoryConfigurationSchema } from './schema.js';
import { fallbackMessage, fieldsAt } from './schemaParts.js';
import type { ValidationIssue, ValidationResult } from './types.js';

/**
 * Checks a desired configuration against the S3 API shape and rules, reporting every issue at once.
 * @example validateConfiguration({ ...config, IsEnabled: 'true' })
 *   // { ok: false, issues: [{ path: 'IsEnabled', message: 'expected true or false, got "true"' }] }
 */
export function validateConfiguration(input: unknown): ValidationResult {
  const result = inventoryConfigurationSchema.safeParse(input, { error: fallbackMessage });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: result.error.issues.flatMap(toValidationIssues) };
}

/** One issue as a line: `Destination.S3BucketDestination.Format: expected CSV | ORC | Parquet, got "csv"`. */
export function formatIssue(issue: ValidationIssue): string {
  return `${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`;
}

function toValidationIssues(issue: z.core.$ZodIssue): ValidationIssue[] {
  if (issue.code !== 'unrecognized_keys') return [{ path: formatPath(issue.path), message: issue.message }];
  // One issue per unknown member, at the member itself, so that `IsEnable` points at the typo.
  const known = fieldsAt(inventoryConfigurationSchema, issue.path);
  return issue.keys.map((key) => ({
    path: formatPath([...issue.path, key]),
    message: unknownFieldMessage(key, known),
  }));
}

/** `Destination.S3BucketDestination.Format`, `OptionalFields[3]`; `` for the root. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((dotted, key) => {
    if (typeof key === 'number') return `${dotted}[${key}]`;
    return dotted === '' ? String(key) : `${dotted}.${String(key)}`;
  }, '');
}
