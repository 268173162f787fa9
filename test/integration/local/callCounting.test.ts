import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketInventoryConfigurationsCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import {
  callCounts,
  dynamoDbClient,
  localAws,
  s3Client,
  stsClient,
  uniqueBucket,
} from './localAwsClients.js';

// Other test files may run at the same time and share the counters, so exact counts are asserted
// only for operations no other file calls (policy, location, objects, sts), and as deltas.
const delta = (before: Record<string, number>, after: Record<string, number>, name: string) =>
  (after[name] ?? 0) - (before[name] ?? 0);

describe('local AWS gateway: call counts (GET /_local/calls, POST /_local/calls/reset)', () => {
  it('counts every call by service.Operation, S3 operations from method, path and subresource', async () => {
    const s3 = s3Client();
    const bucket = uniqueBucket('counted');
    const before = await callCounts();

    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/b.txt', Body: 'hello' }));
    await s3
      .send(new GetObjectCommand({ Bucket: bucket, Key: 'a/b.txt' }))
      .then((o) => o.Body?.transformToString());
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'a/b.txt' }));
    await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    await s3.send(new GetBucketLocationCommand({ Bucket: bucket }));
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${bucket}/*`,
        },
      ],
    };
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
    const { Policy } = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    expect(JSON.parse(Policy!)).toMatchObject({ Statement: [{ Action: 's3:PutObject' }] });
    await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    await s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: bucket }));
    await dynamoDbClient().send(
      new PutItemCommand({
        TableName: localAws().env.S3IR_DESIRED_TABLE!,
        Item: { bucket: { S: bucket }, id: { S: 'x' } },
      }),
    );
    await stsClient().send(new GetCallerIdentityCommand({}));

    const after = await callCounts();
    const exact = {
      's3.PutObject': 1,
      's3.GetObject': 1,
      's3.HeadObject': 1,
      's3.ListObjectsV2': 1,
      's3.GetBucketLocation': 1,
      's3.PutBucketPolicy': 1,
      's3.GetBucketPolicy': 2,
      'sts.GetCallerIdentity': 1,
    };
    for (const [name, count] of Object.entries(exact))
      expect({ name, count: delta(before, after, name) }).toEqual({ name, count });
    for (const name of ['s3.CreateBucket', 's3.ListBucketInventoryConfigurations', 'dynamodb.PutItem']) {
      expect(delta(before, after, name)).toBeGreaterThanOrEqual(1);
    }
    expect(Object.keys(after).every((name) => /^[a-z0-9-]+\.[A-Za-z0-9]+$/.test(name))).toBe(true);
  });

  it('resets the counts with POST /_local/calls/reset, and does not count its own endpoints', async () => {
    await stsClient().send(new GetCallerIdentityCommand({}));
    expect((await callCounts())['sts.GetCallerIdentity']).toBeGreaterThanOrEqual(1);

    const reset = await fetch(`${localAws().endpoint}/_local/calls/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);

    const after = await callCounts();
    expect(after['sts.GetCallerIdentity']).toBeUndefined();
    expect(Object.keys(after).some((name) => name.includes('_local'))).toBe(false);
  });
});
