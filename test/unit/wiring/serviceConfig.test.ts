import { describe, expect, it } from 'vitest';
import { RunFactsReaders } from '../../../lib/adapters/aws/RunFactsReader.js';
import { streamChange } from '../../../lib/adapters/aws/streamImages.js';
import { readServiceConfig, ServiceConfigError } from '../../../lib/wiring/serviceConfig.js';

describe('readServiceConfig()', () => {
  it('fills the Contract defaults', () => {
    expect(readServiceConfig({})).toEqual({
      desiredTable: 's3ir-desired-state',
      stateTable: 's3ir-state',
      auditTable: 's3ir-audit',
      crossAccountRoleName: 's3ir-reconcile',
    });
  });

  it('reads every setting', () => {
    const env = {
      S3IR_DESIRED_TABLE: 'd',
      S3IR_STATE_TABLE: 's',
      S3IR_AUDIT_TABLE: 'a',
      S3IR_ALERT_TOPIC_ARN: 'arn:topic',
      S3IR_QUEUE_URL: 'https://q',
      S3IR_CROSS_ACCOUNT_ROLE: 'role',
      S3IR_MAX_CHANGES: '100',
      S3IR_MAX_DELETES: '0',
      S3IR_RECONCILE_ROLE_ARN: 'arn:role',
    };
    expect(readServiceConfig(env, ['queueUrl', 'alertTopicArn'])).toEqual({
      desiredTable: 'd',
      stateTable: 's',
      auditTable: 'a',
      alertTopicArn: 'arn:topic',
      queueUrl: 'https://q',
      crossAccountRoleName: 'role',
      maxChanges: 100,
      maxDeletes: 0,
      reconcileRoleArn: 'arn:role',
    });
  });

  it('names what is missing or malformed, at start-up', () => {
    expect(() => readServiceConfig({}, ['queueUrl', 'alertTopicArn'])).toThrow(
      new ServiceConfigError('missing environment: S3IR_QUEUE_URL, S3IR_ALERT_TOPIC_ARN'),
    );
    expect(() => readServiceConfig({ S3IR_MAX_CHANGES: '-1' })).toThrow(
      /S3IR_MAX_CHANGES must be a whole number/,
    );
  });

  it('reads the audit retention in days (off by default), refusing anything but a whole number of days', () => {
    expect(readServiceConfig({ S3IR_AUDIT_RETENTION_DAYS: '400' }).auditRetentionDays).toBe(400);
    expect(readServiceConfig({ S3IR_AUDIT_RETENTION_DAYS: '' })).not.toHaveProperty('auditRetentionDays');
    expect(readServiceConfig({ S3IR_AUDIT_RETENTION_DAYS: '0' })).not.toHaveProperty('auditRetentionDays');
    for (const text of ['-1', '1.5', 'forever'])
      expect(() => readServiceConfig({ S3IR_AUDIT_RETENTION_DAYS: text }), text).toThrow(
        `S3IR_AUDIT_RETENTION_DAYS must be a whole number of days (1 or more; 0 = keep forever), not "${text}"`,
      );
  });

  it('reads S3IR_ALLOWED_ACCOUNTS: unset or empty is the home account alone', () => {
    expect(readServiceConfig({})).not.toHaveProperty('allowedAccounts');
    expect(readServiceConfig({ S3IR_ALLOWED_ACCOUNTS: '' })).not.toHaveProperty('allowedAccounts');
    expect(readServiceConfig({ S3IR_ALLOWED_ACCOUNTS: ' , ' })).not.toHaveProperty('allowedAccounts');
    expect(
      readServiceConfig({ S3IR_ALLOWED_ACCOUNTS: '111122223333, 222233334444,111122223333,' })
        .allowedAccounts,
    ).toEqual(['111122223333', '222233334444']);
  });

  it('refuses a malformed S3IR_ALLOWED_ACCOUNTS, naming the variable and the value', () => {
    expect(() => readServiceConfig({ S3IR_ALLOWED_ACCOUNTS: '111122223333,12345' })).toThrow(
      new ServiceConfigError(
        'S3IR_ALLOWED_ACCOUNTS must be comma-separated account, organization or OU ids, not "111122223333,12345": "12345" is not a 12-digit account id, an organization id (o-…) or an OU id (ou-…)',
      ),
    );
    expect(() => readServiceConfig({ S3IR_ALLOWED_ACCOUNTS: 'o-short' })).toThrow(
      /S3IR_ALLOWED_ACCOUNTS .* not "o-short": "o-short" is not an organization id/,
    );
    expect(() => readServiceConfig({ S3IR_ALLOWED_ACCOUNTS: 'ou-ab12-cd' })).toThrow(ServiceConfigError);
    expect(() => readServiceConfig({ S3IR_ALLOWED_ACCOUNTS: 'O-A1B2C3D4E5' })).toThrow(ServiceConfigError);
  });

  it('reads organization and OU ids in S3IR_ALLOWED_ACCOUNTS apart from account ids (#18)', () => {
    const config = readServiceConfig({
      S3IR_ALLOWED_ACCOUNTS: 'o-a1b2c3d4e5, 111122223333,ou-ab12-cdef3456,o-a1b2c3d4e5',
    });
    expect(config.allowedAccounts).toEqual(['111122223333']);
    expect(config.allowedOrganizationUnits).toEqual(['o-a1b2c3d4e5', 'ou-ab12-cdef3456']);
    const onlyOrg = readServiceConfig({ S3IR_ALLOWED_ACCOUNTS: 'o-a1b2c3d4e5' });
    expect(onlyOrg).not.toHaveProperty('allowedAccounts');
    expect(onlyOrg.allowedOrganizationUnits).toEqual(['o-a1b2c3d4e5']);
  });

  it('reads S3IR_ORGANIZATION_ROLE_ARN and refuses what is not a role ARN', () => {
    const arn = 'arn:aws:iam::999988887777:role/s3ir-organization-read';
    expect(readServiceConfig({ S3IR_ORGANIZATION_ROLE_ARN: arn }).organizationRoleArn).toBe(arn);
    expect(readServiceConfig({})).not.toHaveProperty('organizationRoleArn');
    expect(() => readServiceConfig({ S3IR_ORGANIZATION_ROLE_ARN: 's3ir-organization-read' })).toThrow(
      /S3IR_ORGANIZATION_ROLE_ARN must be an IAM role ARN .* not "s3ir-organization-read"/,
    );
  });

  it('reads the reconcile worker settings, unset meaning the worker defaults', () => {
    expect(readServiceConfig({})).not.toHaveProperty('deadlineMarginMs');
    expect(readServiceConfig({ S3IR_RETRY_DELAY_MAX_SECONDS: '' })).not.toHaveProperty(
      'retryDelayMaxSeconds',
    );
    expect(
      readServiceConfig({
        S3IR_DEADLINE_MARGIN_MS: '5000',
        S3IR_MAX_RECEIVE_COUNT: '3',
        S3IR_RETRY_DELAY_MAX_SECONDS: '0',
      }),
    ).toMatchObject({ deadlineMarginMs: 5000, maxReceiveCount: 3, retryDelayMaxSeconds: 0 });
    expect(readServiceConfig({ S3IR_RETRY_DELAY_MAX_SECONDS: '43200' }).retryDelayMaxSeconds).toBe(43_200);
  });

  it.each([
    ['S3IR_RETRY_DELAY_MAX_SECONDS', '43201', 'seconds from 0 to 43200'],
    ['S3IR_RETRY_DELAY_MAX_SECONDS', '1.5', 'seconds from 0 to 43200'],
    ['S3IR_RETRY_DELAY_MAX_SECONDS', ' 5', 'seconds from 0 to 43200'],
    ['S3IR_MAX_RECEIVE_COUNT', 'x', 'receives from 1 to 1000'],
    ['S3IR_MAX_RECEIVE_COUNT', '0', 'receives from 1 to 1000'],
    ['S3IR_DEADLINE_MARGIN_MS', '-1', 'milliseconds from 0 to 900000'],
  ])('refuses %s=%j with one error naming the variable and the value', (name, text, range) => {
    expect(() => readServiceConfig({ [name]: text })).toThrow(
      new ServiceConfigError(`${name} must be a whole number of ${range}, not ${JSON.stringify(text)}`),
    );
  });
});

describe('RunFactsReaders', () => {
  it('shares one reader per recent run and forgets old runs', () => {
    let now = 0;
    const readers = new RunFactsReaders({ factory: {} as never, maxRuns: 2, maxAgeMs: 100, now: () => now });
    const first = readers.forRun('a');
    expect(readers.forRun('a')).toBe(first);
    readers.forRun('b');
    readers.forRun('c');
    expect(readers.forRun('a')).not.toBe(first);
    const second = readers.forRun('a');
    now = 100;
    expect(readers.forRun('a')).not.toBe(second);
  });
});

describe('streamChange()', () => {
  it('reads keys and images of a desired-state stream record', () => {
    expect(
      streamChange({
        eventID: 'ev',
        eventName: 'INSERT',
        dynamodb: {
          Keys: { bucket: { S: 'src' }, id: { S: 'x' } },
          NewImage: { bucket: { S: 'src' }, id: { S: 'x' }, mode: { S: 'detect' } },
          ApproximateCreationDateTime: 1767225600,
        },
      }),
    ).toEqual({
      changeId: 'ev',
      eventName: 'INSERT',
      bucket: 'src',
      id: 'x',
      time: '2026-01-01T00:00:00.000Z',
      newImage: { bucket: 'src', id: 'x', mode: 'detect' },
    });
  });

  it('refuses a record without the table keys', () => {
    expect(() => streamChange({ eventID: 'ev', dynamodb: { Keys: { pk: { S: 'x' } } } })).toThrow(
      /no bucket\/id keys/,
    );
  });
});
