import { DynamoDBClient, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetBucketLocationCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultRuleView } from '../../../infra/local/faults/types.js';
import type { Gateway } from '../../../infra/local/gateway.js';
import { credentials, region, uniqueBucket } from './localAwsClients.js';
import { privateGateway } from './privateGateway.js';

/**
 * Issue 17, point 1: what the fault matrix needs of `/_local/faults`, on a gateway of this file's own (its
 * DynamoDB rules cannot be scoped to a bucket): rules that last a while (`forMs`), and a cancelled DynamoDB
 * transaction in DynamoDB's own shape.
 */
let gateway: Gateway | undefined;

async function post(rules: unknown[]): Promise<FaultRuleView[]> {
  const response = await fetch(`${gateway!.endpoint}/_local/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ rules }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { rules: FaultRuleView[] }).rules;
}

beforeAll(async () => {
  gateway = await privateGateway();
});
afterAll(async () => {
  await gateway?.close();
});

describe('fault rules for the fault matrix', () => {
  it('a rule with forMs matches nothing once that long has passed: no error, no latency', async (context) => {
    if (!gateway) return context.skip('no private gateway');
    const s3 = new S3Client({
      endpoint: gateway.endpoint,
      region,
      credentials,
      forcePathStyle: true,
      maxAttempts: 1,
    });
    const bucket = uniqueBucket('fault-for');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const [rule] = await post([{ service: 's3', bucket, code: 'SlowDown', forMs: 300 }]);
    expect(rule).toMatchObject({ forMs: 300, until: expect.stringMatching(/^\d{4}-.*Z$/) });

    await expect(s3.send(new GetBucketLocationCommand({ Bucket: bucket }))).rejects.toMatchObject({
      name: 'SlowDown',
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    await expect(s3.send(new GetBucketLocationCommand({ Bucket: bucket }))).resolves.toBeDefined();
    s3.destroy();
  });

  it('refuses a forMs that is not a positive whole number of milliseconds, naming the field', async (context) => {
    if (!gateway) return context.skip('no private gateway');
    const response = await fetch(`${gateway.endpoint}/_local/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules: [{ service: 'sns', code: 'InternalError', forMs: 0 }] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'rules[0].forMs must be an integer from 1 to 3600000' });
  });

  it('answers a TransactWriteItems with TransactionCanceledException and one reason per item, as DynamoDB does', async (context) => {
    if (!gateway) return context.skip('no private gateway');
    const dynamodb = new DynamoDBClient({ endpoint: gateway.endpoint, region, credentials, maxAttempts: 1 });
    await post([
      {
        service: 'dynamodb',
        operation: 'TransactWriteItems',
        code: 'TransactionCanceledException',
        count: 1,
      },
    ]);
    const put = (id: string) => ({
      Put: { TableName: 'never-reached', Item: { bucket: { S: 'b' }, id: { S: id } } },
    });
    const error = await dynamodb
      .send(new TransactWriteItemsCommand({ TransactItems: [put('1'), put('2'), put('3')] }))
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error).toMatchObject({
      name: 'TransactionCanceledException',
      $metadata: { httpStatusCode: 400 },
      CancellationReasons: [
        { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' },
        { Code: 'None' },
        { Code: 'None' },
      ],
    });
    expect((error as Error).message).toContain('[TransactionConflict, None, None]');
    dynamodb.destroy();
  });
});
