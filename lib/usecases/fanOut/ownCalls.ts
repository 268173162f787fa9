/** Who made a CloudTrail-recorded call (the fields the event-driven path compares). */
export interface CallerIdentity {
  arn?: string;
  sessionContext?: { sessionIssuer?: { arn?: string } };
}

/**
 * Whether a call was made by the reconcile role itself, so the event-driven path does not chase its own
 * writes. Matches the role ARN (`arn:aws:iam::ACCOUNT:role[/path]/NAME`) as the issuer of a session, and
 * the session form CloudTrail puts in `arn` (`arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`). An account
 * of `*` matches the role in every account (the cross-account role the reconciler assumes).
 */
export function isOwnCall(identity: CallerIdentity | undefined, roleArns: readonly string[]): boolean {
  if (!identity) return false;
  const issuer = identity.sessionContext?.sessionIssuer?.arn;
  for (const roleArn of roleArns) {
    if (identity.arn === roleArn || issuer === roleArn) return true;
    const role = /^arn:([^:]+):iam::(\d*|\*):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
    if (!role) continue;
    const [, partition, account, name] = role;
    const session = /^arn:([^:]+):sts::(\d*):assumed-role\/([^/]+)\//.exec(identity.arn ?? '');
    const issued = /^arn:([^:]+):iam::(\d*):role\/(?:.*\/)?([^/]+)$/.exec(issuer ?? '');
    for (const seen of [session, issued]) {
      if (seen && seen[1] === partition && seen[3] === name && (account === '*' || seen[2] === account))
        return true;
    }
  }
  return false;
}
