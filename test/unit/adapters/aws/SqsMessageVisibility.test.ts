import { ChangeMessageVisibilityBatchCommand, SQSClient, SQSServiceException } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SqsMessageVisibility } from '../../../../lib/adapters/aws/SqsMessageVisibility.js';
import type { VisibilityChange } from '../../../../lib/usecases/reconcileMessage/retrySoon.js';

const sqs = mockClient(SQSClient);
const client = new SQSClient({ region: 'us-east-1' });
const ARN = 'arn:aws:sqs:us-east-1:123456789012:s3ir-reconcile';
const LOCAL_URL = 'http://127.0.0.1:4566/123456789012/s3ir-reconcile';

const change = (messageId: string, visibilitySeconds = 12, queueArn = ARN): VisibilityChange => ({
  messageId,
  queueArn,
  receiptHandle: `rh-${messageId}`,
  visibilitySeconds,
});

function adapter(queueUrl?: string, regions: string[] = []) {
  return new SqsMessageVisibility({
    clientFor: async (region) => {
      regions.push(region);
      return client;
    },
    ...(queueUrl !== undefined && { queueUrl }),
  });
}

beforeEach(() => sqs.reset());

describe('SqsMessageVisibility', () => {
  it('sends one ChangeMessageVisibilityBatch with each receipt handle and its timeout, to the known queue URL', async () => {
    sqs
      .on(ChangeMessageVisibilityBatchCommand)
      .resolves({ Successful: [{ Id: '0' }, { Id: '1' }], Failed: [] });
    const regions: string[] = [];
    await expect(
      adapter(LOCAL_URL, regions).changeVisibility([change('m-1', 5), change('m-2', 30)]),
    ).resolves.toEqual([]);
    expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand).map((call) => call.args[0].input)).toEqual([
      {
        QueueUrl: LOCAL_URL,
        Entries: [
          { Id: '0', ReceiptHandle: 'rh-m-1', VisibilityTimeout: 5 },
          { Id: '1', ReceiptHandle: 'rh-m-2', VisibilityTimeout: 30 },
        ],
      },
    ]);
    expect(regions).toEqual(['us-east-1']);
  });

  it('addresses a queue other than the known one at its regional endpoint, with a client of its region', async () => {
    sqs.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [{ Id: '0' }], Failed: [] });
    const regions: string[] = [];
    await adapter(LOCAL_URL, regions).changeVisibility([
      change('m-1', 7, 'arn:aws:sqs:eu-west-1:111122223333:other-queue'),
    ]);
    expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand)[0]!.args[0].input.QueueUrl).toBe(
      'https://sqs.eu-west-1.amazonaws.com/111122223333/other-queue',
    );
    expect(regions).toEqual(['eu-west-1']);
  });

  it('sends at most 10 entries a call, and one call per queue', async () => {
    sqs.on(ChangeMessageVisibilityBatchCommand).resolves({ Failed: [] });
    const other = 'arn:aws:sqs:us-east-1:123456789012:other';
    const changes = [
      ...Array.from({ length: 12 }, (_, index) => change(`m-${index}`)),
      change('o-1', 3, other),
    ];
    await adapter(LOCAL_URL).changeVisibility(changes);
    const inputs = sqs.commandCalls(ChangeMessageVisibilityBatchCommand).map((call) => call.args[0].input);
    expect(inputs.map((input) => [input.QueueUrl, input.Entries!.length])).toEqual([
      [LOCAL_URL, 10],
      [LOCAL_URL, 2],
      ['https://sqs.us-east-1.amazonaws.com/123456789012/other', 1],
    ]);
    expect(inputs[1]!.Entries!.map((entry) => [entry.Id, entry.ReceiptHandle])).toEqual([
      ['0', 'rh-m-10'],
      ['1', 'rh-m-11'],
    ]);
  });

  it('answers the entries SQS refused, by message id', async () => {
    sqs.on(ChangeMessageVisibilityBatchCommand).resolves({
      Successful: [{ Id: '0' }],
      Failed: [
        {
          Id: '1',
          Code: 'ReceiptHandleIsInvalid',
          SenderFault: true,
          Message: 'The receipt handle is not valid',
        },
      ],
    });
    await expect(adapter(LOCAL_URL).changeVisibility([change('m-1'), change('m-2')])).resolves.toEqual([
      { messageId: 'm-2', error: 'ReceiptHandleIsInvalid: The receipt handle is not valid' },
    ]);
  });

  it('answers every entry of a call that failed, naming the call, instead of throwing', async () => {
    sqs.on(ChangeMessageVisibilityBatchCommand).rejects(
      new SQSServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: 'not authorized to perform sqs:ChangeMessageVisibility',
      }),
    );
    await expect(adapter(LOCAL_URL).changeVisibility([change('m-1'), change('m-2')])).resolves.toEqual([
      {
        messageId: 'm-1',
        error: `AccessDeniedError: ChangeMessageVisibilityBatch ${LOCAL_URL}: not authorized to perform sqs:ChangeMessageVisibility`,
      },
      {
        messageId: 'm-2',
        error: `AccessDeniedError: ChangeMessageVisibilityBatch ${LOCAL_URL}: not authorized to perform sqs:ChangeMessageVisibility`,
      },
    ]);
  });

  it('answers a record whose source is not a queue ARN as not changed, and still changes the others', async () => {
    sqs.on(ChangeMessageVisibilityBatchCommand).resolves({ Failed: [] });
    const failures = await adapter(LOCAL_URL).changeVisibility([
      change('m-1'),
      change('x-1', 5, 'not-an-arn'),
    ]);
    expect(failures).toEqual([
      {
        messageId: 'x-1',
        error:
          'AwsAdapterError: expected an SQS queue ARN (arn:aws:sqs:region:account:name), got "not-an-arn"',
      },
    ]);
    expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand)).toHaveLength(1);
  });
});
