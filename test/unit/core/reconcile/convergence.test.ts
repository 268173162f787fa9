import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DesiredBucket, ReconcileMode } from '../../../../lib/core/desired/types.js';
import type { InventoryConfiguration } from '../../../../lib/core/inventory/types.js';
import type { PolicyDocument, PolicyStatement } from '../../../../lib/core/policy/types.js';
import { apply } from '../../../../lib/core/reconcile/apply.js';
import { plan } from '../../../../lib/core/reconcile/plan.js';
import { deepFreeze } from '../../../helpers/deepFreeze.js';
import { arbConfiguration, arbConfigurationList } from '../../../helpers/inventoryArbitraries.js';
import { createMemoryEstate, ESTATE_ACCOUNT, type MemoryEstate } from '../../../helpers/memoryEstate.js';
import {
  broadDeliveryStatement,
  foreignStatement,
  makeDesiredItem,
  makePolicy,
  ourDestinationGrant,
  ourKeyGrant,
  rootStatement,
  SOURCE_BUCKET,
} from '../../../helpers/reconcileFactories.js';

const OUR_SIDS = new Set(['S3irInventoryDelivery', 'S3irInventoryKeyGrant']);
const KEYS = [
  'arn:aws:kms:us-east-1:111122223333:key/11111111-1111-1111-1111-111111111111',
  'arn:aws:kms:us-east-1:111122223333:key/22222222-2222-2222-2222-222222222222',
];

/** Same-region destinations: no policy, foreign statements only, a broader grant, our grant already there. */
function createEstate(actual: InventoryConfiguration[]): MemoryEstate {
  const denyDeletes: PolicyStatement = {
    Sid: 'NoDeletes',
    Effect: 'Deny',
    Principal: { AWS: 'arn:aws:iam::444455556666:root' },
    Action: 's3:DeleteObject',
    Resource: 'arn:aws:s3:::dest-foreign/*',
  };
  return createMemoryEstate()
    .addBucket(SOURCE_BUCKET, { configurations: actual })
    .addBucket('dest-empty')
    .addBucket('dest-foreign', {
      policy: makePolicy([foreignStatement('Read', 'dest-foreign'), denyDeletes]),
    })
    .addBucket('dest-broad', {
      policy: makePolicy([broadDeliveryStatement('dest-broad'), foreignStatement('Read', 'dest-broad')]),
    })
    .addBucket('dest-ours', {
      policy: makePolicy([
        foreignStatement('Read', 'dest-ours'),
        ourDestinationGrant(['other-source', SOURCE_BUCKET], 'dest-ours'),
      ]),
    })
    .addKey(KEYS[0]!, { policy: makePolicy([rootStatement(), foreignStatement('KeyUsers', '*')]) })
    .addKey(KEYS[1]!, {
      policy: makePolicy([rootStatement(), ourKeyGrant([SOURCE_BUCKET, 'other-source'])]),
    });
}

const DESTINATIONS = ['dest-empty', 'dest-foreign', 'dest-broad', 'dest-ours'];

/**
 * Moves a random configuration onto the estate: one of its destinations (aws partition) and keys, and an
 * AccountId, when it sets one, naming their owner (any other is a finding: S3 would refuse to export).
 */
function ontoEstate(configuration: InventoryConfiguration, pick: number): InventoryConfiguration {
  const destination = configuration.Destination!.S3BucketDestination!;
  const keyed = destination.Encryption?.SSEKMS !== undefined;
  return {
    ...configuration,
    Destination: {
      S3BucketDestination: {
        ...destination,
        Bucket: `arn:aws:s3:::${DESTINATIONS[pick % DESTINATIONS.length]}`,
        ...(destination.AccountId !== undefined && { AccountId: ESTATE_ACCOUNT }),
        ...(keyed && { Encryption: { SSEKMS: { KeyId: KEYS[pick % KEYS.length]! } } }),
      },
    },
  };
}

/** Desired configurations and the actual ones: some absent, some identical, some changed, some unmanaged. */
const arbScenario = fc
  .record({
    desired: arbConfigurationList({ maxLength: 6 }),
    fates: fc.array(fc.constantFrom('absent', 'same', 'changed'), { minLength: 6, maxLength: 6 }),
    changes: fc.array(arbConfiguration(), { minLength: 6, maxLength: 6 }),
    unmanaged: arbConfigurationList({ maxLength: 3 }),
    picks: fc.array(fc.nat(), { minLength: 15, maxLength: 15 }),
    modes: fc.array(fc.constantFrom<ReconcileMode>('enforce', 'detect'), { minLength: 6, maxLength: 6 }),
  })
  .map(({ desired, fates, changes, unmanaged, picks, modes }) => {
    const wanted = desired.map((configuration, index) => ontoEstate(configuration, picks[index]!));
    const ids = new Set(wanted.map((configuration) => configuration.Id));
    const kept = wanted.flatMap((configuration, index) => {
      const fate = fates[index];
      if (fate === 'absent') return [];
      if (fate === 'same') return [configuration];
      return [{ ...ontoEstate(changes[index]!, picks[index + 6]!), Id: configuration.Id }];
    });
    const strays = unmanaged
      .filter((configuration) => !ids.has(configuration.Id))
      .map((configuration, index) => ontoEstate(configuration, picks[12 + (index % 3)]!));
    return { wanted, actual: [...kept, ...strays], modes };
  });

function desiredBucket(configurations: InventoryConfiguration[], modes?: ReconcileMode[]): DesiredBucket {
  const items = configurations.map((configuration, index) =>
    makeDesiredItem(configuration, modes ? { mode: modes[index]! } : {}),
  );
  return { bucket: SOURCE_BUCKET, mode: 'enforce', prune: true, items };
}

/** Every statement we did not write, serialized, per policy. */
function foreignStatements(estate: MemoryEstate): Record<string, string[]> {
  const foreign = (document: PolicyDocument | undefined) =>
    [document?.Statement ?? []]
      .flat()
      .filter((statement) => !OUR_SIDS.has(statement.Sid ?? ''))
      .map((statement) => JSON.stringify(statement));
  return Object.fromEntries([
    ...DESTINATIONS.map((bucket) => [bucket, foreign(estate.policyOf(bucket))]),
    ...KEYS.map((key) => [key, foreign(estate.keyPolicyOf(key))]),
  ]);
}

const replan = (estate: MemoryEstate, desired: DesiredBucket) =>
  plan(desired, estate.configurationsOf(SOURCE_BUCKET), estate.factsFor(SOURCE_BUCKET));

describe('plan() then apply()', () => {
  it('converges: a second plan has no actions and no drift, and foreign statements stay byte-identical', async () => {
    await fc.assert(
      fc.asyncProperty(arbScenario, async ({ wanted, actual }) => {
        const estate = createEstate(actual);
        const desired = desiredBucket(wanted);
        const foreignBefore = foreignStatements(estate);

        const first = replan(estate, desired);
        const result = await apply(first, estate, { runId: 'run', actor: 'test' });

        expect(first.findings).toEqual([]);
        expect(result.converged).toBe(true);
        const second = replan(estate, desired);
        expect(second.actions).toEqual([]);
        expect(second.drift).toEqual([]);
        expect(second.findings).toEqual([]);
        expect(foreignStatements(estate)).toEqual(foreignBefore);
      }),
      { numRuns: 200 },
    );
  });

  it('converges what is enforced: with item modes mixed, only report-only actions remain', async () => {
    await fc.assert(
      fc.asyncProperty(arbScenario, async ({ wanted, actual, modes }) => {
        const estate = createEstate(actual);
        const desired = desiredBucket(wanted, modes);
        const foreignBefore = foreignStatements(estate);

        await apply(replan(estate, desired), estate, { runId: 'run', actor: 'test' });

        const second = replan(estate, desired);
        expect(second.actions.filter((action) => action.mode === 'enforce')).toEqual([]);
        expect(foreignStatements(estate)).toEqual(foreignBefore);
      }),
      { numRuns: 100 },
    );
  });
});

describe('plan() purity', () => {
  it('never changes its inputs and accepts deep-frozen ones', () => {
    fc.assert(
      fc.property(arbScenario, ({ wanted, actual, modes }) => {
        const estate = createEstate(actual);
        const desired = desiredBucket(wanted, modes);
        const facts = estate.factsFor(SOURCE_BUCKET);
        const copies = structuredClone({ desired, actual, facts });

        const frozen = plan(deepFreeze(desired), deepFreeze(actual), deepFreeze(facts), {
          remainingChanges: 3,
        });

        expect({ desired, actual, facts }).toEqual(copies);
        expect(plan(copies.desired, copies.actual, copies.facts, { remainingChanges: 3 })).toEqual(frozen);
      }),
      { numRuns: 100 },
    );
  });
});
