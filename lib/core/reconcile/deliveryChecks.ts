import type { ReconcileMode } from '../desired/types.js';
import { kmsKeyRegion } from '../inventory/kmsKeyArn.js';
import { evaluateDelivery } from '../policy/allowsDelivery.js';
import { requiredDestinationStatement, requiredKeyStatement } from '../policy/requiredStatements.js';
import type { DeliverySource, GrantTarget, PolicyDocument, PolicyStatement } from '../policy/types.js';
import { deliverySourceOf, sameRegion } from './deliveryTargets.js';
import type { DesiredConfiguration } from './desiredConfigurations.js';
import { destinationVerdict } from './destinationTrust.js';
import type { BucketFacts, Finding, FindingKind, ObservedPolicy } from './types.js';

/**
 * A delivery that our own statement must allow: folded into one grant action per policy this service may
 * write, or into the exact statement its owner must write for one it may not.
 */
export interface GrantNeed {
  target: GrantTarget;
  /** The destination bucket or the key ARN. */
  name: string;
  configId: string;
  mode: ReconcileMode;
  source: DeliverySource;
}

export interface DeliveryCheck {
  needs: GrantNeed[];
  findings: Finding[];
  /**
   * The configurations that may be put, by id, with their destination's verified owner (the AccountId a put
   * carries). A configuration not here gets no put and no grant: a finding says why.
   */
  accepted: Map<string, string>;
}

/** How a refused desired configuration's finding ends. */
const NOT_PUT = 'nothing is put or granted for this configuration';

interface TargetRules {
  label: string;
  grantRequired: FindingKind;
  denied: FindingKind;
  statement: (source: DeliverySource) => PolicyStatement;
}

/** What differs between checking a destination bucket policy and a key policy. */
export const TARGET_RULES: Readonly<Record<GrantTarget, TargetRules>> = {
  'destination-policy': {
    label: 'destination bucket',
    grantRequired: 'destination-grant-required',
    denied: 'destination-denied',
    statement: requiredDestinationStatement,
  },
  'key-policy': {
    label: 'KMS key',
    grantRequired: 'key-grant-required',
    denied: 'key-denied',
    statement: requiredKeyStatement,
  },
};

/**
 * Checks that every valid desired configuration can deliver (DESIGN "Reconcile semantics" 3): its
 * destination passes the trust boundary ({@link destinationVerdict}: exists in the source's region, owner
 * verified and allowed, nobody outside the allowed accounts reads it) and allows delivery; for SSE-KMS its
 * key is in an allowed account, customer managed, enabled, symmetric, in region and grants S3. Enabled or
 * not: the grant is part of the unit. A configuration whose destination or key account fails the boundary
 * gets neither grants nor a put. Returns the grants this service can write, the configurations that may be
 * put, and findings for what needs a human.
 */
export function checkDelivery(
  valid: DesiredConfiguration[],
  facts: BucketFacts,
  allowed: ReadonlySet<string> = new Set([facts.account]),
): DeliveryCheck {
  const check: DeliveryCheck = { needs: [], findings: [], accepted: new Map() };
  for (const desired of valid) {
    const source = deliverySourceOf(facts.bucket, facts.account, desired.configuration);
    if (!source) continue; // validation guarantees a bucket ARN; nothing to check without one
    const keyAccount = source.keyArn === undefined ? undefined : keyAccountOf(source.keyArn, facts);
    if (keyAccount !== undefined && !allowed.has(keyAccount)) {
      const say = messageAbout(facts.bucket, desired.id, `KMS key ${source.keyArn}`);
      check.findings.push({
        ...finding(
          'key-not-allowed',
          desired.id,
          source.keyArn!,
          say(`belongs to account ${keyAccount}, which is not in S3IR_ALLOWED_ACCOUNTS; ${NOT_PUT}`),
        ),
        account: keyAccount,
      });
      continue;
    }
    const owner = checkDestination(desired, source, facts, allowed, check);
    if (owner === undefined) continue;
    check.accepted.set(desired.id, owner);
    if (source.keyArn !== undefined) checkKey(desired, source, source.keyArn, facts, check);
  }
  return check;
}

/** The key's account: as KMS described it, else from its ARN. */
function keyAccountOf(keyArn: string, facts: BucketFacts): string | undefined {
  return facts.keys[keyArn]?.account ?? (keyArn.split(':')[4] || undefined);
}

function checkDestination(
  desired: DesiredConfiguration,
  source: DeliverySource,
  facts: BucketFacts,
  allowed: ReadonlySet<string>,
  check: DeliveryCheck,
): string | undefined {
  const name = source.destinationBucket;
  const verdict = destinationVerdict(desired.id, name, desired.configuration, facts, allowed, NOT_PUT);
  if (!verdict.usable) {
    check.findings.push(verdict.finding);
    return undefined;
  }
  checkPolicy(
    'destination-policy',
    name,
    desired,
    source,
    facts.destinations[name]!.policy,
    facts.bucket,
    check,
  );
  return verdict.owner;
}

function checkKey(
  desired: DesiredConfiguration,
  source: DeliverySource,
  keyArn: string,
  facts: BucketFacts,
  check: DeliveryCheck,
): void {
  const key = facts.keys[keyArn];
  const say = messageAbout(facts.bucket, desired.id, `KMS key ${keyArn}`);
  const fail = (kind: FindingKind, why: string) =>
    check.findings.push(finding(kind, desired.id, keyArn, say(why)));
  const keyRegion = key?.region ?? kmsKeyRegion(keyArn);
  if (!key?.exists) {
    fail('key-missing', 'does not exist');
  } else if (key.keyManager === 'AWS') {
    fail('key-aws-managed', 'is AWS managed; S3 Inventory needs a customer managed key');
  } else if (key.keyState !== 'Enabled') {
    fail('key-not-enabled', `is ${key.keyState ?? 'in an unknown state'}, not Enabled`);
  } else if (key.keySpec !== undefined && key.keySpec !== 'SYMMETRIC_DEFAULT') {
    fail('key-not-symmetric', `has spec ${key.keySpec}; S3 Inventory needs SYMMETRIC_DEFAULT`);
  } else if (key.keyUsage !== undefined && key.keyUsage !== 'ENCRYPT_DECRYPT') {
    // An HMAC key is symmetric too, but cannot encrypt; moto omits KeyUsage, so unknown passes.
    fail('key-wrong-usage', `has usage ${key.keyUsage}; S3 Inventory needs ENCRYPT_DECRYPT`);
  } else if (keyRegion !== undefined && !sameRegion(keyRegion, facts.region)) {
    fail('key-region-mismatch', `is in ${keyRegion}, not in the source's region ${facts.region}`);
  } else {
    checkPolicy('key-policy', keyArn, desired, source, key.policy, facts.bucket, check);
  }
}

/** Evaluates one policy for one delivery: allowed, a grant to make (by us or its owner), or a finding. */
function checkPolicy(
  target: GrantTarget,
  name: string,
  desired: DesiredConfiguration,
  source: DeliverySource,
  policy: ObservedPolicy,
  bucket: string,
  check: DeliveryCheck,
): void {
  const rules = TARGET_RULES[target];
  const say = messageAbout(bucket, desired.id, `${rules.label} ${name}`);
  // A KMS key always has a policy (docs/aws-facts.md §3): 'none' means we could not see it.
  if (policy.state === 'unreadable' || (policy.state === 'none' && target === 'key-policy')) {
    // Unseen, it may hold our statement for other sources: the one-source statement is all we can give.
    const why = `policy cannot be read (${policy.state === 'unreadable' ? policy.reason : 'no policy'})`;
    check.findings.push({
      ...finding(rules.grantRequired, desired.id, name, say(`${why}; its owner must add the statement`)),
      statement: rules.statement(source),
    });
    return;
  }
  const verdict = evaluateDelivery(documentOf(policy), source, target);
  if (verdict === 'explicit-deny') {
    check.findings.push(
      finding(rules.denied, desired.id, name, say('policy explicitly denies the delivery')),
    );
  } else if (verdict === 'implicit-deny') {
    check.needs.push({ target, name, configId: desired.id, mode: desired.mode, source });
  }
}

/** The document of an observed policy, if it was read. */
export function documentOf(policy: ObservedPolicy): PolicyDocument | undefined {
  return policy.state === 'present' ? policy.document : undefined;
}

/** A finding message: one line naming the bucket, the configuration, the target and why. */
export function messageAbout(bucket: string, configId: string, target: string): (why: string) => string {
  return (why) => `Bucket ${bucket}, configuration ${configId}: ${target} ${why}`;
}

function finding(kind: FindingKind, configId: string, target: string, message: string): Finding {
  return { kind, configId, target, message };
}
