import type { ReconcileMode } from '../desired/types.js';
import { compareCodeUnits } from '../json/compareCodeUnits.js';
import { INVENTORY_KEY_TAG } from '../policy/constants.js';
import { ensureDelivery } from '../policy/ensureDelivery.js';
import { DeliveryDeniedError, PolicyError, PolicySizeLimitError } from '../policy/errors.js';
import { findGrant } from '../policy/grantStatement.js';
import type { GrantTarget, PolicyDocument } from '../policy/types.js';
import { documentOf, type GrantNeed, messageAbout, TARGET_RULES } from './deliveryChecks.js';
import type { BucketFacts, DestinationFacts, Finding, KeyFacts, PlanAction } from './types.js';

export interface GrantPlan {
  /** Destination grants by bucket name, then key grants by ARN. */
  actions: PlanAction[];
  findings: Finding[];
}

/** The plan action key of the grant for a destination bucket or a key. */
export function grantKey(target: GrantTarget, name: string): string {
  return `${target === 'key-policy' ? 'grant-key' : 'grant-destination'}:${name}`;
}

/**
 * Turns grant needs into one action per policy (ONE per destination, one per key), folding
 * `ensureDelivery` over every source that needs it so the policy is written once.
 * A grant runs in `enforce` when any configuration needing it does.
 * For a policy this service may not write, the same fold gives the exact statement its owner must write:
 * one action-required finding per configuration instead of the action.
 */
export function planGrants(needs: GrantNeed[], facts: BucketFacts): GrantPlan {
  const plan: GrantPlan = { actions: [], findings: [] };
  for (const group of groupByPolicy(needs)) {
    const first = group[0]!;
    const holder = first.target === 'key-policy' ? facts.keys[first.name] : facts.destinations[first.name];
    const before = documentOf(holder!.policy);
    const folded = foldGrants(group, before, facts.bucket, plan.findings);
    if (!holder!.writable) {
      plan.findings.push(
        ...folded.granted.map((need) =>
          ownerFinding(need, before, folded.document, facts.bucket, untaggedKey(holder!)),
        ),
      );
    } else if (folded.granted.length > 0 && folded.changed) {
      plan.actions.push(grantAction(first, folded.granted, before, folded.document, facts.bucket));
    }
  }
  return plan;
}

interface FoldedGrant {
  document: PolicyDocument | undefined;
  changed: boolean;
  granted: GrantNeed[];
}

function foldGrants(
  group: GrantNeed[],
  before: PolicyDocument | undefined,
  bucket: string,
  findings: Finding[],
): FoldedGrant {
  const folded: FoldedGrant = { document: before, changed: false, granted: [] };
  for (const need of group) {
    try {
      const change = ensureDelivery(folded.document, need.source, need.target);
      folded.document = change.document;
      folded.changed ||= change.changed;
      folded.granted.push(need);
    } catch (error) {
      if (error instanceof PolicySizeLimitError) {
        findings.push(tooLargeFinding(group, error, bucket));
        return { document: before, changed: false, granted: [] };
      }
      if (!(error instanceof PolicyError)) throw error;
      findings.push(grantFinding(need, error, bucket));
    }
  }
  return folded;
}

function grantAction(
  need: GrantNeed,
  granted: GrantNeed[],
  before: PolicyDocument | undefined,
  after: PolicyDocument | undefined,
  bucket: string,
): PlanAction {
  const ids = granted.map((entry) => entry.configId).join(', ');
  const mode: ReconcileMode = granted.some((entry) => entry.mode === 'enforce') ? 'enforce' : 'detect';
  const reason = `The policy of ${TARGET_RULES[need.target].label} ${need.name} must allow S3 Inventory delivery from ${bucket} (${ids})`;
  const base = { key: grantKey(need.target, need.name), mode, dependsOn: [], reason };
  if (need.target === 'key-policy') {
    // checkDelivery only asks for a key grant when the key policy is present.
    return { ...base, kind: 'grant-key', keyArn: need.name, before: before!, after: after! };
  }
  return { ...base, kind: 'grant-destination', destinationBucket: need.name, before, after };
}

/** Groups needs by policy: destinations first, then keys, each by name. Needs arrive by config id. */
function groupByPolicy(needs: GrantNeed[]): GrantNeed[][] {
  const groups = new Map<string, GrantNeed[]>();
  for (const need of needs) {
    const key = grantKey(need.target, need.name);
    groups.set(key, [...(groups.get(key) ?? []), need]);
  }
  const order = (key: string) => (key.startsWith('grant-destination:') ? 0 : 1);
  return [...groups.entries()]
    .sort(([a], [b]) => order(a) - order(b) || compareCodeUnits(a, b))
    .map(([, group]) => group);
}

/**
 * Asks the owner of a policy we may not write for our statement as `ensureDelivery` would write it: when
 * the policy already holds our statement (for other sources), that statement extended with this source,
 * to put in its place (adding a second statement with the same Sid would not do); else the one-source one.
 */
function ownerFinding(
  need: GrantNeed,
  before: PolicyDocument | undefined,
  after: PolicyDocument | undefined,
  bucket: string,
  untagged: boolean,
): Finding {
  const rules = TARGET_RULES[need.target];
  const say = messageAbout(bucket, need.configId, `${rules.label} ${need.name}`);
  const replacesSid = findGrant(before, need.target)?.Sid;
  // ensureDelivery succeeded for this need, so `after` holds our statement.
  const statement = findGrant(after, need.target)!;
  const owner =
    replacesSid === undefined
      ? 'its owner must add the statement'
      : `its owner must put this statement in place of the one with Sid "${replacesSid}"`;
  // IAM lets the service write only the policies of keys tagged for it (README "Security model").
  const ask = untagged
    ? `the key lacks the tag ${INVENTORY_KEY_TAG.key} = ${INVENTORY_KEY_TAG.value} (tag it and the service adds its grant), or ${owner}`
    : owner;
  return {
    kind: rules.grantRequired,
    configId: need.configId,
    target: need.name,
    message: say(`policy does not allow the delivery and this service may not change it; ${ask}`),
    statement,
    ...(replacesSid === undefined ? {} : { replacesSid }),
  };
}

/** A key this service may not write because its owner has not tagged it for the service. */
function untaggedKey(holder: DestinationFacts | KeyFacts): boolean {
  return 'keyArn' in holder && holder.inventoryKeyTag === false;
}

function tooLargeFinding(group: GrantNeed[], error: PolicySizeLimitError, bucket: string): Finding {
  const first = group[0]!;
  const ids = group.map((need) => need.configId).join(', ');
  return {
    kind: 'policy-too-large',
    target: first.name,
    message:
      `Bucket ${bucket}: the grant for ${ids} would make the policy of ${TARGET_RULES[first.target].label} ` +
      `${first.name} ${error.size} bytes, over its limit of ${error.limit}; a human must make room`,
  };
}

/** Our statement cannot be added: a Deny matches, or our own statement was edited by someone else. */
function grantFinding(need: GrantNeed, error: PolicyError, bucket: string): Finding {
  const rules = TARGET_RULES[need.target];
  const say = messageAbout(bucket, need.configId, `${rules.label} ${need.name}`);
  const denied = error instanceof DeliveryDeniedError;
  return {
    kind: denied ? rules.denied : rules.grantRequired,
    configId: need.configId,
    target: need.name,
    message: say(`policy cannot take our grant: ${error.message}`),
    ...(denied ? {} : { statement: rules.statement(need.source) }),
  };
}
