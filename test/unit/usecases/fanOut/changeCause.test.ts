import { describe, expect, it } from 'vitest';
import { type CloudTrailCall, changeCause } from '../../../../lib/usecases/fanOut/changeCause.js';

const EVENT_ID = '6c2d1f0e-8a7b-4c3d-9e8f-1a2b3c4d5e6f';

/** The detail of a CloudTrail event as EventBridge delivers it (infra/local/events/cloudTrailEvent.ts). */
function detail(overrides: Partial<CloudTrailCall> = {}): CloudTrailCall {
  return {
    eventName: 'PutBucketInventoryConfiguration',
    eventSource: 's3.amazonaws.com',
    userIdentity: { arn: 'arn:aws:sts::111122223333:assumed-role/admin/ana', accountId: '111122223333' },
    sourceIPAddress: '198.51.100.20',
    eventTime: '2026-12-06T15:04:05Z',
    eventID: EVENT_ID,
    requestParameters: { bucketName: 'photos-5', id: 'daily' },
    ...overrides,
  };
}

describe('changeCause()', () => {
  it('takes the caller, source IP, time, id and name of the call, and the configuration it touched', () => {
    expect(changeCause(detail())).toEqual({
      actor: 'arn:aws:sts::111122223333:assumed-role/admin/ana',
      sourceIp: '198.51.100.20',
      time: '2026-12-06T15:04:05.000Z',
      eventId: EVENT_ID,
      eventName: 'PutBucketInventoryConfiguration',
      scope: { kind: 'configuration', bucket: 'photos-5', configId: 'daily' },
    });
  });

  it('scopes a policy call to the destination, a key call to the key, a deleted bucket to the bucket', () => {
    expect(
      changeCause(
        detail({ eventName: 'DeleteBucketPolicy', requestParameters: { bucketName: 'reports-dst' } }),
      )?.scope,
    ).toEqual({
      kind: 'destination-policy',
      bucket: 'reports-dst',
    });
    const keyArn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(
      changeCause(
        detail({
          eventName: 'PutKeyPolicy',
          eventSource: 'kms.amazonaws.com',
          requestParameters: { keyId: keyArn },
          resources: [{ ARN: keyArn }],
        }),
      )?.scope,
    ).toEqual({ kind: 'key-policy', keys: [keyArn, '1234abcd-12ab-34cd-56ef-1234567890ab'] });
    expect(
      changeCause(detail({ eventName: 'DeleteBucket', requestParameters: { bucketName: 'photos-5' } }))
        ?.scope,
    ).toEqual({
      kind: 'bucket',
      bucket: 'photos-5',
    });
    // An inventory call whose request does not name the configuration: any of the bucket's.
    expect(changeCause(detail({ requestParameters: { bucketName: 'photos-5' } }))?.scope).toEqual({
      kind: 'configuration',
      bucket: 'photos-5',
    });
  });

  it('names a call an AWS service made for the caller by the service, one with no ARN by its account', () => {
    const viaService = detail({
      userIdentity: { invokedBy: 'cloudformation.amazonaws.com' },
      sourceIPAddress: 'cloudformation.amazonaws.com',
    });
    expect(changeCause(viaService)).toMatchObject({
      actor: 'cloudformation.amazonaws.com',
      sourceIp: 'cloudformation.amazonaws.com',
    });
    expect(changeCause(detail({ userIdentity: { accountId: '444455556666' } }))?.actor).toBe(
      'account:444455556666',
    );
  });

  it('gives no cause for an event that does not say who, when, which call or what it touched', () => {
    expect(changeCause(detail({ userIdentity: {} }))).toBeUndefined();
    expect(changeCause(detail({ eventTime: undefined }))).toBeUndefined();
    expect(changeCause(detail({ eventID: 'not-a-uuid' }))).toBeUndefined();
    expect(changeCause(detail({ eventName: 'PutBucketTagging' }))).toBeUndefined();
    expect(changeCause(detail({ requestParameters: null }))).toBeUndefined();
    expect(changeCause(detail({ userIdentity: { arn: `arn:${'x'.repeat(2000)}` } }))).toBeUndefined();
  });
});
