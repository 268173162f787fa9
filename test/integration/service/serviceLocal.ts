import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import type { ClientFactory } from '../../../lib/adapters/aws/ClientFactory.js';
import { type CliDeps, cliWiring } from '../../../lib/wiring/cliWiring.js';
import { readServiceConfig } from '../../../lib/wiring/serviceConfig.js';
import { serviceFactory } from '../../../lib/wiring/serviceFactory.js';
import {
  LOCAL_HOME_ACCOUNT,
  LOCAL_OTHER_ACCOUNT,
  LOCAL_REACHABLE_ACCOUNTS,
  LOCAL_REGION,
  localEndpoint,
} from '../aws/localFactory.js';

/** The names the local AWS created (its env), with the Contract's defaults. */
export function localNames() {
  const env = inject('localAws')?.env ?? {};
  return {
    desiredTable: env.S3IR_DESIRED_TABLE ?? 's3ir-desired-state',
    stateTable: env.S3IR_STATE_TABLE ?? 's3ir-state',
    auditTable: env.S3IR_AUDIT_TABLE ?? 's3ir-audit',
    topicArn: env.S3IR_ALERT_TOPIC_ARN ?? '',
  };
}

/** The accounts the local AWS uses (its env file's S3IR_ALLOWED_ACCOUNTS): the home account and the other. */
export const LOCAL_ALLOWED_ACCOUNTS = `${LOCAL_HOME_ACCOUNT},${LOCAL_OTHER_ACCOUNT}`;

/**
 * The service's deps as `s3ir` builds them (lib/wiring/cliWiring: the reconcile deps the reconcile Lambda
 * builds too, plus the desired table to write and the factory), on the local AWS's tables; `env` adds
 * settings (the local accounts are allowed unless it says otherwise).
 */
export function localServiceDeps(env: Record<string, string> = {}): CliDeps {
  const { desiredTable, stateTable, auditTable } = localNames();
  const config = readServiceConfig({
    S3IR_DESIRED_TABLE: desiredTable,
    S3IR_STATE_TABLE: stateTable,
    S3IR_AUDIT_TABLE: auditTable,
    S3IR_ALLOWED_ACCOUNTS: LOCAL_ALLOWED_ACCOUNTS,
    ...env,
  });
  const factory = serviceFactory(config, {
    endpoint: localEndpoint(),
    region: LOCAL_REGION,
    credentials: async () => ({ accessKeyId: 'test', secretAccessKey: 'test' }),
    env: {},
    maxAttempts: 3,
    allowedAccounts: LOCAL_REACHABLE_ACCOUNTS,
  });
  return cliWiring(config, factory);
}

/** Where the functions under test find their local AWS: what serverless.yml's environment names. */
export interface FunctionEnvSettings {
  endpoint: string;
  desiredTable: string;
  /** The state table (default: the local AWS's). */
  stateTable?: string;
  topicArn: string;
  queueUrl: string;
  /** The role the functions act as (its name only: the account is the local home account). */
  roleName: string;
  /** Settings of the test's own, set after the common ones. */
  extra?: Record<string, string>;
}

/** Settings that would change the functions' behaviour if the developer's shell had them. */
const UNSET_FOR_FUNCTIONS = [
  'S3IR_MAX_CHANGES',
  'S3IR_MAX_DELETES',
  'S3IR_MAX_RECEIVE_COUNT',
  'S3IR_ALERT_REMINDER_HOURS',
  'S3IR_ADOPTION_SINGLE_ALERTS',
];

/**
 * Makes this process the functions' sandbox (they read their env when loaded) and returns how to put
 * the process's env back as it was.
 */
export function useFunctionEnv(settings: FunctionEnvSettings): () => void {
  const saved = { ...process.env };
  for (const name of UNSET_FOR_FUNCTIONS) delete process.env[name];
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: settings.endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    S3IR_DESIRED_TABLE: settings.desiredTable,
    S3IR_STATE_TABLE: settings.stateTable ?? localNames().stateTable,
    S3IR_AUDIT_TABLE: localNames().auditTable,
    S3IR_ALERT_TOPIC_ARN: settings.topicArn,
    S3IR_QUEUE_URL: settings.queueUrl,
    S3IR_ALLOWED_ACCOUNTS: LOCAL_ALLOWED_ACCOUNTS,
    S3IR_RECONCILE_ROLE_ARN: `arn:aws:iam::${LOCAL_HOME_ACCOUNT}:role/${settings.roleName}`,
    POWERTOOLS_SERVICE_NAME: 's3ir',
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
    POWERTOOLS_METRICS_DISABLED: 'true',
    ...settings.extra,
  });
  return () => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
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
