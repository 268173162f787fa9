import { AwsAdapterError } from './errors.js';

/** The parts of an SQS queue ARN, `arn:PARTITION:sqs:REGION:ACCOUNT:NAME`. */
export interface QueueRef {
  partition: string;
  region: string;
  account: string;
  name: string;
}

/**
 * Reads an SQS queue ARN (a Lambda SQS record's `eventSourceARN`).
 * @throws AwsAdapterError `InvalidQueueArn` for anything else.
 */
export function parseQueueArn(arn: string): QueueRef {
  const [prefix, partition, service, region, account, name, ...rest] = arn.split(':');
  if (
    prefix !== 'arn' ||
    service !== 'sqs' ||
    !partition ||
    !region ||
    !account ||
    !name ||
    rest.length > 0
  ) {
    throw new AwsAdapterError({
      code: 'InvalidQueueArn',
      message: `expected an SQS queue ARN (arn:aws:sqs:region:account:name), got ${JSON.stringify(arn)}`,
    });
  }
  return { partition, region, account, name };
}

/**
 * The URL of the queue `arn` names. `knownUrl` (the function's `S3IR_QUEUE_URL`) is used when it is that
 * queue's (same account and name): it is what the queue really answers at, the local AWS's included
 * (http://127.0.0.1:4566/123456789012/s3ir-reconcile, whose gateway routes by path). Otherwise the
 * queue's regional endpoint, `https://sqs.REGION.amazonaws.com/ACCOUNT/NAME` (`.com.cn` in China).
 * @example queueUrlOf('arn:aws:sqs:eu-west-1:111122223333:s3ir-reconcile')
 * // 'https://sqs.eu-west-1.amazonaws.com/111122223333/s3ir-reconcile'
 */
export function queueUrlOf(arn: string, knownUrl?: string): string {
  const { partition, region, account, name } = parseQueueArn(arn);
  if (knownUrl !== undefined && sameQueue(knownUrl, account, name)) return knownUrl;
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${region}.${domain}/${account}/${name}`;
}

/** Whether a queue URL's path is `/ACCOUNT/NAME` (every SQS URL form, and moto's, ends so). */
function sameQueue(url: string, account: string, name: string): boolean {
  try {
    return new URL(url).pathname.replace(/\/+$/, '').endsWith(`/${account}/${name}`);
  } catch {
    return false;
  }
}
