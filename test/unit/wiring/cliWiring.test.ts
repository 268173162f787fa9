import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientFactory } from '../../../lib/adapters/aws/ClientFactory.js';
import { cliWiring } from '../../../lib/wiring/cliWiring.js';
import { targetBuckets } from '../../../lib/wiring/planBuckets.js';
import { readServiceConfig } from '../../../lib/wiring/serviceConfig.js';
import { serviceFactory } from '../../../lib/wiring/serviceFactory.js';
import { makeConfiguration } from '../../helpers/factories.js';

const documents = mockClient(DynamoDBDocumentClient);
const HOME = '111122223333';
let factory: ClientFactory;

beforeEach(() => documents.reset());
afterEach(() => factory?.destroy());

describe('cliWiring()', () => {
  it("shares one allowed-accounts resolution between `apply` and every bucket's reconcile", async () => {
    const config = readServiceConfig({ S3IR_ALLOWED_ACCOUNTS: '222233334444' });
    factory = serviceFactory(config, { homeAccount: HOME, region: 'us-east-1', env: {} });
    const cli = cliWiring(config, factory);
    expect(cli.factory).toBe(factory);
    expect(cli.config).toBe(config);
    const deps = cli.reconcileDepsFor({ bucket: 'src', runId: 'cli-1' });
    expect(deps.allowedAccounts).toBe(cli.allowedAccounts);
    // The member accounts' discovery (#18) asks the same allowed accounts, never a wider set.
    expect(cli.members.allowedAccounts).toBe(cli.allowedAccounts);
    expect(await cli.members.homeAccount()).toBe(HOME);
    expect(deps.desired).toBe(cli.desired);
    expect([...(await cli.allowedAccounts())].sort()).toEqual([HOME, '222233334444']);
    expect(cli.statusStep.status).toBe(cli.statuses);
    expect(cli).not.toHaveProperty('alertDispatch');
  });

  it('targets the buckets of the desired table (S3IR_DESIRED_TABLE) as the sweep does', async () => {
    documents.on(ScanCommand).resolves({
      Items: [
        { bucket: 'b-src', id: 'daily-csv', configuration: makeConfiguration() },
        { bucket: 'a-src', id: 'daily-csv', configuration: makeConfiguration() },
      ],
    });
    const config = readServiceConfig({ S3IR_DESIRED_TABLE: 'desired' });
    factory = serviceFactory(config, { homeAccount: HOME, region: 'us-east-1', env: {} });
    const cli = cliWiring(config, factory);
    expect(await targetBuckets(cli)).toEqual(['a-src', 'b-src']);
    expect(await targetBuckets(cli, ['named', 'named'])).toEqual(['named']);
    const tables = new Set(documents.commandCalls(ScanCommand).map((call) => call.args[0].input.TableName));
    expect([...tables]).toEqual(['desired']);
  });
});
