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
import { createServiceDeps, type ServiceDeps } from '../../../lib/aws/createServiceDeps.js';
import { readServiceConfig } from '../../../lib/aws/serviceConfig.js';
import { LOCAL_REGION, localEndpoint } from '../aws/localFactory.js';

/** The names the local AWS created (its env), with the Contract's defaults. */
export function localNames() {
  const env = inject('localAws')?.env ?? {};
  return {
    desiredTable: env.S3IR_DESIRED_TABLE ?? 's3ir-desired-state',
    auditTable: env.S3IR_AUDIT_TABLE ?? 's3ir-audit',
    topicArn: env.S3IR_ALERT_TOPIC_ARN ?? '',
  };
}

/** The service's deps as a cold start builds them, on the local AWS's tables (one sandbox's worth). */
export function localServiceDeps(): ServiceDeps {
  const { desiredTable, auditTable } = localNames();
  return createServiceDeps(
    readServiceConfig({ S3IR_DESIRED_TABLE: desiredTable, S3IR_AUDIT_TABLE: auditTable }),
    {
      endpoint: localEndpoint(),
      region: LOCAL_REGION,
      credentials: async () => ({ accessKeyId: 'test', secretAccessKey: 'test' }),
      env: {},
      maxAttempts: 3,
    },
  );
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
