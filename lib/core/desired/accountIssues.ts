import type { DesiredStateFile } from './fileSchema.js';
import { formatPath } from './paths.js';
import type { FileError, Locate, PathIssue } from './types.js';

/**
 * Every account a desired-state file names that is outside the allowed accounts (`S3IR_ALLOWED_ACCOUNTS`,
 * with the home account when known): a bucket's `account` setting, which the reconcile would refuse
 * (nothing done for the bucket), and a destination's `AccountId`, whose configuration it would never put.
 * Refused before anything is written, so the table never holds what the service would refuse.
 * @example accountIssues(file, new Set(['111122223333'])) // [{ path: 'buckets.partner.account', … }]
 */
export function accountIssues(file: DesiredStateFile, allowed: ReadonlySet<string>): PathIssue[] {
  const listed = [...allowed].sort().join(', ');
  const outside = (account: string) => `${account} is not in S3IR_ALLOWED_ACCOUNTS (${listed})`;
  const issues: PathIssue[] = [];
  for (const [name, entry] of Object.entries(file.buckets ?? {})) {
    if (entry.account !== undefined && !allowed.has(entry.account)) {
      issues.push({
        path: formatPath(['buckets', name, 'account']),
        message: `account ${outside(entry.account)}: the service would do nothing for this bucket`,
      });
    }
    issues.push(...destinationIssues(['buckets', name], entry.inventories ?? [], allowed, outside));
  }
  (file.templates ?? []).forEach((template, index) => {
    issues.push(...destinationIssues(['templates', index], template.inventories ?? [], allowed, outside));
  });
  return issues;
}

function destinationIssues(
  at: PropertyKey[],
  inventories: readonly { Destination?: { S3BucketDestination?: { AccountId?: string } } }[],
  allowed: ReadonlySet<string>,
  outside: (account: string) => string,
): PathIssue[] {
  return inventories.flatMap((inventory, index) => {
    const accountId = inventory.Destination?.S3BucketDestination?.AccountId;
    if (accountId === undefined || allowed.has(accountId)) return [];
    const path = formatPath([...at, 'inventories', index, 'Destination', 'S3BucketDestination', 'AccountId']);
    return [{ path, message: `destination AccountId ${outside(accountId)}: the service would never put it` }];
  });
}

/** Issues as file errors, each with its place in the file. */
export function placeIssues(fileName: string, locate: Locate, issues: readonly PathIssue[]): FileError[] {
  return issues.map((issue) => ({ file: fileName, ...issue, ...locate(issue.path) }));
}
