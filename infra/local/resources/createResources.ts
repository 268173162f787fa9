import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ResourceDefinitionError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ResourceDefinition } from './readResourceDefinitions.js';

/** A resource the local AWS created: its name, and its ARN (and URL for queues) for `Ref`/`Fn::GetAtt`. */
export interface CreatedResource {
  logicalId: string;
  type: string;
  name: string;
  arn: string;
  url?: string;
}

/** Where and as whom to create resources (the gateway, with the local credentials). */
export interface ResourceTarget {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

type Created = Map<string, CreatedResource>;

/** Resolves `Ref` and `Fn::GetAtt [Id, Arn]` against resources created before this one. */
function intrinsics(value: unknown, created: Created, file: string): unknown {
  if (Array.isArray(value)) return value.map((item) => intrinsics(item, created, file));
  if (!value || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const ref = record.Ref;
  const getAtt = record['Fn::GetAtt'];
  if (typeof ref === 'string' || Array.isArray(getAtt)) {
    const id = typeof ref === 'string' ? ref : String((getAtt as unknown[])[0]);
    const target = created.get(id);
    if (!target) throw new ResourceDefinitionError(file, `refers to ${id}, which is not created (yet)`);
    if (typeof ref === 'string') return target.type === 'AWS::SQS::Queue' ? target.url : target.arn;
    return target.arn;
  }
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, intrinsics(v, created, file)]));
}

/** The logical ids a value refers to with `Ref` or `Fn::GetAtt`. */
function references(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) references(item, found);
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const getAtt = record['Fn::GetAtt'];
    if (typeof record.Ref === 'string') found.add(record.Ref);
    else if (Array.isArray(getAtt)) found.add(String(getAtt[0]));
    else for (const item of Object.values(record)) references(item, found);
  }
  return found;
}

/** The types the local AWS creates; the others (queue and topic policies, …) are deploy-only. */
const CREATED_TYPES: ReadonlySet<string> = new Set([
  'AWS::DynamoDB::Table',
  'AWS::SNS::Topic',
  'AWS::SQS::Queue',
]);

/**
 * Creates the tables, topics and queues of `infra/resources` on the local AWS, in waves: each wave
 * creates, in parallel, every resource whose `Ref`/`Fn::GetAtt` targets exist already (so a queue
 * after its dead-letter queue). Other types are skipped before anything is resolved: a queue policy
 * naming IAM roles (deploy-only, in `iam/`) or `AWS::AccountId` must not stop the local AWS. The
 * queue and topic policies deny every request made without TLS, and the local AWS serves plain HTTP.
 */
export async function createResources(
  definitions: ResourceDefinition[],
  target: ResourceTarget,
  logger: Logger,
): Promise<Created> {
  const config = { endpoint: target.endpoint, region: target.region, credentials: target.credentials };
  const dynamodb = new DynamoDBClient(config);
  const sns = new SNSClient(config);
  const sqs = new SQSClient(config);
  const created: Created = new Map();
  for (const skipped of definitions.filter((definition) => !CREATED_TYPES.has(definition.type)))
    logger.debug(`skipped ${skipped.logicalId} (${skipped.type}): not created locally`);
  let pending = definitions
    .filter((definition) => CREATED_TYPES.has(definition.type))
    .map((definition) => ({ definition, needs: references(definition.properties) }));
  try {
    while (pending.length > 0) {
      const ready = pending.filter(({ needs }) => [...needs].every((id) => created.has(id)));
      if (ready.length === 0) {
        const { definition, needs } = pending[0]!;
        const missing = [...needs].filter((id) => !created.has(id)).join(', ');
        throw new ResourceDefinitionError(
          definition.file,
          `${definition.logicalId} refers to ${missing}, which is not created`,
        );
      }
      await Promise.all(
        ready.map(async ({ definition }) => {
          const properties = intrinsics(definition.properties, created, definition.file) as Record<
            string,
            unknown
          >;
          const resource = await createOne(definition, properties, { dynamodb, sns, sqs });
          if (resource) created.set(definition.logicalId, resource);
          else logger.debug(`skipped ${definition.logicalId} (${definition.type}): not created locally`);
        }),
      );
      pending = pending.filter((entry) => !ready.includes(entry));
    }
  } finally {
    for (const client of [dynamodb, sns, sqs]) client.destroy();
  }
  return created;
}

async function createOne(
  definition: ResourceDefinition,
  properties: Record<string, unknown>,
  clients: { dynamodb: DynamoDBClient; sns: SNSClient; sqs: SQSClient },
): Promise<CreatedResource | undefined> {
  const { logicalId, type } = definition;
  if (type === 'AWS::DynamoDB::Table') {
    const name = String(properties.TableName ?? logicalId);
    const stream = properties.StreamSpecification as { StreamViewType?: string } | undefined;
    const input = {
      TableName: name,
      AttributeDefinitions: properties.AttributeDefinitions,
      KeySchema: properties.KeySchema,
      BillingMode: properties.BillingMode ?? 'PAY_PER_REQUEST',
      ProvisionedThroughput: properties.ProvisionedThroughput,
      GlobalSecondaryIndexes: properties.GlobalSecondaryIndexes,
      LocalSecondaryIndexes: properties.LocalSecondaryIndexes,
      StreamSpecification: stream
        ? { StreamEnabled: true, StreamViewType: stream.StreamViewType }
        : undefined,
    } as CreateTableCommandInput;
    const { TableDescription } = await clients.dynamodb.send(new CreateTableCommand(input));
    const ttl = properties.TimeToLiveSpecification as { AttributeName: string; Enabled: boolean } | undefined;
    if (ttl)
      await clients.dynamodb.send(
        new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: ttl }),
      );
    return { logicalId, type, name, arn: TableDescription?.TableArn ?? '' };
  }
  if (type === 'AWS::SNS::Topic') {
    const name = String(properties.TopicName ?? logicalId);
    const attributes = properties.FifoTopic ? { FifoTopic: 'true' } : undefined;
    const { TopicArn } = await clients.sns.send(
      new CreateTopicCommand({ Name: name, Attributes: attributes }),
    );
    return { logicalId, type, name, arn: TopicArn ?? '' };
  }
  if (type === 'AWS::SQS::Queue') {
    const name = String(properties.QueueName ?? logicalId);
    const attributes = Object.fromEntries(
      Object.entries(properties)
        .filter(([key]) => key !== 'QueueName' && key !== 'Tags')
        .map(([key, value]) => [key, typeof value === 'object' ? JSON.stringify(value) : String(value)]),
    );
    const { QueueUrl } = await clients.sqs.send(
      new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
    );
    const { Attributes } = await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    return { logicalId, type, name, arn: Attributes?.QueueArn ?? '', url: QueueUrl ?? '' };
  }
  return undefined;
}
