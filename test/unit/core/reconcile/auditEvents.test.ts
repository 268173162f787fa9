import { describe, expect, it } from 'vitest';
import {
  changeEvent,
  driftEvent,
  type EventStamp,
  failureEvent,
  unmanagedEvent,
} from '../../../../lib/core/reconcile/auditEvents.js';
import type { ChangeCause } from '../../../../lib/core/reconcile/changeCause.js';
import type { PlanAction } from '../../../../lib/core/reconcile/types.js';
import { makeConfiguration } from '../../../helpers/factories.js';
import { DESTINATION_BUCKET, KEY_ARN, makePolicy } from '../../../helpers/reconcileFactories.js';

const BUCKET = 'photos-5';
const DEST = 'reports-dst';
const base = { mode: 'enforce' as const, dependsOn: [], reason: 'why the plan wants it' };
const daily = makeConfiguration({ Id: 'daily' });

const actions = {
  create: {
    ...base,
    kind: 'create-configuration',
    key: 'create-configuration:daily',
    id: 'daily',
    after: daily,
  },
  update: {
    ...base,
    kind: 'update-configuration',
    key: 'update-configuration:daily',
    id: 'daily',
    before: daily,
    after: daily,
    fields: [
      { path: 'Schedule.Frequency', actual: 'Weekly', desired: 'Daily' },
      { path: 'IsEnabled', actual: false, desired: true },
    ],
  },
  delete: {
    ...base,
    kind: 'delete-configuration',
    key: 'delete-configuration:stray',
    id: 'stray',
    before: daily,
  },
  grant: {
    ...base,
    kind: 'grant-destination',
    key: `grant-destination:${DEST}`,
    destinationBucket: DEST,
    before: undefined,
    after: makePolicy([]),
  },
  grantKey: {
    ...base,
    kind: 'grant-key',
    key: `grant-key:${KEY_ARN}`,
    keyArn: KEY_ARN,
    before: makePolicy([]),
    after: makePolicy([]),
  },
  revoke: {
    ...base,
    kind: 'revoke-destination',
    key: `revoke-destination:${DEST}`,
    destinationBucket: DEST,
    before: makePolicy([]),
    after: undefined,
  },
  revokeKey: {
    ...base,
    kind: 'revoke-key',
    key: `revoke-key:${KEY_ARN}`,
    keyArn: KEY_ARN,
    before: makePolicy([]),
    after: makePolicy([]),
  },
} satisfies Record<string, PlanAction>;

const ANA: ChangeCause = {
  actor: 'arn:aws:iam::111122223333:user/ana',
  sourceIp: '203.0.113.7',
  time: '2026-12-06T15:04:05.000Z',
  eventId: '0b4f7c3e-2d1a-4f5b-9c8e-7a6b5c4d3e2f',
  eventName: 'PutBucketPolicy',
  scope: { kind: 'destination-policy', bucket: DEST },
};
const RECORDED = {
  actor: ANA.actor,
  sourceIp: ANA.sourceIp,
  time: ANA.time,
  eventId: ANA.eventId,
  eventName: ANA.eventName,
};

function stamp(causes?: ChangeCause[]): EventStamp {
  return {
    bucket: BUCKET,
    context: {
      runId: 'change-1',
      actor: 'arn:aws:iam::111122223333:role/s3ir-reconcile',
      now: () => new Date('2026-12-06T15:04:09.000Z'),
      ...(causes && { causes }),
    },
  };
}

describe('audit event messages', () => {
  it('say what a change did, in the past tense', () => {
    expect(Object.values(actions).map((action) => changeEvent(action, stamp()).message)).toEqual([
      'created inventory daily on photos-5',
      'updated inventory daily on photos-5 (Schedule.Frequency, IsEnabled)',
      'deleted inventory stray on photos-5',
      'granted S3 delivery from photos-5 on reports-dst',
      `granted S3 delivery from photos-5 on key ${KEY_ARN}`,
      'revoked S3 delivery from photos-5 on reports-dst (the policy held only that grant: deleted it)',
      `revoked S3 delivery from photos-5 on key ${KEY_ARN}`,
    ]);
  });

  it('say what was not done and why for drift, what could not be done for a failure', () => {
    expect(driftEvent(actions.create, 'report-only', stamp()).message).toBe(
      'did not create inventory daily on photos-5 (report-only)',
    );
    expect(driftEvent(actions.grant, 'conflict: policy changed', stamp()).message).toBe(
      'did not grant S3 delivery from photos-5 on reports-dst (conflict: policy changed)',
    );
    expect(
      failureEvent(actions.delete, 'AccessDenied on DeleteBucketInventoryConfiguration', stamp()).message,
    ).toBe(
      'could not delete inventory stray on photos-5: AccessDenied on DeleteBucketInventoryConfiguration',
    );
    expect(unmanagedEvent('stray', daily, stamp()).message).toBe(
      'found inventory stray on photos-5, which is not declared: left it in place (the bucket does not opt into prune)',
    );
  });
});

describe('the cause on audit events', () => {
  it('is recorded on the change that reverted the drift the call made, apart from the actor', () => {
    const reverted = changeEvent(actions.grant, stamp([ANA]));
    expect(reverted).toMatchObject({
      action: 'destination-policy-updated',
      actor: 'arn:aws:iam::111122223333:role/s3ir-reconcile',
      time: '2026-12-06T15:04:09.000Z',
      cause: RECORDED,
    });
    expect(reverted.cause).not.toHaveProperty('scope');
    // The same change with or without a cause is the same event: the id covers what changed, not who.
    expect(reverted.eventId).toBe(changeEvent(actions.grant, stamp()).eventId);
  });

  it('is recorded on drift left in place and on an unmanaged configuration the call touched', () => {
    expect(driftEvent(actions.grant, 'report-only', stamp([ANA])).cause).toEqual(RECORDED);
    const put = {
      ...ANA,
      eventName: 'PutBucketInventoryConfiguration',
      scope: { kind: 'configuration', bucket: BUCKET },
    } as const;
    expect(unmanagedEvent('stray', daily, stamp([put])).cause).toMatchObject({
      eventName: 'PutBucketInventoryConfiguration',
    });
  });

  it('is not recorded on events about anything else, nor on failures', () => {
    for (const action of [actions.create, actions.update, actions.grantKey, actions.revokeKey])
      expect(changeEvent(action, stamp([ANA])), action.key).not.toHaveProperty('cause');
    expect(unmanagedEvent('stray', daily, stamp([ANA]))).not.toHaveProperty('cause');
    expect(failureEvent(actions.grant, 'AccessDenied', stamp([ANA]))).not.toHaveProperty('cause');
    const otherDestination = {
      ...ANA,
      scope: { kind: 'destination-policy', bucket: DESTINATION_BUCKET },
    } as const;
    expect(changeEvent(actions.grant, stamp([otherDestination]))).not.toHaveProperty('cause');
  });
});
