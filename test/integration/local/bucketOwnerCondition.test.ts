import {
  CopyObjectCommand,
  CreateBucketCommand,
  GetBucketInventoryConfigurationCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_ID, s3Client, uniqueBucket } from './localAwsClients.js';

/** An account other than the default one: moto keeps its buckets apart (`x-moto-account-id`). */
const OTHER_ACCOUNT = '210987654321';

/** An S3 client of the local AWS acting in `account`. */
function s3In(account: string): S3Client {
  const client = s3Client();
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers['x-moto-account-id'] = account;
      return next(args);
    },
    { step: 'build', name: 'motoAccount' },
  );
  return client;
}

/** What a call answered: 'ok', or the HTTP status and error name. */
async function outcome(send: () => Promise<unknown>): Promise<string> {
  try {
    await send();
    return 'ok';
  } catch (error) {
    const { name, $metadata } = error as { name: string; $metadata?: { httpStatusCode?: number } };
    return `${$metadata?.httpStatusCode ?? 'no status'} ${name}`;
  }
}

/** `403 …` whatever name the SDK gives a bodyless HEAD error. */
const statusOf = (answer: string) => answer.split(' ')[0];

describe('S3 bucket owner condition (x-amz-expected-bucket-owner) on every S3 call, as AWS enforces it', () => {
  const s3 = s3Client();
  const other = s3In(OTHER_ACCOUNT);
  const ours = uniqueBucket('owner-ours');
  const theirs = uniqueBucket('owner-theirs');
  const policy = (bucket: string) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    });

  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: ours }));
    await other.send(new CreateBucketCommand({ Bucket: theirs }));
    await s3.send(new PutObjectCommand({ Bucket: ours, Key: 'a.txt', Body: 'a' }));
    await other.send(new PutObjectCommand({ Bucket: theirs, Key: 'b.txt', Body: 'b' }));
  });

  it('lets every call through when the expected owner owns the bucket, in either account', async () => {
    const answers = await Promise.all([
      outcome(() => s3.send(new HeadBucketCommand({ Bucket: ours, ExpectedBucketOwner: ACCOUNT_ID }))),
      outcome(() => s3.send(new ListObjectsV2Command({ Bucket: ours, ExpectedBucketOwner: ACCOUNT_ID }))),
      outcome(() =>
        s3.send(new HeadObjectCommand({ Bucket: ours, Key: 'a.txt', ExpectedBucketOwner: ACCOUNT_ID })),
      ),
      outcome(() =>
        other.send(new HeadBucketCommand({ Bucket: theirs, ExpectedBucketOwner: OTHER_ACCOUNT })),
      ),
      outcome(() =>
        other.send(
          new GetObjectCommand({ Bucket: theirs, Key: 'b.txt', ExpectedBucketOwner: OTHER_ACCOUNT }),
        ),
      ),
    ]);
    expect(answers).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
  });

  it('refuses every call on a bucket of another owner with 403 AccessDenied, and writes nothing', async () => {
    const expectOther = { ExpectedBucketOwner: OTHER_ACCOUNT };
    const answers = await Promise.all([
      outcome(() => s3.send(new ListObjectsV2Command({ Bucket: ours, ...expectOther }))),
      outcome(() => s3.send(new GetObjectCommand({ Bucket: ours, Key: 'a.txt', ...expectOther }))),
      outcome(() => s3.send(new PutObjectCommand({ Bucket: ours, Key: 'x.txt', Body: 'x', ...expectOther }))),
      outcome(() =>
        s3.send(new PutBucketPolicyCommand({ Bucket: ours, Policy: policy(ours), ...expectOther })),
      ),
      outcome(() =>
        s3.send(new GetBucketInventoryConfigurationCommand({ Bucket: ours, Id: 'none', ...expectOther })),
      ),
      // The service's own view: our account's id on the other account's bucket.
      outcome(() => s3.send(new GetBucketPolicyCommand({ Bucket: theirs, ExpectedBucketOwner: ACCOUNT_ID }))),
    ]);
    expect(answers).toEqual(Array(6).fill('403 AccessDenied'));
    const [head, headObject] = await Promise.all([
      outcome(() => s3.send(new HeadBucketCommand({ Bucket: ours, ...expectOther }))),
      outcome(() => s3.send(new HeadObjectCommand({ Bucket: ours, Key: 'a.txt', ...expectOther }))),
    ]);
    expect([head, headObject].map(statusOf)).toEqual(['403', '403']);
    expect(await outcome(() => s3.send(new HeadObjectCommand({ Bucket: ours, Key: 'x.txt' })))).toMatch(
      /^404 /,
    );
    expect(await outcome(() => s3.send(new GetBucketPolicyCommand({ Bucket: ours })))).toBe(
      '404 NoSuchBucketPolicy',
    );
  });

  it('refuses an expected owner that is not 12 digits with 400 InvalidBucketOwnerAWSAccountID', async () => {
    const answers = await Promise.all(
      ['12345', '1234567890123', 'abcdefghijkl', ''].map((ExpectedBucketOwner) =>
        outcome(() => s3.send(new ListObjectsV2Command({ Bucket: ours, ExpectedBucketOwner }))),
      ),
    );
    expect(answers).toEqual(Array(4).fill('400 InvalidBucketOwnerAWSAccountID'));
  });

  it('checks the copy source against x-amz-source-expected-bucket-owner', async () => {
    const copy = (ExpectedSourceBucketOwner: string) =>
      outcome(() =>
        s3.send(
          new CopyObjectCommand({
            Bucket: ours,
            Key: 'copy.txt',
            CopySource: `${ours}/a.txt`,
            ExpectedBucketOwner: ACCOUNT_ID,
            ExpectedSourceBucketOwner,
          }),
        ),
      );
    expect(await copy(OTHER_ACCOUNT)).toBe('403 AccessDenied');
    expect(await copy(ACCOUNT_ID)).toBe('ok');
  });

  it('answers a missing bucket with 404 NoSuchBucket, and ignores the condition on CreateBucket', async () => {
    const missing = uniqueBucket('owner-missing');
    expect(
      await outcome(() =>
        s3.send(new ListObjectsV2Command({ Bucket: missing, ExpectedBucketOwner: OTHER_ACCOUNT })),
      ),
    ).toBe('404 NoSuchBucket');
    expect(
      await outcome(() =>
        s3.send(new CreateBucketCommand({ Bucket: missing, ExpectedBucketOwner: OTHER_ACCOUNT } as never)),
      ),
    ).toBe('ok');
  });

  it('keeps object calls working on a bucket whose policy denies insecure transport (moto would refuse them)', async () => {
    const bucket = uniqueBucket('owner-tls');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy(bucket) }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v' }));
    const got = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'k', ExpectedBucketOwner: ACCOUNT_ID }),
    );
    expect(await got.Body?.transformToString()).toBe('v');
    const { Policy } = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    expect(JSON.parse(Policy ?? '')).toEqual(JSON.parse(policy(bucket)));
  });
});
