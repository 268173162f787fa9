import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import type { ClientFactory } from '../../../lib/aws/ClientFactory.js';

/** The names the local AWS created (its env), with the Contract's defaults. */
export function localNames() {
  const env = inject('localAws')?.env ?? {};
  return {
    desiredTable: env.S3IR_DESIRED_TABLE ?? 's3ir-desired-state',
    auditTable: env.S3IR_AUDIT_TABLE ?? 's3ir-audit',
    topicArn: env.S3IR_ALERT_TOPIC_ARN ?? '',
  };
}

export async function documentClient(factory: ClientFactory): Promise<DynamoDBDocumentClient> {
  return DynamoDBDocumentClient.from(await factory.client(DynamoDBClient), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/** A queue of its own for one test (or the reconcile queue the local AWS made, by name). */
export async function queueNamed(
  factory: ClientFactory,
  name: string,
  create = true,
): Promise<{ sqs: SQSClient; url: string; arn: string }> {
  const sqs = await factory.client(SQSClient);
  const url = create
    ? (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!
    : (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return { sqs, url, arn: Attributes!.QueueArn! };
}
