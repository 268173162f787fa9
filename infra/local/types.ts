import type { ChangeEventListener } from './events/types.js';
import type { Gateway } from './gateway.js';
import type { Logger } from './logger.js';

/** Options of `startLocalAws()`; every field has a default. */
export interface LocalAwsOptions {
  /** Gateway port (default 0: a free one). */
  port?: number;
  /** Region of the env and of the created resources (default us-east-1). */
  region?: string;
  /** Where DynamoDB Local is cached (default `<repo>/.cache/dynamodb-local`). */
  cacheDir?: string;
  /** Folder of the CloudFormation resource files (default `<repo>/infra/resources`). */
  resourcesDir?: string;
  /** serverless.yml, for its `custom` names, `params` and `provider.environment` (default `<repo>/serverless.yml`). */
  serverlessFile?: string;
  /** The stage whose `params` section `${param:…}` reads before `params.default` (default `local`). */
  stage?: string;
  /** Environment the serverless variables read (`${env:…}`; default `process.env`). */
  env?: Record<string, string | undefined>;
  /**
   * Every change event is also POSTed here as JSON, one event per request; failures are logged, not
   * fatal (default: `S3IR_LOCAL_EVENT_WEBHOOK` of `env`).
   */
  eventWebhookUrl?: string;
  /** How many recent change events `GET /_local/events` keeps (default 1,000). */
  eventBufferSize?: number;
  logger?: Logger;
}

/** The environment that points SDKs and the service at the local AWS (DESIGN.md, Contract). */
export interface LocalAwsEnv {
  AWS_REGION: string;
  AWS_ENDPOINT_URL: string;
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
  S3IR_DESIRED_TABLE: string;
  /** The service's own bookkeeping (infra/resources/state-table.yml). */
  S3IR_STATE_TABLE: string;
  S3IR_AUDIT_TABLE: string;
  S3IR_ALERT_TOPIC_ARN: string;
  /** The local accounts (moto's default and the second one tests assume into), comma-separated. */
  S3IR_ALLOWED_ACCOUNTS: string;
  /** URL of the reconcile queue (`s3ir-reconcile`, infra/resources/sqs-reconcile-queue.yml). */
  S3IR_QUEUE_URL: string;
  /** URL of its dead-letter queue. */
  S3IR_DLQ_URL: string;
  /** The audit digest bucket (Object Lock, compliance mode; infra/local/resources/provisionDigestAnchor.ts). */
  S3IR_DIGEST_BUCKET: string;
  /** ARN of the asymmetric key that signs audit digests. */
  S3IR_DIGEST_KEY_ID: string;
  [name: string]: string;
}

/** A running local AWS. */
export interface LocalAws {
  /** `http://127.0.0.1:PORT` */
  endpoint: string;
  port: number;
  env: LocalAwsEnv;
  /** The backends behind the gateway, for debugging and for tests that must bypass it. */
  backends: { moto: string; dynamodb: string };
  /** The gateway itself (call counts, inventory store), for in-process use. */
  gateway: Gateway;
  /** Milliseconds from the call to ready. */
  startupMs: number;
  /**
   * Calls `listener` with each change event (a CloudTrail API call as EventBridge delivers it) of a
   * successful S3/KMS mutation through the gateway, before the caller gets its reply.
   * @returns the function that unsubscribes the listener
   */
  onChangeEvent(listener: ChangeEventListener): () => void;
  /** Stops the gateway and every child process; safe to call twice. */
  stop(): Promise<void>;
}
