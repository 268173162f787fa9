import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AccessDeniedError } from '../../../../lib/adapters/aws/errors.js';
import { S3BucketPolicyAdapter } from '../../../../lib/adapters/aws/S3BucketPolicyAdapter.js';
import { MalformedPolicyError } from '../../../../lib/core/policy/errors.js';
import type { PolicyDocument } from '../../../../lib/core/policy/types.js';
import { s3Error } from './sdkErrors.js';

const s3 = mockClient(S3Client);
const client = new S3Client({ region: 'us-east-1' });
const policy: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'A', Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 's3:PutObject' },
  ],
};

beforeEach(() => s3.reset());

describe('S3BucketPolicyAdapter', () => {
  it('returns undefined on NoSuchBucketPolicy', async () => {
    s3.on(GetBucketPolicyCommand).rejects(s3Error('NoSuchBucketPolicy', 404));
    await expect(new S3BucketPolicyAdapter({ client }).get('dest')).resolves.toBeUndefined();
  });

  it('parses the policy text S3 returns (whitespace and all)', async () => {
    s3.on(GetBucketPolicyCommand, { Bucket: 'dest' }).resolves({ Policy: JSON.stringify(policy, null, 2) });
    await expect(new S3BucketPolicyAdapter({ client }).get('dest')).resolves.toEqual(policy);
  });

  it('lets a malformed policy surface as MalformedPolicyError (lib/policy), not as an SDK error', async () => {
    s3.on(GetBucketPolicyCommand).resolves({ Policy: '{"no":"statement"}' });
    await expect(new S3BucketPolicyAdapter({ client }).get('dest')).rejects.toBeInstanceOf(
      MalformedPolicyError,
    );
  });

  it('maps AccessDenied and NoSuchBucket', async () => {
    s3.on(GetBucketPolicyCommand, { Bucket: 'theirs' }).rejects(s3Error('AccessDenied', 403));
    s3.on(GetBucketPolicyCommand, { Bucket: 'gone' }).rejects(s3Error('NoSuchBucket', 404));
    const adapter = new S3BucketPolicyAdapter({ client });
    await expect(adapter.get('theirs')).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(adapter.get('gone')).rejects.toMatchObject({ name: 'NotFoundError', resource: 'bucket' });
  });

  it('puts the policy compactly serialized and deletes it', async () => {
    s3.on(PutBucketPolicyCommand).resolves({});
    s3.on(DeleteBucketPolicyCommand).resolves({});
    const adapter = new S3BucketPolicyAdapter({ client });
    await adapter.put('dest', policy);
    await adapter.delete('dest');
    expect(s3.commandCalls(PutBucketPolicyCommand)[0]!.args[0].input).toEqual({
      Bucket: 'dest',
      Policy: JSON.stringify(policy),
    });
    expect(s3.commandCalls(DeleteBucketPolicyCommand)[0]!.args[0].input).toEqual({ Bucket: 'dest' });
  });

  it('maps MalformedPolicy on put to a non-retryable adapter error', async () => {
    s3.on(PutBucketPolicyCommand).rejects(s3Error('MalformedPolicy', 400, 'Invalid principal'));
    await expect(new S3BucketPolicyAdapter({ client }).put('dest', policy)).rejects.toMatchObject({
      name: 'AwsAdapterError',
      code: 'MalformedPolicy',
      retryable: false,
      message: 'PutBucketPolicy dest: Invalid principal',
    });
  });
});
