import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DesiredBucket } from '../../../../lib/core/desired/types.js';
import type { InventoryConfiguration } from '../../../../lib/core/inventory/types.js';
import { DESTINATION_GRANT_SID, KEY_GRANT_SID } from '../../../../lib/core/policy/constants.js';
import { ensureDelivery } from '../../../../lib/core/policy/ensureDelivery.js';
import { guardPolicyWrite } from '../../../../lib/core/policy/guardPolicyWrite.js';
import type { DeliverySource, GrantTarget, PolicyDocument } from '../../../../lib/core/policy/types.js';
import { policyWriteOf } from '../../../../lib/core/reconcile/applyToTarget.js';
import { plan } from '../../../../lib/core/reconcile/plan.js';
import type { ObservedPolicy } from '../../../../lib/core/reconcile/types.js';
import { arbConfigurationList } from '../../../helpers/inventoryArbitraries.js';
import { mixedPolicyArb } from '../../../helpers/policyArbitraries.js';
import {
  makeBucketFacts,
  makeDesiredItem,
  makeDestinationFacts,
  makeKeyFacts,
  SOURCE_ACCOUNT,
  SOURCE_BUCKET,
} from '../../../helpers/reconcileFactories.js';

const DESTINATIONS = ['dest-a', 'dest-b', 'dest-c'];
const KEYS = [
  'arn:aws:kms:us-east-1:111122223333:key/11111111-1111-1111-1111-111111111111',
  'arn:aws:kms:us-east-1:111122223333:key/22222222-2222-2222-2222-222222222222',
];
const EARLIER_SOURCES = [SOURCE_BUCKET, 'other-source-a', 'other-source-b'];

/** A configuration moved onto one of the destinations and keys above (a KMS one keeps its key). */
function onto(configuration: InventoryConfiguration, pick: number): InventoryConfiguration {
  const destination = configuration.Destination!.S3BucketDestination!;
  const keyed = destination.Encryption?.SSEKMS !== undefined;
  const { AccountId: _, ...rest } = destination;
  return {
    ...configuration,
    Destination: {
      S3BucketDestination: {
        ...rest,
        Bucket: `arn:aws:s3:::${DESTINATIONS[pick % DESTINATIONS.length]}`,
        ...(keyed && { Encryption: { SSEKMS: { KeyId: KEYS[pick % KEYS.length]! } } }),
      },
    },
  };
}

/**
 * A policy as found: foreign statements, and our grant for the sources earlier runs granted (if any); `listed`:
 * as an earlier version wrote it, the granted buckets' ARNs listed instead of the account-keyed pattern.
 */
function found(
  foreign: PolicyDocument | undefined,
  earlier: boolean[],
  target: GrantTarget,
  name: string,
  listed: boolean,
): PolicyDocument | undefined {
  const document = granted(foreign, earlier, target, name);
  const arns = EARLIER_SOURCES.filter((_, index) => earlier[index]).map((bucket) => `arn:aws:s3:::${bucket}`);
  if (!listed || document === undefined || arns.length === 0) return document;
  const sid = target === 'key-policy' ? KEY_GRANT_SID : DESTINATION_GRANT_SID;
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  return {
    ...document,
    Statement: statements.map((statement) =>
      statement.Sid === sid && statement.Condition?.ArnLike
        ? { ...statement, Condition: { ...statement.Condition, ArnLike: { 'aws:SourceArn': arns } } }
        : statement,
    ),
  };
}

function granted(
  foreign: PolicyDocument | undefined,
  earlier: boolean[],
  target: GrantTarget,
  name: string,
): PolicyDocument | undefined {
  let document = target === 'key-policy' ? (foreign ?? { Statement: [] }) : foreign;
  EARLIER_SOURCES.forEach((sourceBucket, index) => {
    if (!earlier[index]) return;
    const source: DeliverySource = {
      sourceBucket,
      sourceAccount: index === 2 ? '222233334444' : SOURCE_ACCOUNT,
      partition: 'aws',
      destinationBucket: target === 'key-policy' ? 'any' : name,
      configurationId: 'earlier',
      ...(target === 'key-policy' && { keyArn: name }),
    };
    try {
      document = ensureDelivery(document, source, target).document;
    } catch {
      // blocked by a Deny: never granted
    }
  });
  return document;
}

const observed = (document: PolicyDocument | undefined): ObservedPolicy =>
  document === undefined ? { state: 'none' } : { state: 'present', document };

const policyArb = fc.record({
  foreign: fc.option(mixedPolicyArb, { nil: undefined, freq: 4 }),
  earlier: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  listed: fc.boolean(),
});

const scenarioArb = fc.record({
  desired: arbConfigurationList({ maxLength: 4 }),
  actual: arbConfigurationList({ maxLength: 4 }),
  picks: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
  destinations: fc.array(policyArb, { minLength: 3, maxLength: 3 }),
  keys: fc.array(policyArb, { minLength: 2, maxLength: 2 }),
  prune: fc.boolean(),
});

describe('plan() writes only what the policy write guard lets through', () => {
  it('every grant and revoke it plans, over arbitrary found policies, passes the guard', () => {
    const guarded = new Map<string, number>();
    fc.assert(
      fc.property(scenarioArb, ({ desired, actual, picks, destinations, keys, prune }) => {
        const facts = makeBucketFacts({
          destinations: DESTINATIONS.map((bucket, index) =>
            makeDestinationFacts(bucket, {
              policy: observed(
                found(
                  destinations[index]!.foreign,
                  destinations[index]!.earlier,
                  'destination-policy',
                  bucket,
                  destinations[index]!.listed,
                ),
              ),
            }),
          ),
          keys: KEYS.map((keyArn, index) =>
            makeKeyFacts(keyArn, {
              policy: observed(
                found(keys[index]!.foreign, keys[index]!.earlier, 'key-policy', keyArn, keys[index]!.listed),
              ),
            }),
          ),
        });
        const wanted = desired.map((configuration, index) => onto(configuration, picks[index]!));
        const present = actual.map((configuration, index) => onto(configuration, picks[index + 4]!));
        const bucket: DesiredBucket = {
          bucket: SOURCE_BUCKET,
          mode: 'enforce',
          prune,
          items: wanted.map((configuration) => makeDesiredItem(configuration)),
        };

        const planned = plan(bucket, present, facts);

        for (const action of planned.actions) {
          const write = policyWriteOf(action, { bucket: planned.bucket, account: planned.account });
          if (write === undefined) continue;
          const before = 'before' in action ? (action.before as PolicyDocument | undefined) : undefined;
          expect(() => guardPolicyWrite({ ...write, before })).not.toThrow();
          guarded.set(action.kind, (guarded.get(action.kind) ?? 0) + 1);
        }
      }),
      { numRuns: 1000 },
    );
    // The property must have met every kind of policy write to mean anything.
    for (const kind of ['grant-destination', 'grant-key', 'revoke-destination', 'revoke-key']) {
      expect(guarded.get(kind) ?? 0, kind).toBeGreaterThan(5);
    }
  });
});
