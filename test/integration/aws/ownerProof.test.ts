import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsFactsReader } from '../../../lib/adapters/aws/AwsFactsReader.js';
import type { ClientFactory } from '../../../lib/adapters/aws/ClientFactory.js';
import { S3BucketPolicyAdapter } from '../../../lib/adapters/aws/S3BucketPolicyAdapter.js';
import { ensureDelivery } from '../../../lib/core/policy/ensureDelivery.js';
import {
  LOCAL_HOME_ACCOUNT as HOME,
  localFactory,
  LOCAL_OTHER_ACCOUNT as OTHER,
  uniqueBucket,
} from './localFactory.js';

// Needs the local AWS to enforce ExpectedBucketOwner on HeadBucket and the bucket policy calls, as AWS does
// (403 AccessDenied for another owner): moto alone ignores the header there.
let factory: ClientFactory;
const names = {
  src: uniqueBucket('owner-src'),
  mine: uniqueBucket('owner-mine'),
  theirs: uniqueBucket('owner-theirs'),
};
const grant = (bucket: string) =>
  ensureDelivery(
    undefined,
    {
      sourceBucket: names.src,
      sourceAccount: HOME,
      partition: 'aws',
      destinationBucket: bucket,
      configurationId: 'x',
    },
    'destination-policy',
  ).document!;

beforeAll(async () => {
  factory = localFactory({ runId: 'owner-proof-it' });
  const s3 = await factory.s3();
  for (const Bucket of [names.src, names.mine]) await s3.send(new CreateBucketCommand({ Bucket }));
  await (await factory.s3({ account: OTHER })).send(new CreateBucketCommand({ Bucket: names.theirs }));
});
afterAll(() => factory.destroy());

describe('owner proof on the local AWS', () => {
  it.each([
    ['first read (HeadBucket and GetBucketPolicy)', undefined],
    ['steady state (GetBucketPolicy alone)', 'us-east-1'],
  ])('does not verify a bucket another account owns: %s', async (_, region) => {
    const facts = await new AwsFactsReader({ factory }).read({
      bucket: names.src,
      region: 'us-east-1',
      destinations: [
        // Named without AccountId: the candidate is the source's account, but OTHER owns it.
        { bucket: names.theirs, ...(region && { region }) },
        // Named with OTHER's AccountId, but the home account owns it.
        { bucket: names.mine, account: OTHER, ...(region && { region }) },
      ],
      keys: [],
    });
    expect(facts.destinations[names.theirs]).toMatchObject({
      exists: true,
      account: HOME,
      ownerVerified: false,
      writable: false,
      policy: { state: 'unreadable' },
    });
    expect(facts.destinations[names.mine]).toMatchObject({
      exists: true,
      account: OTHER,
      ownerVerified: false,
      writable: false,
    });
  });

  it('refuses a policy write to a bucket that changed hands (403), leaving its policy alone', async () => {
    const wrong = new S3BucketPolicyAdapter({ client: await factory.s3(), expectedBucketOwner: HOME });
    await expect(wrong.put(names.theirs, grant(names.theirs))).rejects.toMatchObject({
      name: 'AccessDeniedError',
    });
    await expect(wrong.delete(names.theirs)).rejects.toMatchObject({ name: 'AccessDeniedError' });
    const owner = new S3BucketPolicyAdapter({
      client: await factory.s3({ account: OTHER }),
      expectedBucketOwner: OTHER,
    });
    await expect(owner.get(names.theirs)).resolves.toBeUndefined();
  });
});
