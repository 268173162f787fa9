import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { inject } from 'vitest';

/** Dummy credentials: neither moto nor DynamoDB Local checks signatures; moto maps unknown keys to 123456789012. */
export const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
export const region = 'us-east-1';
export const ACCOUNT_ID = '123456789012';

/** The local AWS the global setup started (test/globalSetup/localAws.ts). */
export function localAws(): {
  endpoint: string;
  env: Record<string, string>;
  motoEndpoint?: string;
  dynamodbEndpoint?: string;
} {
  const local = inject('localAws');
  if (!local) throw new Error('no local AWS: run integration tests through vitest with the global setup');
  return local;
}

const config = () => ({ endpoint: localAws().endpoint, region, credentials, maxAttempts: 1 });

/** The real SDK v3 S3 client, path style, against the gateway. */
export const s3Client = () => new S3Client({ ...config(), forcePathStyle: true });
export const dynamoDbClient = () => new DynamoDBClient(config());
export const kmsClient = () => new KMSClient(config());
export const snsClient = () => new SNSClient(config());
export const sqsClient = () => new SQSClient(config());
export const stsClient = () => new STSClient(config());

/** A bucket name no other test uses. */
export function uniqueBucket(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** `GET /_local/calls` */
export async function callCounts(): Promise<Record<string, number>> {
  const response = await fetch(`${localAws().endpoint}/_local/calls`);
  return (await response.json()) as Record<string, number>;
}

/** A raw HTTP request to the gateway, signed only in form (the local AWS does not verify signatures). */
export async function rawRequest(
  method: string,
  path: string,
  options: { service?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: string }> {
  const service = options.service ?? 's3';
  const response = await fetch(`${localAws().endpoint}${path}`, {
    method,
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=test/20240101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** Runs `task` over `items` with at most `limit` in flight. */
export async function inBatches<T>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
