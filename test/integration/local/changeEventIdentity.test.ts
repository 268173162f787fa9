import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { eventsAbout, latestEventId } from './controlEndpoints.js';
import { destinationGrant } from './deliveryScenario.js';
import {
  ACCOUNT_ID,
  credentials,
  localAws,
  region,
  s3Client,
  stsClient,
  uniqueBucket,
} from './localAwsClients.js';

const policyFor = (bucket: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [destinationGrant(bucket, 'some-source')] });

/** Creates a bucket and puts its policy with `s3`; resolves with the PutBucketPolicy event's userIdentity. */
async function identityOfPolicyPut(s3: S3Client) {
  const bucket = uniqueBucket('events-who');
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const since = await latestEventId();
  await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policyFor(bucket) }));
  const [event] = await eventsAbout(since, [bucket]);
  return event!.detail.userIdentity;
}

describe('who made a change (userIdentity of change events)', () => {
  it('names a role assumed through STS as AssumedRole, with the role as session issuer', async () => {
    const { Credentials } = await stsClient().send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/s3ir-reconcile`,
        RoleSessionName: 's3ir-run-7',
      }),
    );
    const reconciler = new S3Client({
      endpoint: localAws().endpoint,
      region,
      forcePathStyle: true,
      credentials: {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken!,
      },
    });
    expect(await identityOfPolicyPut(reconciler)).toMatchObject({
      type: 'AssumedRole',
      arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/s3ir-reconcile/s3ir-run-7`,
      principalId: expect.stringMatching(/^AROA[A-Z0-9]+:s3ir-run-7$/),
      accountId: ACCOUNT_ID,
      accessKeyId: Credentials!.AccessKeyId,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          arn: `arn:aws:iam::${ACCOUNT_ID}:role/s3ir-reconcile`,
          userName: 's3ir-reconcile',
        },
      },
    });
  });

  it('takes the principal from the x-s3ir-actor header when a caller sets it', async () => {
    const s3 = new S3Client({ endpoint: localAws().endpoint, region, credentials, forcePathStyle: true });
    s3.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { headers: Record<string, string> }).headers['x-s3ir-actor'] =
          'arn:aws:sts::123456789012:assumed-role/s3ir-reconcile/from-header';
        return next(args);
      },
      { step: 'build', name: 'actorHeader' },
    );
    expect(await identityOfPolicyPut(s3)).toMatchObject({
      type: 'AssumedRole',
      arn: 'arn:aws:sts::123456789012:assumed-role/s3ir-reconcile/from-header',
      accessKeyId: 'test',
      sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::123456789012:role/s3ir-reconcile' } },
    });
  });

  it('names the dummy test key as moto does: the IAM user moto', async () => {
    expect(await identityOfPolicyPut(s3Client())).toEqual({
      type: 'IAMUser',
      principalId: expect.any(String),
      arn: `arn:aws:sts::${ACCOUNT_ID}:user/moto`,
      accountId: ACCOUNT_ID,
      accessKeyId: 'test',
      userName: 'moto',
    });
  });
});
