import { DescribeLimitsCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient, ListAliasesCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  ListBucketInventoryConfigurationsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { ListSubscriptionsCommand } from '@aws-sdk/client-sns';
import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import { GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { addFaults } from './controlEndpoints.js';
import {
  credentials,
  dynamoDbClient,
  kmsClient,
  localAws,
  region,
  s3Client,
  snsClient,
  sqsClient,
  stsClient,
  uniqueBucket,
} from './localAwsClients.js';

// Other files share the gateway: every rule here names a bucket of this file, or an operation no
// other file calls (ListKeys, ListAliases, DescribeLimits, ListQueues, ListSubscriptions, GetSessionToken).

interface SdkError {
  name: string;
  message: string;
  $fault: string;
  $metadata: { httpStatusCode?: number; attempts?: number };
}

async function failure(call: Promise<unknown>): Promise<SdkError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as SdkError,
  );
  if (!error) throw new Error('the call succeeded, but a fault was injected');
  return error;
}

const seen = (error: SdkError) => ({
  name: error.name,
  status: error.$metadata.httpStatusCode,
  fault: error.$fault,
});

async function newBucket(prefix: string): Promise<string> {
  const bucket = uniqueBucket(prefix);
  await s3Client().send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

describe('injected faults as the SDK sees them (POST /_local/faults)', () => {
  it('answers S3 with XML errors: 503 SlowDown, 500 InternalError, 403 AccessDenied', async () => {
    const bucket = await newBucket('fault-s3');
    await addFaults([
      { service: 's3', operation: 'GetBucketPolicy', bucket, code: 'SlowDown', count: 1 },
      { service: 's3', operation: 'GetBucketLocation', bucket, code: 'InternalError', count: 1 },
      { service: 's3', operation: 'GetBucketTagging', bucket, code: 'AccessDenied', count: 1 },
      { service: 's3', operation: 'ListBucketInventoryConfigurations', bucket, status: 503, count: 1 },
    ]);
    const s3 = s3Client();
    const slowDown = await failure(s3.send(new GetBucketPolicyCommand({ Bucket: bucket })));
    expect(seen(slowDown)).toEqual({ name: 'SlowDown', status: 503, fault: 'server' });
    expect(slowDown.message).toBe('Please reduce your request rate.');
    const internal = await failure(s3.send(new GetBucketLocationCommand({ Bucket: bucket })));
    expect(seen(internal)).toEqual({ name: 'InternalError', status: 500, fault: 'server' });
    const denied = await failure(s3.send(new GetBucketTaggingCommand({ Bucket: bucket })));
    expect(seen(denied)).toEqual({ name: 'AccessDenied', status: 403, fault: 'client' });
    // Our own inventory subresource is faulted the same way; a status without a code is an InternalError.
    const inventory = await failure(
      s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: bucket })),
    );
    expect(seen(inventory)).toEqual({ name: 'InternalError', status: 503, fault: 'server' });
  });

  it('answers KMS and DynamoDB with JSON errors: 400 ThrottlingException, 400 ProvisionedThroughputExceededException', async () => {
    await addFaults([
      { service: 'kms', operation: 'ListKeys', code: 'ThrottlingException', count: 1 },
      {
        service: 'dynamodb',
        operation: 'DescribeLimits',
        code: 'ProvisionedThroughputExceededException',
        count: 1,
      },
    ]);
    const kms = await failure(kmsClient().send(new ListKeysCommand({})));
    expect(seen(kms)).toEqual({ name: 'ThrottlingException', status: 400, fault: 'client' });
    expect(kms.message).toBe('Rate exceeded');
    const dynamodb = await failure(dynamoDbClient().send(new DescribeLimitsCommand({})));
    expect(seen(dynamodb)).toEqual({
      name: 'ProvisionedThroughputExceededException',
      status: 400,
      fault: 'client',
    });
  });

  it('answers SQS (JSON, query compatible), SNS and STS (query XML) in their protocols', async () => {
    await addFaults([
      { service: 'sqs', operation: 'ListQueues', code: 'RequestThrottled', count: 1 },
      { service: 'sns', operation: 'ListSubscriptions', code: 'Throttling', count: 1 },
      { service: 'sts', operation: 'GetSessionToken', code: 'RegionDisabledException', count: 1 },
    ]);
    const sqs = await failure(sqsClient().send(new ListQueuesCommand({})));
    expect(seen(sqs)).toEqual({ name: 'RequestThrottled', status: 403, fault: 'client' });
    const sns = await failure(snsClient().send(new ListSubscriptionsCommand({})));
    expect(seen(sns)).toMatchObject({ name: 'Throttling', status: 400 });
    const sts = await failure(stsClient().send(new GetSessionTokenCommand({})));
    expect(seen(sts)).toEqual({ name: 'RegionDisabledException', status: 403, fault: 'client' });
  });

  it("lets the SDK's adaptive retry ride out a few throttling errors (count 2, maxAttempts 3)", async () => {
    const bucket = await newBucket('fault-retry');
    const config = {
      endpoint: localAws().endpoint,
      region,
      credentials,
      maxAttempts: 3,
      retryMode: 'adaptive',
    };
    await addFaults([
      { service: 's3', operation: 'GetBucketLocation', bucket, code: 'SlowDown', count: 2 },
      { service: 'kms', operation: 'ListAliases', code: 'ThrottlingException', count: 2 },
      {
        service: 'dynamodb',
        operation: 'DescribeLimits',
        code: 'ProvisionedThroughputExceededException',
        count: 2,
      },
    ]);
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    const location = await s3.send(new GetBucketLocationCommand({ Bucket: bucket }));
    expect(location.$metadata.attempts).toBe(3);
    const aliases = await new KMSClient(config).send(new ListAliasesCommand({}));
    expect(aliases.$metadata.attempts).toBe(3);
    const limits = await new DynamoDBClient(config).send(new DescribeLimitsCommand({}));
    expect(limits.$metadata.attempts).toBe(3);
  });

  it('gives up after maxAttempts when the count outlasts the retries, with the injected error', async () => {
    const bucket = await newBucket('fault-exhaust');
    await addFaults([{ service: 's3', operation: 'GetBucketLocation', bucket, code: 'SlowDown', count: 3 }]);
    const s3 = new S3Client({
      endpoint: localAws().endpoint,
      region,
      credentials,
      forcePathStyle: true,
      maxAttempts: 2,
      retryMode: 'adaptive',
    });
    const error = await failure(s3.send(new GetBucketLocationCommand({ Bucket: bucket })));
    expect({ ...seen(error), attempts: error.$metadata.attempts }).toEqual({
      name: 'SlowDown',
      status: 503,
      fault: 'server',
      attempts: 2,
    });
    // The third injected error is still there for the next call.
    const next = await failure(s3Client().send(new GetBucketLocationCommand({ Bucket: bucket })));
    expect(next.name).toBe('SlowDown');
    await expect(s3Client().send(new GetBucketLocationCommand({ Bucket: bucket }))).resolves.toBeDefined();
  });
});
