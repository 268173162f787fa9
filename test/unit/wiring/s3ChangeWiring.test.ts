import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { s3ChangeWiring } from '../../../lib/wiring/s3ChangeWiring.js';
import { readServiceConfig } from '../../../lib/wiring/serviceConfig.js';
import { serviceFactory } from '../../../lib/wiring/serviceFactory.js';
import { makeConfiguration } from '../../helpers/factories.js';

const documents = mockClient(DynamoDBDocumentClient);
const config = readServiceConfig({
  S3IR_DESIRED_TABLE: 'desired',
  S3IR_RECONCILE_ROLE_ARN: 'arn:aws:iam::111122223333:role/s3ir-reconcile-fn',
  S3IR_CROSS_ACCOUNT_ROLE: 'member-role',
});
const factory = serviceFactory(config, { homeAccount: '111122223333', region: 'us-east-1', env: {} });

beforeEach(() => documents.reset());
afterEach(() => factory.destroy());

describe('s3ChangeWiring()', () => {
  it('names our own roles: the reconcile role and the role assumed in every other account', () => {
    expect(s3ChangeWiring(config, factory).ownRoles).toEqual([
      'arn:aws:iam::111122223333:role/s3ir-reconcile-fn',
      'arn:aws:iam::*:role/member-role',
    ]);
    const { reconcileRoleArn: _unset, ...noRole } = config;
    expect(s3ChangeWiring(noRole, factory).ownRoles).toEqual(['arn:aws:iam::*:role/member-role']);
  });

  it('indexes the desired table by destination with one Scan for a burst of events', async () => {
    documents.on(ScanCommand).resolves({
      Items: [{ bucket: 'src', id: 'daily-csv', configuration: makeConfiguration() }],
    });
    const deps = s3ChangeWiring(config, factory);
    expect(Object.keys(deps).sort()).toEqual(['buckets', 'desiredIndex', 'ownRoles', 'queue']);
    const index = await deps.desiredIndex();
    expect([...index.byDestination.get('inventory-reports')!]).toEqual(['src']);
    expect(await deps.desiredIndex()).toBe(index);
    const scanned = new Set(documents.commandCalls(ScanCommand).map((call) => call.args[0].input.TableName));
    expect([...scanned]).toEqual(['desired']);
    // One parallel Scan (its segments), not one per event.
    const segments = documents.commandCalls(ScanCommand).map((call) => call.args[0].input.Segment);
    expect(new Set(segments).size).toBe(segments.length);
  });
});
