import { findGrant } from '../policy/grantStatement.js';
import type { PolicyWrite } from '../policy/guardPolicyWrite.js';
import type { PolicyDocument } from '../policy/types.js';
import { TARGET_RULES } from './deliveryChecks.js';
import { describeFailure } from './reconcileErrors.js';
import type { Finding } from './types.js';

/**
 * The action-required finding for a policy write that AWS refused (AccessDenied): IAM bounds what this
 * service may write (serverless.yml: declared destination buckets, tagged keys), so a write outside them is
 * for the policy's owner to make, exactly as for another account's bucket. The finding carries our statement
 * as the refused write had it: to add, or to put in place of the one with our Sid the policy holds. A refused
 * revoke that drops our statement asks for that statement's removal instead.
 * @example deniedWriteFinding(write, before, error).statement // the statement its owner must write
 */
export function deniedWriteFinding(
  write: Omit<PolicyWrite, 'before'>,
  before: PolicyDocument | undefined,
  error: unknown,
): Finding {
  const rules = TARGET_RULES[write.target];
  const statement = write.after === undefined ? undefined : findGrant(write.after, write.target);
  const replacesSid = findGrant(before, write.target)?.Sid;
  const ask =
    statement === undefined
      ? `its owner must remove the statement with Sid "${replacesSid}"`
      : replacesSid === undefined
        ? 'its owner must add the statement'
        : `its owner must put this statement in place of the one with Sid "${replacesSid}"`;
  return {
    kind: rules.grantRequired,
    target: write.name,
    message:
      `Bucket ${write.source.bucket}: AWS refused this service's write to the policy of ${rules.label} ` +
      `${write.name} (${describeFailure(error)}); ${ask}`,
    ...(statement !== undefined && { statement }),
    ...(statement !== undefined && replacesSid !== undefined && { replacesSid }),
  };
}
