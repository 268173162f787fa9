import { describe, expect, it } from 'vitest';
import { TEMPLATES_PARTITION } from '../../../../lib/core/desired/desiredTableLayout.js';
import { changeTargets, desiredIndex } from '../../../../lib/usecases/fanOut/changeTargets.js';
import { isOwnCall } from '../../../../lib/usecases/fanOut/ownCalls.js';
import { makeConfiguration, makeKmsConfiguration } from '../../../helpers/factories.js';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const items = [
  { bucket: 'src-a', id: 'daily-csv', configuration: makeConfiguration() },
  { bucket: 'src-b', id: 'kms', configuration: makeKmsConfiguration(KEY, { Id: 'kms' }) },
  { bucket: 'src-c', id: 'broken', configuration: 'not a configuration' },
  {
    bucket: TEMPLATES_PARTITION,
    id: 'logs',
    template: { name: 'logs', match: { names: ['logs-*'] }, inventories: [makeConfiguration({ Id: 't' })] },
  },
];
const account = {
  accountBuckets: async () => ['logs-1', 'other'],
  bucketsTagged: async () => [],
};
const targets = (detail: Parameters<typeof changeTargets>[0]) =>
  changeTargets(detail, desiredIndex(items), account);

describe('changeTargets()', () => {
  it('reconciles the source bucket of an inventory change', async () => {
    const detail = {
      eventName: 'PutBucketInventoryConfiguration',
      requestParameters: { bucketName: 'src-z' },
    };
    expect(await targets(detail)).toEqual(['src-z']);
  });

  it('maps a destination policy change to every source using it, templates included', async () => {
    const detail = {
      eventName: 'DeleteBucketPolicy',
      requestParameters: { bucketName: 'inventory-reports' },
    };
    expect(await targets(detail)).toEqual(['logs-1', 'src-a', 'src-b']);
  });

  it('maps a deleted bucket to itself and to the sources that deliver to it', async () => {
    const detail = { eventName: 'DeleteBucket', requestParameters: { bucketName: 'inventory-reports' } };
    expect(await targets(detail)).toEqual(['inventory-reports', 'logs-1', 'src-a', 'src-b']);
  });

  it('maps a key change by ARN or by key id to the sources encrypting with it', async () => {
    expect(await targets({ eventName: 'DisableKey', resources: [{ ARN: KEY }] })).toEqual(['src-b']);
    const byId = {
      eventName: 'PutKeyPolicy',
      requestParameters: { keyId: '1234abcd-12ab-34cd-56ef-1234567890ab' },
    };
    expect(await targets(byId)).toEqual(['src-b']);
    expect(
      await targets({ eventName: 'ScheduleKeyDeletion', requestParameters: { keyId: 'other' } }),
    ).toEqual([]);
  });

  it('ignores other events', async () => {
    expect(await targets({ eventName: 'PutObject', requestParameters: { bucketName: 'src-a' } })).toEqual([]);
  });
});

describe('isOwnCall()', () => {
  const role = 'arn:aws:iam::111122223333:role/service/s3ir-reconcile';
  it('matches the role, its sessions and its issuer', () => {
    expect(
      isOwnCall({ arn: 'arn:aws:sts::111122223333:assumed-role/s3ir-reconcile/s3ir-run-1' }, [role]),
    ).toBe(true);
    expect(isOwnCall({ arn: 'x', sessionContext: { sessionIssuer: { arn: role } } }, [role])).toBe(true);
    expect(isOwnCall({ arn: role }, [role])).toBe(true);
  });

  it('does not match other roles, other accounts, users or a missing identity', () => {
    expect(isOwnCall({ arn: 'arn:aws:sts::111122223333:assumed-role/admin/alice' }, [role])).toBe(false);
    expect(isOwnCall({ arn: 'arn:aws:sts::999999999999:assumed-role/s3ir-reconcile/s' }, [role])).toBe(false);
    expect(isOwnCall({ arn: 'arn:aws:iam::111122223333:user/bob' }, [role])).toBe(false);
    expect(isOwnCall(undefined, [role])).toBe(false);
    expect(isOwnCall({ arn: 'x' }, ['not-an-arn'])).toBe(false);
  });

  it('matches a role in any account with a * account', () => {
    const anyAccount = 'arn:aws:iam::*:role/s3ir-reconcile';
    expect(isOwnCall({ arn: 'arn:aws:sts::999999999999:assumed-role/s3ir-reconcile/s' }, [anyAccount])).toBe(
      true,
    );
    const issued = { sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::5:role/s3ir-reconcile' } } };
    expect(isOwnCall(issued, [anyAccount])).toBe(true);
  });
});
