import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientFactory } from '../../../lib/adapters/aws/ClientFactory.js';
import { ClientAccountNotAllowedError } from '../../../lib/adapters/aws/errors.js';
import { readServiceConfig } from '../../../lib/wiring/serviceConfig.js';
import { serviceFactory } from '../../../lib/wiring/serviceFactory.js';

const sts = mockClient(STSClient);
const HOME = '111122223333';
const OTHER = '222233334444';
const credentials = {
  Credentials: {
    AccessKeyId: 'ASIAX',
    SecretAccessKey: 's',
    SessionToken: 't',
    Expiration: new Date(Date.now() + 3_600_000),
  },
};
const factories: ClientFactory[] = [];

beforeEach(() => sts.reset());
afterEach(() => {
  for (const factory of factories.splice(0)) factory.destroy();
});

function made(factory: ClientFactory): ClientFactory {
  factories.push(factory);
  return factory;
}

describe('serviceFactory()', () => {
  it('takes the allowed accounts from S3IR config into the service factory', async () => {
    sts.on(AssumeRoleCommand).resolves(credentials);
    const config = { ...readServiceConfig({}), allowedAccounts: [OTHER] };
    const factory = made(serviceFactory(config, { homeAccount: HOME, env: {} }));
    await expect(factory.canReach(OTHER)).resolves.toBe(true);
    await expect(factory.s3({ account: '999999999999' })).rejects.toBeInstanceOf(
      ClientAccountNotAllowedError,
    );
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.RoleArn)).toEqual([
      `arn:aws:iam::${OTHER}:role/s3ir-reconcile`,
    ]);
    const homeOnly = made(serviceFactory(readServiceConfig({}), { homeAccount: HOME, env: {} }));
    await expect(homeOnly.canReach(OTHER)).resolves.toBe(false);
  });

  it('assumes S3IR_CROSS_ACCOUNT_ROLE in other accounts, and lets the options override the config', async () => {
    sts.on(AssumeRoleCommand).resolves(credentials);
    const config = readServiceConfig({
      S3IR_CROSS_ACCOUNT_ROLE: 'custom-reconcile',
      S3IR_ALLOWED_ACCOUNTS: OTHER,
    });
    const factory = made(serviceFactory(config, { homeAccount: HOME, env: {}, region: 'eu-west-1' }));
    expect(factory.region).toBe('eu-west-1');
    await (await factory.kms({ account: OTHER })).config.credentials();
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.RoleArn)).toEqual([
      `arn:aws:iam::${OTHER}:role/custom-reconcile`,
    ]);
    const narrowed = made(serviceFactory(config, { homeAccount: HOME, env: {}, allowedAccounts: [] }));
    await expect(narrowed.canReach(OTHER)).resolves.toBe(false);
  });
});
