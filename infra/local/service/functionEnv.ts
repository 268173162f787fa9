import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { LOCAL_ACCOUNT } from './lambdaEvents.js';

/** The reconcile queue's name in serverless.yml (`custom.reconcileQueue`). */
export const RECONCILE_QUEUE_NAME = 's3ir-reconcile';
/** The role the in-process functions act as, so the event-driven path can tell their writes from yours. */
export const LOCAL_FUNCTION_ROLE_ARN = `arn:aws:iam::${LOCAL_ACCOUNT}:role/s3ir-local-reconcile`;

export interface FunctionEnvOptions {
  /** The env that points at the local AWS (`LocalAws.env`): your credentials. */
  env: Record<string, string>;
  /** Powertools logs of the functions: `WARN` unless asked for more. */
  logLevel?: string;
}

/** The functions' environment and the queue they share. */
export interface FunctionEnv {
  env: Record<string, string>;
  queueUrl: string;
  queueArn: string;
}

/**
 * The environment serverless.yml gives the functions, rebuilt for the local AWS: the tables and topic of
 * `env`, the reconcile queue (`S3IR_QUEUE_URL`, else the queue named `s3ir-reconcile`), and credentials of
 * an assumed role named by `S3IR_RECONCILE_ROLE_ARN`. moto's STS issues them for any role name; the gateway
 * then names the functions' calls `assumed-role/s3ir-local-reconcile/…` in its change events, so `s3Change`
 * ignores the reconciler's own writes exactly as it does in AWS, while your calls (the env file's keys)
 * are reconciled.
 */
export async function functionEnv(options: FunctionEnvOptions): Promise<FunctionEnv> {
  const { env } = options;
  const config = {
    endpoint: env.AWS_ENDPOINT_URL!,
    region: env.AWS_REGION!,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
  };
  const sqs = new SQSClient(config);
  const sts = new STSClient(config);
  try {
    const queueUrl =
      env.S3IR_QUEUE_URL ||
      (await sqs.send(new GetQueueUrlCommand({ QueueName: RECONCILE_QUEUE_NAME }))).QueueUrl!;
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
    );
    const assumed = await sts.send(
      new AssumeRoleCommand({ RoleArn: LOCAL_FUNCTION_ROLE_ARN, RoleSessionName: 's3ir-local-service' }),
    );
    const credentials = assumed.Credentials!;
    return {
      queueUrl,
      queueArn: attributes.Attributes!.QueueArn!,
      env: {
        ...env,
        AWS_ACCESS_KEY_ID: credentials.AccessKeyId!,
        AWS_SECRET_ACCESS_KEY: credentials.SecretAccessKey!,
        AWS_SESSION_TOKEN: credentials.SessionToken!,
        S3IR_QUEUE_URL: queueUrl,
        S3IR_RECONCILE_ROLE_ARN: LOCAL_FUNCTION_ROLE_ARN,
        POWERTOOLS_SERVICE_NAME: 's3ir',
        POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'WARN',
        // EMF metrics would be printed to stdout: there is no CloudWatch here to read them.
        POWERTOOLS_METRICS_DISABLED: 'true',
        POWERTOOLS_TRACE_ENABLED: 'false',
      },
    };
  } finally {
    sqs.destroy();
    sts.destroy();
  }
}
