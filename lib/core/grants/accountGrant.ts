import { compareCodeUnits } from '../json/compareCodeUnits.js';
import { explainDelivery } from '../policy/allowsDelivery.js';
import { anySourceBucketArn } from '../policy/arns.js';
import { POLICY_SIZE_LIMITS, POLICY_VERSION } from '../policy/constants.js';
import { grantShapeProblem, grantSources, isAnySourceArn } from '../policy/grantShape.js';
import { findGrantIndex } from '../policy/grantStatement.js';
import { serializePolicy } from '../policy/parsePolicy.js';
import { statementsOf } from '../policy/policyValues.js';
import { requiredStatement } from '../policy/requiredStatements.js';
import type { DeliverySource, PolicyDocument, PolicyStatement } from '../policy/types.js';
import type { ReachedPolicy, ReachingDelivery } from './types.js';

/**
 * The name a template's delivery is evaluated with: a template may select any bucket of its accounts, so a
 * foreign statement counts for it only when it grants every bucket (never written into a policy).
 */
export const ANY_TEMPLATE_BUCKET = 's3ir-template-selected-bucket';

/** What one sweep does to one policy: nothing, a change to our statement, or nothing because it may not. */
export type AccountGrant =
  | { kind: 'unchanged'; accounts: string[] }
  | {
      kind: 'change';
      /** `undefined`: the bucket policy held only our statement and is deleted. */
      after: PolicyDocument | undefined;
      /** The accounts our statement names after the change, sorted (empty: our statement is removed). */
      accounts: string[];
      added: string[];
      removed: string[];
    }
  | { kind: 'refused'; reason: string };

/**
 * Our account-keyed statement in one policy, set to the accounts the catalog reaches (#18 point 4): an account
 * is added when some delivery of it is not allowed by the statements we did not write (a broader foreign
 * grant counts; an explicit Deny is not ours to beat: the reconcile reports it), and, with `prune`, an
 * account no delivery reaches any more leaves our statement; our statement goes once it names no account
 * (a bucket policy left empty is deleted). An account still reached is never removed, and nothing but our
 * statement changes: foreign statements, their order and the document's other members stay as read. An
 * earlier version's statement listing bucket ARNs becomes the account-keyed one when a delivery it does
 * not cover is reached. Our statement edited out of our shape is left alone (`refused`), as is a result
 * over the policy's size limit. Pure and idempotent: a second call on its result is `unchanged`.
 */
export function accountGrant(
  policy: ReachedPolicy,
  document: PolicyDocument | undefined,
  prune: boolean,
): AccountGrant {
  const statements = document === undefined ? [] : statementsOf(document);
  const index = findGrantIndex(statements, policy.target);
  const ours = index === -1 ? undefined : statements[index];
  if (ours !== undefined) {
    const problem = grantShapeProblem(ours, policy.target, policy.name);
    if (problem !== undefined) return { kind: 'refused', reason: `our statement was edited: ${problem}` };
  }
  const granted = ours === undefined ? [] : grantSources(ours as Record<string, unknown>).sourceAccounts;
  const foreign = document && { ...document, Statement: statements.filter((_, at) => at !== index) };
  const reached = new Set(policy.deliveries.map((delivery) => delivery.account));
  const needed = new Set(
    policy.deliveries
      .filter(
        (delivery) =>
          explainDelivery(foreign, probe(policy, delivery), policy.target).verdict === 'implicit-deny',
      )
      .map((delivery) => delivery.account),
  );
  const keep = granted.filter((account) => !prune || reached.has(account));
  const accounts = [...new Set([...keep, ...needed])].sort(compareCodeUnits);
  const added = accounts.filter((account) => !granted.includes(account));
  const removed = granted.filter((account) => !accounts.includes(account));
  if (added.length === 0 && removed.length === 0 && coversAll(ours, policy, document)) {
    return { kind: 'unchanged', accounts };
  }
  const statement = accounts.length === 0 ? undefined : ourStatement(policy, ours, accounts);
  const next = replaced(statements, index, statement);
  if (next.length === 0 && policy.target === 'key-policy') {
    return { kind: 'refused', reason: 'the key policy would be left with no statement' };
  }
  const after =
    next.length === 0 ? undefined : { ...(document ?? { Version: POLICY_VERSION }), Statement: next };
  if (after !== undefined) {
    const size = new TextEncoder().encode(serializePolicy(after)).length;
    const limit = POLICY_SIZE_LIMITS[policy.target];
    if (size > limit) {
      return { kind: 'refused', reason: `the policy would be ${size} bytes, over its limit of ${limit}` };
    }
  }
  return { kind: 'change', after, accounts, added, removed: [...new Set(removed)].sort(compareCodeUnits) };
}

/**
 * Whether our statement (an earlier version's listing bucket ARNs) already lets every reached delivery of
 * the accounts it names through; the account-keyed one always does.
 */
function coversAll(
  ours: PolicyStatement | undefined,
  policy: ReachedPolicy,
  document: PolicyDocument | undefined,
): boolean {
  if (ours === undefined) return true;
  const { sourceArns, sourceAccounts } = grantSources(ours as Record<string, unknown>);
  if (sourceArns.length === 1 && isAnySourceArn(sourceArns[0])) return true;
  return policy.deliveries
    .filter((delivery) => sourceAccounts.includes(delivery.account))
    .every(
      (delivery) =>
        explainDelivery(document, probe(policy, delivery), policy.target).verdict !== 'implicit-deny',
    );
}

/** Our statement naming `accounts`: the one we had with its source conditions replaced, else a new one. */
function ourStatement(
  policy: ReachedPolicy,
  ours: PolicyStatement | undefined,
  accounts: readonly string[],
): PolicyStatement {
  const base = ours ?? requiredStatement(probe(policy, policy.deliveries[0]!), policy.target);
  const condition = base.Condition as Record<string, Record<string, unknown>>;
  const listed = accounts.length === 1 ? accounts[0]! : [...accounts];
  return {
    ...base,
    Condition: {
      ...condition,
      ArnLike: { ...condition.ArnLike, 'aws:SourceArn': anySourceBucketArn(policy.partition) },
      StringEquals: { ...condition.StringEquals, 'aws:SourceAccount': listed },
    } as PolicyStatement['Condition'],
  };
}

/** The statements with ours replaced in place, appended, or removed (`statement` undefined). */
function replaced(
  statements: readonly PolicyStatement[],
  index: number,
  statement: PolicyStatement | undefined,
): PolicyStatement[] {
  if (statement === undefined) return statements.filter((_, at) => at !== index);
  if (index === -1) return [...statements, statement];
  return statements.map((existing, at) => (at === index ? statement : existing));
}

/** The delivery S3 makes for one reaching configuration, as the policy evaluator takes it. */
export function probe(policy: ReachedPolicy, delivery: ReachingDelivery): DeliverySource {
  const destinationBucket =
    policy.target === 'destination-policy' ? policy.name : (policy.destinations[0] ?? '');
  return {
    sourceBucket: delivery.bucket ?? ANY_TEMPLATE_BUCKET,
    sourceAccount: delivery.account,
    partition: policy.partition,
    destinationBucket,
    configurationId: delivery.configurationId,
    ...(delivery.prefix !== undefined && { destinationPrefix: delivery.prefix }),
    ...(policy.target === 'key-policy' && { keyArn: policy.name }),
  };
}
