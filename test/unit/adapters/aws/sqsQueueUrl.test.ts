import { describe, expect, it } from 'vitest';
import { parseQueueArn, queueUrlOf } from '../../../../lib/adapters/aws/sqsQueueUrl.js';

const ARN = 'arn:aws:sqs:us-east-1:123456789012:s3ir-reconcile';

describe('parseQueueArn()', () => {
  it('reads partition, region, account and name', () => {
    expect(parseQueueArn('arn:aws-cn:sqs:cn-north-1:123456789012:q.fifo')).toEqual({
      partition: 'aws-cn',
      region: 'cn-north-1',
      account: '123456789012',
      name: 'q.fifo',
    });
  });

  it('refuses what is not an SQS queue ARN, quoting it', () => {
    for (const arn of [
      '',
      'https://sqs.us-east-1.amazonaws.com/123456789012/q',
      'arn:aws:sns:us-east-1:123456789012:q',
      'arn:aws:sqs:us-east-1:123456789012',
      'arn:aws:sqs::123456789012:q',
      'arn:aws:sqs:us-east-1:123456789012:q:extra',
    ]) {
      expect(() => parseQueueArn(arn), arn).toThrow(
        expect.objectContaining({
          name: 'AwsAdapterError',
          code: 'InvalidQueueArn',
          message: `expected an SQS queue ARN (arn:aws:sqs:region:account:name), got ${JSON.stringify(arn)}`,
        }),
      );
    }
  });
});

describe('queueUrlOf()', () => {
  it('builds the regional endpoint URL from the ARN', () => {
    expect(queueUrlOf(ARN)).toBe('https://sqs.us-east-1.amazonaws.com/123456789012/s3ir-reconcile');
    expect(queueUrlOf('arn:aws-cn:sqs:cn-north-1:123456789012:q')).toBe(
      'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q',
    );
    expect(queueUrlOf('arn:aws-us-gov:sqs:us-gov-west-1:123456789012:q')).toBe(
      'https://sqs.us-gov-west-1.amazonaws.com/123456789012/q',
    );
  });

  it('prefers the known URL of the same queue: the local AWS’s, or a deployed one', () => {
    const local = 'http://127.0.0.1:4566/123456789012/s3ir-reconcile';
    expect(queueUrlOf(ARN, local)).toBe(local);
    const legacy = 'https://queue.amazonaws.com/123456789012/s3ir-reconcile/';
    expect(queueUrlOf(ARN, legacy)).toBe(legacy);
  });

  it('ignores a known URL of another queue or account, or one that is not a URL', () => {
    const regional = 'https://sqs.us-east-1.amazonaws.com/123456789012/s3ir-reconcile';
    expect(queueUrlOf(ARN, 'http://127.0.0.1:4566/123456789012/other-s3ir-reconcile')).toBe(regional);
    expect(queueUrlOf(ARN, 'http://127.0.0.1:4566/999999999999/s3ir-reconcile')).toBe(regional);
    expect(queueUrlOf(ARN, 'http://127.0.0.1:4566/123456789012/s3ir-reconcile-dlq')).toBe(regional);
    expect(queueUrlOf(ARN, 's3ir-reconcile')).toBe(regional);
  });
});
