import { findGrantIndex, removeSourceFromGrant } from './grantStatement.js';
import { statementsOf } from './policyValues.js';
import type { DeliverySource, GrantTarget, PolicyChange, PolicyDocument } from './types.js';

/**
 * Returns the policy without our grant for this source: its bucket ARN leaves our statement, and our statement
 * goes once it lists no source. A destination policy left with no statement comes back `undefined` (delete
 * the bucket policy); a key policy never does. Statements we did not write are never touched, and a grant for
 * this source in someone else's statement stays.
 *
 * Accounts: an ARN does not say which account owns the bucket, so `aws:SourceAccount` keeps every account while
 * any source remains listed (a superset, still bounded by the ARN list) and goes with the statement.
 *
 * The account-keyed statement (`aws:SourceArn` `arn:…:s3:::*`) lists no bucket: it serves every source of its
 * accounts, and one bucket's plan cannot know whether other buckets of the same account still deliver here, so a
 * bucket's revoke leaves it as it is (unchanged). Only a statement of an earlier version that lists the ARN loses it.
 */
export function removeDelivery(
  document: PolicyDocument | undefined,
  source: DeliverySource,
  target: GrantTarget = 'destination-policy',
): PolicyChange {
  if (document === undefined) return { document, changed: false };
  const statements = statementsOf(document);
  const grantIndex = findGrantIndex(statements, target);
  if (grantIndex === -1) return { document, changed: false };

  const removal = removeSourceFromGrant(statements[grantIndex]!, source);
  // Our statement without any aws:SourceArn list grants every source: there is no single source to take out.
  if (!removal.listed) return { document, changed: false };

  const nextStatements = removal.empty
    ? statements.filter((_, index) => index !== grantIndex)
    : statements.map((statement, index) => (index === grantIndex ? removal.statement : statement));
  if (nextStatements.length === 0 && target === 'destination-policy')
    return { document: undefined, changed: true };
  return { document: { ...document, Statement: nextStatements }, changed: true };
}
