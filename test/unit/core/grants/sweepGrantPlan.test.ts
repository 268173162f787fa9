import { describe, expect, it } from 'vitest';
import { sweepGrantDecision } from '../../../../lib/core/grants/sweepGrantPlan.js';
import type { ReachedPolicy } from '../../../../lib/core/grants/types.js';
import { changeEvent } from '../../../../lib/core/reconcile/auditEvents.js';
import {
  accountDestinationGrant,
  DESTINATION_BUCKET,
  destinationWithPolicy,
  foreignStatement,
  KEY_ARN,
  makeDestinationFacts,
  makeKeyFacts,
} from '../../../helpers/reconcileFactories.js';

const A = '111122223333';
const B = '222233334444';
const OUTSIDER = '999988887777';
const allowed = new Set([A, B]);

function destination(accounts: string[], enforce = true): ReachedPolicy {
  return {
    target: 'destination-policy',
    name: DESTINATION_BUCKET,
    partition: 'aws',
    deliveries: accounts.map((account) => ({ account, configurationId: 'daily', enforce })),
    owner: A,
    destinations: [DESTINATION_BUCKET],
    sourceRegions: ['us-east-1'],
  };
}

describe('sweepGrantDecision()', () => {
  it('plans one grant action on the destination, homed on its chain, enforce when any delivery is', () => {
    const decision = sweepGrantDecision(destination([A, B]), makeDestinationFacts(), {
      allowed,
      prune: true,
    });
    expect(decision.kind).toBe('plan');
    const { plan } = decision as Extract<typeof decision, { kind: 'plan' }>;
    expect(plan).toMatchObject({ bucket: DESTINATION_BUCKET, account: A, drift: [], findings: [] });
    expect(plan.actions).toHaveLength(1);
    expect(plan.actions[0]).toMatchObject({
      kind: 'grant-destination',
      key: `grant-destination:${DESTINATION_BUCKET}`,
      mode: 'enforce',
      accounts: { accounts: [A, B], added: [A, B], removed: [] },
    });
    const detect = sweepGrantDecision(destination([A], false), makeDestinationFacts(), {
      allowed,
      prune: true,
    });
    expect((detect as Extract<typeof detect, { kind: 'plan' }>).plan.actions[0]!.mode).toBe('detect');
  });

  it('prunes an account no delivery reaches, said in the past tense on the destination chain', () => {
    const facts = destinationWithPolicy([accountDestinationGrant([B])]);
    const decision = sweepGrantDecision(destination([A]), facts, { allowed, prune: true });
    // A is granted by the new statement, B pruned: a change, not a delete.
    expect(decision).toMatchObject({ kind: 'plan', grant: { accounts: [A], added: [A], removed: [B] } });
    const gone = sweepGrantDecision(
      {
        ...destination([A]),
        deliveries: [{ account: A, configurationId: 'daily', enforce: true, bucket: 'a1' }],
      },
      destinationWithPolicy([accountDestinationGrant([A, B])]),
      { allowed, prune: true },
    );
    const { plan } = gone as Extract<typeof gone, { kind: 'plan' }>;
    const event = changeEvent(plan.actions[0]!, {
      bucket: plan.bucket,
      context: { runId: 'sweep-1', actor: 's3ir-schedule' },
    });
    expect(event).toMatchObject({
      action: 'destination-policy-updated',
      bucket: DESTINATION_BUCKET,
      target: DESTINATION_BUCKET,
      message: `set S3 delivery on ${DESTINATION_BUCKET} to accounts ${A} (removed ${B})`,
    });
  });

  it('leaves to the reconciles a destination it may not trust or write', () => {
    const cases = [
      [makeDestinationFacts(DESTINATION_BUCKET, { exists: false }), 'it does not exist'],
      [
        makeDestinationFacts(DESTINATION_BUCKET, { account: OUTSIDER }),
        `its account ${OUTSIDER} is not in S3IR_ALLOWED_ACCOUNTS`,
      ],
      [
        makeDestinationFacts(DESTINATION_BUCKET, { ownerVerified: false }),
        `S3 did not verify that account ${A} owns it`,
      ],
      [
        makeDestinationFacts(DESTINATION_BUCKET, { writable: false }),
        'this service may not change its policy',
      ],
      [
        destinationWithPolicy([foreignStatement('PartnerRead', DESTINATION_BUCKET, OUTSIDER)]),
        'its policy lets principals outside S3IR_ALLOWED_ACCOUNTS read it',
      ],
    ] as const;
    for (const [facts, reason] of cases) {
      expect(sweepGrantDecision(destination([A, B]), facts, { allowed, prune: true })).toEqual({
        kind: 'left',
        reason,
      });
    }
  });

  it('leaves an AWS managed or disabled key, and grants a customer managed one homed on its first destination', () => {
    const key: ReachedPolicy = {
      ...destination([B]),
      target: 'key-policy',
      name: KEY_ARN,
      destinations: ['b-dest', 'z-dest'],
    };
    delete key.owner;
    expect(
      sweepGrantDecision(key, makeKeyFacts(KEY_ARN, { keyManager: 'AWS' }), { allowed, prune: true }),
    ).toEqual({
      kind: 'left',
      reason: 'it is an AWS managed key',
    });
    expect(
      sweepGrantDecision(key, makeKeyFacts(KEY_ARN, { keyState: 'Disabled' }), { allowed, prune: true }),
    ).toMatchObject({
      kind: 'left',
    });
    const decision = sweepGrantDecision(key, makeKeyFacts(), { allowed, prune: true });
    expect(decision).toMatchObject({
      kind: 'plan',
      plan: { bucket: 'b-dest', actions: [{ kind: 'grant-key', keyArn: KEY_ARN }] },
    });
  });
});
