import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import type { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientFactory } from '../../../../lib/adapters/aws/ClientFactory.js';
import { AccessDeniedError, ClientAccountNotAllowedError } from '../../../../lib/adapters/aws/errors.js';
import { stsError } from './sdkErrors.js';

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
let factory: ClientFactory;

beforeEach(() => sts.reset());
afterEach(() => factory?.destroy());

/** The options a NodeHttpHandler was built with (resolved lazily by the SDK). */
async function handlerConfig(client: S3Client | KMSClient): Promise<Record<string, unknown>> {
  return (client.config.requestHandler as unknown as { configProvider: Promise<Record<string, unknown>> })
    .configProvider;
}

describe('ClientFactory clients', () => {
  it('caches clients by (service, account, region)', async () => {
    factory = new ClientFactory({
      homeAccount: HOME,
      region: 'us-east-1',
      env: {},
      allowedAccounts: [OTHER],
    });
    const a = await factory.s3();
    expect(await factory.s3({ account: HOME, region: 'us-east-1' })).toBe(a);
    expect(await factory.s3({ region: 'eu-west-1' })).not.toBe(a);
    expect(await factory.s3({ account: OTHER })).not.toBe(a);
    expect(await factory.s3({ account: OTHER })).toBe(
      await factory.s3({ account: OTHER, region: 'us-east-1' }),
    );
    expect(await factory.kms()).toBeInstanceOf(KMSClient);
    expect(await factory.kms()).not.toBe(a);
    expect(await factory.client(DynamoDBClient)).toBeInstanceOf(DynamoDBClient);
    expect(await factory.client(SNSClient)).toBeInstanceOf(SNSClient);
    const sqs = await factory.client(SQSClient, { region: 'eu-west-1' });
    expect(sqs).toBeInstanceOf(SQSClient);
    expect(await factory.client(SQSClient, { region: 'eu-west-1' })).toBe(sqs);
    expect(await sqs.config.region()).toBe('eu-west-1');
  });

  it('makes the SNS, SQS, tagging, KMS and STS clients, each cached by scope', async () => {
    factory = new ClientFactory({ homeAccount: HOME, region: 'us-east-1', env: {} });
    const sns = await factory.sns();
    const sqs = await factory.sqs({ region: 'eu-west-1' });
    const tagging = await factory.tagging({ region: 'ap-south-1' });
    const sts = await factory.sts();

    expect(sns).toBeInstanceOf(SNSClient);
    expect(await factory.sns({ account: HOME, region: 'us-east-1' })).toBe(sns);
    expect(sqs).toBeInstanceOf(SQSClient);
    expect(await factory.sqs({ region: 'eu-west-1' })).toBe(sqs);
    expect(await factory.client(SQSClient, { region: 'eu-west-1' })).toBe(sqs);
    expect(tagging).toBeInstanceOf(ResourceGroupsTaggingAPIClient);
    expect(await tagging.config.region()).toBe('ap-south-1');
    expect(await factory.tagging({ region: 'ap-south-1' })).toBe(tagging);
    expect(await factory.tagging()).not.toBe(tagging);
    expect(sts).toBeInstanceOf(STSClient);
    expect(await factory.sts()).toBe(sts);
    expect(await (await factory.sts('eu-west-1')).config.region()).toBe('eu-west-1');
  });

  it('configures adaptive retries, maxAttempts and timeouts that throw', async () => {
    factory = new ClientFactory({
      homeAccount: HOME,
      env: {},
      maxAttempts: 7,
      requestTimeoutMs: 1234,
      connectionTimeoutMs: 567,
    });
    const s3 = await factory.s3();
    expect(s3.config.retryMode).toBe('adaptive');
    expect(await s3.config.maxAttempts()).toBe(7);
    expect(await handlerConfig(s3)).toMatchObject({
      requestTimeout: 1234,
      connectionTimeout: 567,
      throwOnRequestTimeout: true,
    });
    const defaults = new ClientFactory({ homeAccount: HOME, env: {} });
    const kms = await defaults.kms();
    expect(kms.config.retryMode).toBe('adaptive');
    expect(await kms.config.maxAttempts()).toBe(5);
    expect(await handlerConfig(kms)).toMatchObject({ requestTimeout: 30_000, connectionTimeout: 5_000 });
    defaults.destroy();
  });

  it('uses path-style S3 when AWS_ENDPOINT_URL is set, and leaves the endpoint itself to the SDK', async () => {
    factory = new ClientFactory({ homeAccount: HOME, env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' } });
    const s3 = await factory.s3();
    expect(s3.config.forcePathStyle).toBe(true);
    expect(s3.config.followRegionRedirects).toBe(true);
    const plain = new ClientFactory({ homeAccount: HOME, env: {} });
    expect((await plain.s3()).config.forcePathStyle).toBe(false);
    plain.destroy();
  });

  it('passes an explicit endpoint to every client', async () => {
    factory = new ClientFactory({ homeAccount: HOME, env: {}, endpoint: 'http://127.0.0.1:9999' });
    const s3 = await factory.s3();
    expect(s3.config.forcePathStyle).toBe(true);
    expect(s3.config.isCustomEndpoint).toBe(true);
    expect((await factory.kms()).config.isCustomEndpoint).toBe(true);
    // Path style and region redirects are S3's alone.
    expect((await factory.kms()).config).not.toHaveProperty('forcePathStyle');
    expect((await factory.sns()).config).not.toHaveProperty('followRegionRedirects');
  });

  it('takes the default region from the options, then AWS_REGION, then us-east-1', () => {
    expect(new ClientFactory({ region: 'eu-west-3', env: { AWS_REGION: 'x' } }).region).toBe('eu-west-3');
    expect(new ClientFactory({ env: { AWS_REGION: 'ap-south-1' } }).region).toBe('ap-south-1');
    expect(new ClientFactory({ env: { AWS_DEFAULT_REGION: 'ca-central-1' } }).region).toBe('ca-central-1');
    expect(new ClientFactory({ env: {} }).region).toBe('us-east-1');
  });

  it('reaches a key in the account and region of its ARN', async () => {
    factory = new ClientFactory({ homeAccount: HOME, env: {} });
    const kms = await factory.kmsForKey(`arn:aws:kms:eu-west-1:${HOME}:key/abc`);
    expect(await kms.config.region()).toBe('eu-west-1');
    expect(await factory.kms({ account: HOME, region: 'eu-west-1' })).toBe(kms);
  });
});

describe('ClientFactory accounts', () => {
  it('learns the home account once with GetCallerIdentity', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: HOME });
    factory = new ClientFactory({ env: {} });
    const all = await Promise.all(Array.from({ length: 5 }, () => factory.homeAccount()));
    await factory.s3();
    expect(all).toEqual(Array(5).fill(HOME));
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);
  });

  it('makes home-account clients without asking STS who it is, and learns it once an account is named', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: HOME });
    factory = new ClientFactory({ env: {} });
    const s3 = await factory.s3();
    await factory.client(DynamoDBClient);
    await factory.sqs();
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(0);

    expect(await factory.s3({ account: HOME })).toBe(s3);
    expect(await factory.sqs({ account: HOME })).toBe(await factory.sqs());
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);
  });

  it('answers GetCallerIdentity with the home credentials, mapping its errors', async () => {
    const identity = { Account: HOME, Arn: `arn:aws:iam::${HOME}:user/ops`, UserId: 'AIDA' };
    sts.on(GetCallerIdentityCommand).resolvesOnce(identity).rejects(stsError('ExpiredToken', 400));
    factory = new ClientFactory({ env: {} });
    await expect(factory.callerIdentity()).resolves.toMatchObject(identity);
    await expect(factory.callerIdentity()).rejects.toMatchObject({
      name: 'AwsAdapterError',
      code: 'ExpiredToken',
      message: 'GetCallerIdentity: ExpiredToken message',
    });
  });

  it('refuses an identity without an account', async () => {
    sts.on(GetCallerIdentityCommand).resolves({});
    factory = new ClientFactory({ env: {} });
    await expect(factory.homeAccount()).rejects.toMatchObject({ code: 'InvalidIdentity' });
  });

  it('asks again after a failed GetCallerIdentity', async () => {
    sts.on(GetCallerIdentityCommand).rejectsOnce(stsError('ExpiredToken', 400)).resolves({ Account: HOME });
    factory = new ClientFactory({ env: {} });
    await expect(factory.homeAccount()).rejects.toMatchObject({ code: 'ExpiredToken' });
    await expect(factory.homeAccount()).resolves.toBe(HOME);
  });

  it('reaches another account by assuming arn:aws:iam::{account}:role/s3ir-reconcile, once per account', async () => {
    sts.on(AssumeRoleCommand).resolves(credentials);
    factory = new ClientFactory({ homeAccount: HOME, runId: 'run-7', env: {}, allowedAccounts: [OTHER] });
    const s3 = await factory.s3({ account: OTHER });
    const kms = await factory.kms({ account: OTHER, region: 'eu-west-1' });
    await expect(s3.config.credentials()).resolves.toMatchObject({ accessKeyId: 'ASIAX', sessionToken: 't' });
    await kms.config.credentials();
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input)).toEqual([
      {
        RoleArn: `arn:aws:iam::${OTHER}:role/s3ir-reconcile`,
        RoleSessionName: 's3ir-run-7',
        DurationSeconds: 3600,
      },
    ]);
  });

  it('takes the role name from the options and the partition from the region', () => {
    factory = new ClientFactory({
      homeAccount: HOME,
      crossAccountRoleName: 'custom',
      region: 'cn-north-1',
      env: {},
    });
    expect(factory.roleArn(OTHER)).toBe(`arn:aws-cn:iam::${OTHER}:role/custom`);
  });

  it('does not assume anything for the home account', async () => {
    factory = new ClientFactory({ homeAccount: HOME, env: { AWS_ACCESS_KEY_ID: 'x' } });
    await expect(factory.canReach(HOME)).resolves.toBe(true);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });

  it('tells whether an account can be reached', async () => {
    sts.on(AssumeRoleCommand, { RoleArn: `arn:aws:iam::${OTHER}:role/s3ir-reconcile` }).resolves(credentials);
    sts
      .on(AssumeRoleCommand, { RoleArn: 'arn:aws:iam::999999999999:role/s3ir-reconcile' })
      .rejects(stsError('AccessDenied'));
    sts
      .on(AssumeRoleCommand, { RoleArn: 'arn:aws:iam::888888888888:role/s3ir-reconcile' })
      .rejects(stsError('Throttling', 400));
    factory = new ClientFactory({
      homeAccount: HOME,
      env: {},
      allowedAccounts: [OTHER, '999999999999', '888888888888'],
    });
    await expect(factory.canReach(OTHER)).resolves.toBe(true);
    await expect(factory.canReach('999999999999')).resolves.toBe(false);
    await expect(factory.canReach('888888888888')).rejects.toMatchObject({ name: 'ThrottledError' });
  });

  it('refuses accounts outside allowedAccounts with ClientAccountNotAllowedError, never calling STS', async () => {
    sts.on(AssumeRoleCommand).resolves(credentials);
    factory = new ClientFactory({ homeAccount: HOME, allowedAccounts: [OTHER], env: {} });
    expect(factory.mayAssumeInto(OTHER)).toBe(true);
    expect(factory.mayAssumeInto('999999999999')).toBe(false);
    await expect(factory.canReach('999999999999')).resolves.toBe(false);
    const refused = factory.s3({ account: '999999999999' });
    await expect(refused).rejects.toBeInstanceOf(ClientAccountNotAllowedError);
    await expect(refused).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(refused).rejects.toMatchObject({ code: 'AccountNotAllowed', account: '999999999999' });
    await expect(factory.kms({ account: '999999999999' })).rejects.toBeInstanceOf(
      ClientAccountNotAllowedError,
    );
    await expect(factory.client(DynamoDBClient, { account: '999999999999' })).rejects.toBeInstanceOf(
      ClientAccountNotAllowedError,
    );
    await expect(factory.kmsForKey('arn:aws:kms:us-east-1:999999999999:key/k')).rejects.toBeInstanceOf(
      ClientAccountNotAllowedError,
    );
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });

  it('allows the home account alone when no allowedAccounts are given: no AssumeRole anywhere', async () => {
    sts.on(AssumeRoleCommand).resolves(credentials);
    factory = new ClientFactory({ homeAccount: HOME, env: {} });
    expect(factory.mayAssumeInto(OTHER)).toBe(false);
    await expect(factory.canReach(HOME)).resolves.toBe(true);
    await expect(factory.canReach(OTHER)).resolves.toBe(false);
    await expect(factory.s3({ account: OTHER })).rejects.toBeInstanceOf(ClientAccountNotAllowedError);
    await expect(factory.s3({ account: HOME })).resolves.toBe(await factory.s3());
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });

  it('assumes into each account at most once per credential lifetime, however many clients and calls (#18)', async () => {
    const third = '333344445555';
    sts.on(AssumeRoleCommand).resolves(credentials);
    factory = new ClientFactory({ homeAccount: HOME, env: {}, allowedAccounts: [OTHER, third] });
    for (let bucket = 0; bucket < 50; bucket++) {
      for (const account of [OTHER, third]) {
        const region = bucket % 2 === 0 ? 'us-east-1' : 'eu-west-1';
        await (await factory.s3({ account, region })).config.credentials();
        await (await factory.tagging({ account, region })).config.credentials();
        await (await factory.kms({ account, region })).config.credentials();
      }
    }
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.RoleArn)).toEqual([
      `arn:aws:iam::${OTHER}:role/s3ir-reconcile`,
      `arn:aws:iam::${third}:role/s3ir-reconcile`,
    ]);
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(0);
  });

  it('allows the accounts resolveAllowedAccounts gives (the organization), asking before any AssumeRole (#18)', async () => {
    sts.on(AssumeRoleCommand).resolves(credentials);
    const member = '444455556666';
    let resolved = new Set([member]);
    factory = new ClientFactory({ homeAccount: HOME, env: {}, resolveAllowedAccounts: async () => resolved });
    await expect(factory.canReach(member)).resolves.toBe(true);
    await expect(factory.s3({ account: member })).resolves.toBeDefined();
    await expect(factory.s3({ account: OTHER })).rejects.toBeInstanceOf(ClientAccountNotAllowedError);
    resolved = new Set(); // the account left the organization: no new client for it
    await expect(factory.s3({ account: member, region: 'eu-west-1' })).rejects.toBeInstanceOf(
      ClientAccountNotAllowedError,
    );
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.RoleArn)).toEqual([
      `arn:aws:iam::${member}:role/s3ir-reconcile`,
    ]);
  });

  it('builds fresh clients after destroy()', async () => {
    factory = new ClientFactory({ homeAccount: HOME, env: {} });
    const before = await factory.s3();
    factory.destroy();
    expect(await factory.s3()).not.toBe(before);
  });
});

describe('ClientFactory role per purpose', () => {
  it('assumes s3ir-read for purpose read and s3ir-reconcile otherwise, with separate credentials', async () => {
    sts.on(AssumeRoleCommand).resolves(credentials);
    factory = new ClientFactory({ homeAccount: HOME, allowedAccounts: [OTHER], env: {} });
    const write = await factory.s3({ account: OTHER });
    const read = await factory.s3({ account: OTHER, purpose: 'read' });
    expect(read).not.toBe(write);
    await write.config.credentials();
    await read.config.credentials();
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.RoleArn)).toEqual([
      `arn:aws:iam::${OTHER}:role/s3ir-reconcile`,
      `arn:aws:iam::${OTHER}:role/s3ir-read`,
    ]);
    expect(factory.roleArn(OTHER, 'read')).toBe(`arn:aws:iam::${OTHER}:role/s3ir-read`);
  });
});
