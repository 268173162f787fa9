import { describe, expect, it } from 'vitest';
import { accountIssues, placeIssues } from '../../../../lib/core/desired/accountIssues.js';
import { loadDesiredFile } from '../../../../lib/core/desired/loadDesiredFile.js';

const TEXT = [
  'version: 1',
  'buckets:',
  '  partner-logs:',
  '    account: "999900001111"',
  '    inventories: []',
  '  home-logs:',
  '    inventories:',
  '      - Id: daily',
  '        IsEnabled: true',
  '        IncludedObjectVersions: Current',
  '        Schedule: { Frequency: Daily }',
  '        Destination:',
  '          S3BucketDestination: { Bucket: "arn:aws:s3:::reports", Format: CSV, AccountId: "888800002222" }',
  'templates:',
  '  - name: everything',
  '    match: { names: ["*"] }',
  '    inventories:',
  '      - Id: all',
  '        IsEnabled: true',
  '        IncludedObjectVersions: Current',
  '        Schedule: { Frequency: Daily }',
  '        Destination:',
  '          S3BucketDestination: { Bucket: "arn:aws:s3:::sink", Format: CSV, AccountId: "111122223333" }',
  '',
].join('\n');

describe('accountIssues()', () => {
  const loaded = loadDesiredFile(TEXT, 'accounts.yaml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));

  it('names every bucket account and destination AccountId outside the allowed accounts, with its place', () => {
    const issues = accountIssues(loaded.file, new Set(['111122223333']));

    expect(placeIssues('accounts.yaml', loaded.locate, issues)).toEqual([
      {
        file: 'accounts.yaml',
        line: 4,
        column: 5,
        path: 'buckets.partner-logs.account',
        message:
          'account 999900001111 is not in S3IR_ALLOWED_ACCOUNTS (111122223333): the service would do nothing for this bucket',
      },
      {
        file: 'accounts.yaml',
        line: 13,
        column: 79,
        path: 'buckets.home-logs.inventories[0].Destination.S3BucketDestination.AccountId',
        message:
          'destination AccountId 888800002222 is not in S3IR_ALLOWED_ACCOUNTS (111122223333): the service would never put it',
      },
    ]);
  });

  it('finds nothing when every named account is allowed', () => {
    expect(accountIssues(loaded.file, new Set(['111122223333', '888800002222', '999900001111']))).toEqual([]);
  });
});
