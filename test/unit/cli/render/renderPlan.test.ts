import { describe, expect, it } from 'vitest';
import { renderPlans, summaryLine } from '../../../../lib/cli/render/renderPlan.js';
import { plan } from '../../../../lib/core/reconcile/plan.js';
import type { Plan } from '../../../../lib/core/reconcile/types.js';
import { makeConfiguration } from '../../../helpers/factories.js';
import { makeBucketFacts, makeDesiredBucket } from '../../../helpers/reconcileFactories.js';

const emptyPlan = (bucket: string): Plan => ({
  bucket,
  account: '111122223333',
  region: 'us-east-1',
  drift: [],
  actions: [],
  findings: [],
});

describe('renderPlans()', () => {
  it('says there is nothing to do when every plan is empty', () => {
    expect(renderPlans([emptyPlan('a'), emptyPlan('b')])).toBe(
      'No changes. Every bucket matches its desired state.\n',
    );
  });

  it('shows creates with every field, updates field by field, deletes and the summary', () => {
    const desired = makeConfiguration({ Id: 'weekly', Schedule: { Frequency: 'Daily' } });
    const actual = makeConfiguration({ Id: 'weekly', Schedule: { Frequency: 'Weekly' } });
    const created = makeConfiguration({ Id: 'daily', OptionalFields: ['Size'] });
    const legacy = makeConfiguration({ Id: 'legacy' });
    const plan: Plan = {
      ...emptyPlan('photos'),
      drift: [
        { kind: 'missing', id: 'daily', desired: created },
        {
          kind: 'changed',
          id: 'weekly',
          desired,
          actual,
          fields: [{ path: 'Schedule.Frequency', desired: 'Daily', actual: 'Weekly' }],
        },
        { kind: 'unmanaged', id: 'legacy', actual: legacy },
      ],
      actions: [
        {
          kind: 'grant-destination',
          key: 'grant-destination:inventory-reports',
          mode: 'enforce',
          dependsOn: [],
          reason: 'allow S3 Inventory to deliver reports of photos',
          destinationBucket: 'inventory-reports',
          before: undefined,
          after: { Version: '2012-10-17', Statement: [] },
        },
        {
          kind: 'create-configuration',
          key: 'create-configuration:daily',
          mode: 'enforce',
          dependsOn: ['grant-destination:inventory-reports'],
          reason: 'declared, not present',
          id: 'daily',
          after: created,
        },
        {
          kind: 'update-configuration',
          key: 'update-configuration:weekly',
          mode: 'detect',
          dependsOn: [],
          reason: 'differs from its declaration',
          id: 'weekly',
          before: actual,
          after: desired,
          fields: [{ path: 'Schedule.Frequency', desired: 'Daily', actual: 'Weekly' }],
        },
        {
          kind: 'delete-configuration',
          key: 'delete-configuration:legacy',
          mode: 'enforce',
          dependsOn: [],
          reason: 'not declared, and the bucket opts into prune',
          id: 'legacy',
          before: legacy,
        },
      ],
    };
    expect(renderPlans([plan, emptyPlan('quiet')])).toBe(
      [
        'bucket "photos" (account 111122223333, us-east-1)',
        '  ~ destination policy "inventory-reports"',
        '      # allow S3 Inventory to deliver reports of photos',
        '  + inventory "daily"',
        '      + Destination.S3BucketDestination.Bucket = "arn:aws:s3:::inventory-reports"',
        '      + Destination.S3BucketDestination.Format = "CSV"',
        '      + Destination.S3BucketDestination.Prefix = "inventory"',
        '      + IsEnabled = true',
        '      + Id = "daily"',
        '      + IncludedObjectVersions = "Current"',
        '      + OptionalFields = ["Size"]',
        '      + Schedule.Frequency = "Daily"',
        '  ~ inventory "weekly" (detect only: not applied)',
        '      ~ Schedule.Frequency = "Weekly" -> "Daily"',
        '      # (7 unchanged fields hidden)',
        '  - inventory "legacy"',
        '      # not declared, and the bucket opts into prune',
        '',
        'Plan: 1 to create, 2 to update, 1 to delete, 0 needs action.',
        '',
      ].join('\n'),
    );
  });

  it('shows findings with their issues and the exact statement to add, and kept unmanaged configurations', () => {
    const plan: Plan = {
      ...emptyPlan('logs'),
      drift: [{ kind: 'unmanaged', id: 'by-hand', actual: makeConfiguration({ Id: 'by-hand' }) }],
      findings: [
        {
          kind: 'invalid-desired',
          configId: 'bad',
          message: 'logs/bad is invalid and was skipped',
          issues: [{ path: 'Schedule.Frequency', message: 'expected Daily | Weekly, got "Hourly"' }],
        },
        {
          kind: 'destination-grant-required',
          configId: 'daily',
          target: 'reports-444455556666',
          message: 'the owner of reports-444455556666 must allow delivery from logs',
          statement: { Sid: 'S3irInventoryDelivery', Effect: 'Allow', Action: 's3:PutObject' },
        },
      ],
    };
    expect(renderPlans([plan])).toBe(
      [
        'bucket "logs" (account 111122223333, us-east-1)',
        '  # inventory "by-hand" is not declared; kept because prune is off',
        '  ! invalid-desired: logs/bad is invalid and was skipped',
        '      Schedule.Frequency: expected Daily | Weekly, got "Hourly"',
        '  ! destination-grant-required: the owner of reports-444455556666 must allow delivery from logs',
        '      add this statement:',
        '        {',
        '          "Sid": "S3irInventoryDelivery",',
        '          "Effect": "Allow",',
        '          "Action": "s3:PutObject"',
        '        }',
        '',
        'Plan: 0 to create, 0 to update, 0 to delete, 2 needs action.',
        '',
      ].join('\n'),
    );
  });

  it('shows key policy changes, and fields an update adds or removes', () => {
    const { Prefix: _prefix, ...destination } = makeConfiguration().Destination!.S3BucketDestination!;
    const after = makeConfiguration({
      Id: 'x',
      Filter: { Prefix: 'logs/' },
      Destination: { S3BucketDestination: destination },
    });
    const keyArn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const plan: Plan = {
      ...emptyPlan('a'),
      actions: [
        {
          kind: 'grant-key',
          key: `grant-key:${keyArn}`,
          mode: 'enforce',
          dependsOn: [],
          reason: 'allow S3 Inventory to encrypt reports of a',
          keyArn,
          before: { Statement: [] },
          after: { Statement: [] },
        },
        {
          kind: 'update-configuration',
          key: 'update-configuration:x',
          mode: 'enforce',
          dependsOn: [],
          reason: 'differs',
          id: 'x',
          before: makeConfiguration({ Id: 'x' }),
          after,
          fields: [
            { path: 'Destination.S3BucketDestination.Prefix', desired: undefined, actual: 'inventory' },
            { path: 'Filter.Prefix', desired: 'logs/', actual: undefined },
          ],
        },
      ],
    };
    expect(renderPlans([plan])).toBe(
      [
        'bucket "a" (account 111122223333, us-east-1)',
        `  ~ key policy "${keyArn}"`,
        '      # allow S3 Inventory to encrypt reports of a',
        '  ~ inventory "x"',
        '      - Destination.S3BucketDestination.Prefix = "inventory"',
        '      + Filter.Prefix = "logs/"',
        '      # (7 unchanged fields hidden)',
        '',
        'Plan: 0 to create, 2 to update, 0 to delete, 0 needs action.',
        '',
      ].join('\n'),
    );
  });

  it('shows the sources a grant adds and a revoke removes, and a revoke that deletes the policy', () => {
    const ours = (arns: string | string[], accounts: string | string[] = '111122223333') => ({
      Sid: 'S3irInventoryDelivery',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: ['arn:aws:s3:::reports/*'],
      Condition: {
        ArnLike: { 'aws:SourceArn': arns },
        StringEquals: { 'aws:SourceAccount': accounts, 's3:x-amz-acl': 'bucket-owner-full-control' },
      },
    });
    const foreign = { Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
    const keyGrant = (arns: string[]) => ({
      Sid: 'S3irInventoryKeyGrant',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey'],
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceAccount': '111122223333' },
        ArnLike: { 'aws:SOURCEARN': arns },
      },
    });
    const keyArn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const base = { mode: 'enforce' as const, dependsOn: [] };
    const plan: Plan = {
      ...emptyPlan('photos'),
      actions: [
        {
          ...base,
          kind: 'grant-destination',
          key: 'grant-destination:reports',
          reason: 'new grant',
          destinationBucket: 'reports',
          before: { Statement: [foreign] },
          after: { Statement: [foreign, ours('arn:aws:s3:::photos')] },
        },
        {
          ...base,
          kind: 'grant-destination',
          key: 'grant-destination:shared',
          reason: 'one more source',
          destinationBucket: 'shared',
          before: { Statement: [ours('arn:aws:s3:::logs')] },
          after: {
            Statement: [ours(['arn:aws:s3:::logs', 'arn:aws:s3:::photos'], ['111122223333', '444455556666'])],
          },
        },
        {
          ...base,
          kind: 'grant-key',
          key: `grant-key:${keyArn}`,
          reason: 'key grant',
          keyArn,
          before: { Statement: [keyGrant(['arn:aws:s3:::logs'])] },
          after: { Statement: [keyGrant(['arn:aws:s3:::logs', 'arn:aws:s3:::photos'])] },
        },
        {
          ...base,
          kind: 'revoke-destination',
          key: 'revoke-destination:old',
          reason: 'no configuration delivers there',
          destinationBucket: 'old',
          before: { Statement: [foreign, ours(['arn:aws:s3:::logs', 'arn:aws:s3:::photos'])] },
          after: { Statement: [foreign, ours('arn:aws:s3:::logs')] },
        },
        {
          ...base,
          kind: 'revoke-destination',
          key: 'revoke-destination:gone',
          reason: 'no configuration delivers there',
          destinationBucket: 'gone',
          before: { Version: '2012-10-17', Statement: [ours('arn:aws:s3:::photos')] },
          after: undefined,
        },
      ],
    };
    expect(renderPlans([plan])).toBe(
      [
        'bucket "photos" (account 111122223333, us-east-1)',
        '  ~ destination policy "reports"',
        '      + aws:SourceArn arn:aws:s3:::photos',
        '      + aws:SourceAccount 111122223333',
        '      # new grant',
        '  ~ destination policy "shared"',
        '      + aws:SourceArn arn:aws:s3:::photos',
        '      + aws:SourceAccount 444455556666',
        '      # one more source',
        `  ~ key policy "${keyArn}"`,
        '      + aws:SourceArn arn:aws:s3:::photos',
        '      # key grant',
        '  ~ destination policy "old"',
        '      - aws:SourceArn arn:aws:s3:::photos',
        '      # no configuration delivers there',
        '  - destination policy "gone"',
        '      - aws:SourceArn arn:aws:s3:::photos',
        '      - aws:SourceAccount 111122223333',
        '      # no configuration delivers there',
        '      # deleted: it held only our statement',
        '',
        'Plan: 0 to create, 4 to update, 1 to delete, 0 needs action.',
        '',
      ].join('\n'),
    );
  });

  it('says when the statement replaces the one with our Sid instead of being added', () => {
    const plan: Plan = {
      ...emptyPlan('logs'),
      findings: [
        {
          kind: 'destination-grant-required',
          configId: 'daily',
          target: 'shared',
          message: 'its owner must put this statement in place of the one with Sid "S3irInventoryDelivery"',
          statement: { Sid: 'S3irInventoryDelivery', Effect: 'Allow' },
          replacesSid: 'S3irInventoryDelivery',
        },
      ],
    };
    expect(renderPlans([plan])).toBe(
      [
        'bucket "logs" (account 111122223333, us-east-1)',
        '  ! destination-grant-required: its owner must put this statement in place of the one with Sid "S3irInventoryDelivery"',
        '      put this statement in place of the one with Sid "S3irInventoryDelivery":',
        '        {',
        '          "Sid": "S3irInventoryDelivery",',
        '          "Effect": "Allow"',
        '        }',
        '',
        'Plan: 0 to create, 0 to update, 0 to delete, 1 needs action.',
        '',
      ].join('\n'),
    );
  });

  it('colours symbols only when asked', () => {
    const plan: Plan = {
      ...emptyPlan('photos'),
      actions: [
        {
          kind: 'delete-configuration',
          key: 'delete-configuration:x',
          mode: 'enforce',
          dependsOn: [],
          reason: 'pruned',
          id: 'x',
          before: makeConfiguration({ Id: 'x' }),
        },
      ],
    };
    expect(renderPlans([plan], { color: true })).toContain('\u001b[31m  - inventory "x"\u001b[39m');
    expect(renderPlans([plan])).not.toContain('\u001b[');
  });
});

describe('summaryLine()', () => {
  it('counts key and destination policy changes as updates', () => {
    const plan: Plan = {
      ...emptyPlan('a'),
      actions: [
        {
          kind: 'grant-key',
          key: 'grant-key:k',
          mode: 'enforce',
          dependsOn: [],
          reason: 'r',
          keyArn: 'k',
          before: { Statement: [] },
          after: { Statement: [] },
        },
      ],
    };
    expect(summaryLine([plan])).toBe('Plan: 0 to create, 1 to update, 0 to delete, 0 needs action.');
  });
});

describe('renderPlans() at the trust boundary', () => {
  it('shows a configuration refused at the boundary as ! with its reason, and nothing to create', () => {
    const configuration = makeConfiguration({
      Destination: {
        S3BucketDestination: { Bucket: 'arn:aws:s3:::loot', Format: 'CSV', AccountId: '999900001111' },
      },
    });
    const refused = plan(makeDesiredBucket([configuration]), [], makeBucketFacts());

    expect(renderPlans([refused])).toBe(
      [
        'bucket "source-bucket" (account 111122223333, us-east-1)',
        '  ! destination-not-allowed: Bucket source-bucket, configuration daily-csv: destination bucket loot is declared in account 999900001111 (AccountId), which is not in S3IR_ALLOWED_ACCOUNTS; nothing is put or granted for this configuration',
        '',
        'Plan: 0 to create, 0 to update, 0 to delete, 1 needs action.',
        '',
      ].join('\n'),
    );
  });
});
