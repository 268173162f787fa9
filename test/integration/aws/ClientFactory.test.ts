import {
  CreateBucketCommand,
  HeadBucketCommand,
  type ListBucketInventoryConfigurationsCommand,
  ListBucketsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClientFactory } from '../../../lib/adapters/aws/ClientFactory.js';
import { S3InventoryAdapter } from '../../../lib/adapters/aws/S3InventoryAdapter.js';
import { makeConfiguration } from '../../helpers/factories.js';
import {
  inBatches,
  LOCAL_HOME_ACCOUNT,
  LOCAL_OTHER_ACCOUNT,
  LOCAL_REGION,
  localEndpoint,
  localFactory,
  uniqueBucket,
} from './localFactory.js';

const factories: ClientFactory[] = [];
const track = (factory: ClientFactory) => {
  factories.push(factory);
  return factory;
};
afterEach(() => {
  for (const factory of factories.splice(0)) factory.destroy();
  vi.unstubAllEnvs();
});

describe('ClientFactory on the local AWS', () => {
  it('reaches the local AWS through AWS_ENDPOINT_URL alone (the SDK reads it), path-style for S3', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', localEndpoint());
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    vi.stubEnv('AWS_REGION', LOCAL_REGION);
    const factory = track(new ClientFactory({ maxAttempts: 2 }));
    await expect(factory.homeAccount()).resolves.toBe(LOCAL_HOME_ACCOUNT);
    const s3 = await factory.s3();
    expect(s3.config.forcePathStyle).toBe(true);
    await expect(s3.send(new ListBucketsCommand({}))).resolves.toHaveProperty(
      '$metadata.httpStatusCode',
      200,
    );
  });

  it('assumes s3ir-reconcile in another account with a session named after the run', async () => {
    const factory = track(localFactory({ runId: 'run-42' }));
    const sts = await factory.client(STSClient, { account: LOCAL_OTHER_ACCOUNT });
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe(LOCAL_OTHER_ACCOUNT);
    expect(identity.Arn).toBe(`arn:aws:sts::${LOCAL_OTHER_ACCOUNT}:assumed-role/s3ir-reconcile/s3ir-run-42`);
    await expect(factory.canReach(LOCAL_OTHER_ACCOUNT)).resolves.toBe(true);
  });

  it('keeps the accounts apart: a bucket made through the assumed role belongs to the other account', async () => {
    const factory = track(localFactory());
    const bucket = uniqueBucket('other-account');
    const theirs = await factory.s3({ account: LOCAL_OTHER_ACCOUNT });
    await theirs.send(new CreateBucketCommand({ Bucket: bucket }));
    const listed = await theirs.send(new ListBucketsCommand({}));
    expect(listed.Buckets?.map((entry) => entry.Name)).toContain(bucket);
    const ours = await (await factory.s3()).send(new ListBucketsCommand({}));
    expect(ours.Buckets?.map((entry) => entry.Name)).not.toContain(bucket);
  });

  it('pages ListBucketInventoryConfigurations 100 at a time with the tokens the server hands out', async () => {
    const factory = track(localFactory());
    const s3 = await factory.s3();
    const bucket = uniqueBucket('pages');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    const ids = Array.from({ length: 230 }, (_, n) => `p-${String(n).padStart(3, '0')}`);
    const writer = new S3InventoryAdapter({ client: s3 });
    await inBatches(ids, 8, (id) => writer.put(bucket, makeConfiguration({ Id: id })));

    const sent: { ContinuationToken?: string }[] = [];
    const pages: number[] = [];
    const counting = {
      send: async (command: ListBucketInventoryConfigurationsCommand) => {
        sent.push({ ...command.input });
        const output = await s3.send(command);
        pages.push(output.InventoryConfigurationList?.length ?? 0);
        return output;
      },
    } as unknown as S3Client;
    const listed = await new S3InventoryAdapter({ client: counting }).list(bucket);
    expect(listed.map((configuration) => configuration.Id)).toEqual(ids);
    expect(pages).toEqual([100, 100, 30]);
    expect(sent[0]!.ContinuationToken).toBeUndefined();
    expect(sent.slice(1).every((input) => typeof input.ContinuationToken === 'string')).toBe(true);
  });
});
