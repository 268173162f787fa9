import { ReconcileMode } from '../desired/types.js';
import { foreignReaders } from '../reconcile/foreignReaders.js';
import { grantKey } from '../reconcile/grantActions.js';
import type { DestinationFacts, KeyFacts, ObservedPolicy, Plan, PlanAction } from '../reconcile/types.js';
import { type AccountGrant, accountGrant } from './accountGrant.js';
import type { ReachedPolicy } from './types.js';

/** What the sweep does with one policy: apply a plan of one action, or leave it to the reconciles and say why. */
export type SweepGrantDecision =
  | { kind: 'plan'; plan: Plan; grant: Extract<AccountGrant, { kind: 'change' }> }
  | { kind: 'unchanged'; accounts: string[] }
  | { kind: 'left'; reason: string };

export interface SweepGrantOptions {
  /** The accounts reports may go to: the destination's owner and the key's account must be among them. */
  allowed: ReadonlySet<string>;
  /** Remove accounts no declaration reaches (false for a partial catalog: only add). */
  prune: boolean;
}

/**
 * The plan of the sweep's grant step for one policy (#18 point 4): one action setting our account-keyed
 * statement to the accounts the catalog reaches ({@link accountGrant}), for `apply` to make under the policy's
 * lease, with its intent, through the write guard, as a reconcile's grant. Only a policy this service may
 * write and whose holder passes the trust boundary is planned (a destination that exists, whose owner S3
 * verified and is allowed, whose policy lets nobody outside the allowed accounts read it; a key that is
 * customer managed, enabled, in an allowed account, tagged for us); anything else is `left` to the buckets'
 * own reconciles, which report it as they do today (action required, with the statement its owner must add).
 * The plan's `bucket` is the audit home of its event: the destination bucket, or for a key the first
 * destination its configurations deliver to. Its action runs in `detect` only when every configuration that
 * needs the policy is in detect mode.
 */
export function sweepGrantDecision(
  policy: ReachedPolicy,
  holder: DestinationFacts | KeyFacts,
  options: SweepGrantOptions,
): SweepGrantDecision {
  const refusal = holderRefusal(policy, holder, options.allowed);
  if (refusal !== undefined) return { kind: 'left', reason: refusal };
  const grant = accountGrant(policy, documentOf(holder.policy), options.prune);
  if (grant.kind === 'refused') return { kind: 'left', reason: grant.reason };
  if (grant.kind === 'unchanged') return { kind: 'unchanged', accounts: grant.accounts };
  const home = policy.target === 'destination-policy' ? policy.name : policy.destinations[0]!;
  const plan: Plan = {
    bucket: home,
    account: holder.account!,
    region: holder.region ?? '',
    drift: [],
    actions: [actionOf(policy, holder, grant)],
    findings: [],
  };
  return { kind: 'plan', plan, grant };
}

function actionOf(
  policy: ReachedPolicy,
  holder: DestinationFacts | KeyFacts,
  grant: Extract<AccountGrant, { kind: 'change' }>,
): PlanAction {
  const revoke = grant.accounts.length === 0;
  // A policy no declaration names any more is pruned in the mode its last declarations had.
  const enforce = policy.unnamed?.enforce ?? policy.deliveries.some((delivery) => delivery.enforce);
  const mode = enforce ? ReconcileMode.Enforce : ReconcileMode.Detect;
  const label = policy.target === 'destination-policy' ? 'destination bucket' : 'KMS key';
  const reason =
    policy.unnamed !== undefined
      ? `No declaration names ${label} ${policy.name} any more: our statement leaves its policy`
      : `The policy of ${label} ${policy.name} must grant S3 Inventory delivery to the accounts the desired ` +
        `state reaches (${grant.accounts.join(', ') || 'none'})`;
  const accounts = { accounts: grant.accounts, added: grant.added, removed: grant.removed };
  const base = { mode, dependsOn: [], reason, accounts };
  const before = documentOf(holder.policy);
  if (policy.target === 'key-policy') {
    // holderRefusal let only a key whose policy was read through, and accountGrant never empties one.
    const key = `${revoke ? 'revoke-key' : 'grant-key'}:${policy.name}`;
    return {
      ...base,
      key,
      kind: revoke ? 'revoke-key' : 'grant-key',
      keyArn: policy.name,
      before: before!,
      after: grant.after!,
    };
  }
  const key = revoke ? `revoke-destination:${policy.name}` : grantKey('destination-policy', policy.name);
  return {
    ...base,
    key,
    kind: revoke ? 'revoke-destination' : 'grant-destination',
    destinationBucket: policy.name,
    before,
    after: grant.after,
  };
}

/** Why the sweep may not write this policy; the reconciles then see it bucket by bucket, as today. */
function holderRefusal(
  policy: ReachedPolicy,
  holder: DestinationFacts | KeyFacts,
  allowed: ReadonlySet<string>,
): string | undefined {
  if (!holder.exists) return 'it does not exist';
  if (holder.account === undefined || !allowed.has(holder.account)) {
    return `its account ${holder.account ?? '(unknown)'} is not in S3IR_ALLOWED_ACCOUNTS`;
  }
  if (holder.policy.state === 'unreadable') return `its policy cannot be read (${holder.policy.reason})`;
  if ('keyArn' in holder) {
    if (holder.keyManager === 'AWS') return 'it is an AWS managed key';
    if (holder.keyState !== 'Enabled')
      return `it is ${holder.keyState ?? 'in an unknown state'}, not Enabled`;
    if (holder.policy.state !== 'present') return 'its policy was not read';
  } else {
    if (policy.owner === undefined) return 'its configurations expect different owners';
    if (holder.ownerVerified !== true || holder.account !== policy.owner) {
      return `S3 did not verify that account ${policy.owner} owns it`;
    }
    const readers = foreignReaders(documentOf(holder.policy), allowed);
    if (readers.length > 0) return 'its policy lets principals outside S3IR_ALLOWED_ACCOUNTS read it';
  }
  if (!holder.writable) return 'this service may not change its policy';
  return undefined;
}

function documentOf(policy: ObservedPolicy) {
  return policy.state === 'present' ? policy.document : undefined;
}
