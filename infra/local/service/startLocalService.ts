import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { subscribeChangeEvents } from './changeEvents.js';
import { DynamoStreamsApi } from './DynamoStreamsApi.js';
import { functionEnv } from './functionEnv.js';
import { LambdaRuntime } from './LambdaRuntime.js';
import { QueuePoller } from './QueuePoller.js';
import { Scheduler } from './Scheduler.js';
import { StreamPoller } from './StreamPoller.js';
import { FunctionName, type LocalService, type LocalServiceOptions } from './types.js';

export interface StartLocalServiceOptions extends LocalServiceOptions {
  /** Powertools log level of the functions (default `WARN`). */
  logLevel?: string;
  /** Start only the runtime: no scheduler, poller, change events or stream until `run()` (default false). */
  idle?: boolean;
}

/** A local service that can also start its background loops later. */
export interface StartedLocalService extends LocalService {
  /** The environment the functions run with (their role's credentials, the queue URL). */
  readonly functionEnv: Record<string, string>;
  /** Starts the scheduler, the queue poller, the change events and the stream (once). */
  run(): Promise<void>;
}

/**
 * Runs the service of serverless.yml on the local AWS, in this process: the real handlers of
 * `functions/`, woken as AWS wakes them (EventBridge schedule, SQS event source with partial batch
 * responses, EventBridge rule for CloudTrail S3/KMS calls, the desired-state table's stream).
 * `process.env` becomes the functions' environment.
 * @example
 * const service = await startLocalService({ env: local.env, onChangeEvent: local.onChangeEvent });
 * await service.run();
 * await service.stop();
 */
export async function startLocalService(options: StartLocalServiceOptions): Promise<StartedLocalService> {
  const { onActivity } = options;
  const prepared = await functionEnv({
    env: options.env,
    ...(options.logLevel && { logLevel: options.logLevel }),
  });
  const region = prepared.env.AWS_REGION ?? 'us-east-1';
  const runtime = await LambdaRuntime.load(prepared.env);
  const clientConfig = {
    endpoint: prepared.env.AWS_ENDPOINT_URL!,
    region,
    credentials: {
      accessKeyId: prepared.env.AWS_ACCESS_KEY_ID!,
      secretAccessKey: prepared.env.AWS_SECRET_ACCESS_KEY!,
      sessionToken: prepared.env.AWS_SESSION_TOKEN!,
    },
  };
  const sqs = new SQSClient(clientConfig);
  const dynamodb = new DynamoDBClient(clientConfig);
  const poller = new QueuePoller({
    runtime,
    sqs,
    queueUrl: prepared.queueUrl,
    queueArn: prepared.queueArn,
    region,
    ...(onActivity && { onActivity }),
  });
  // The discovery queue's event source (#18), when the env names one: discover, whose messages enqueue buckets.
  const discoveryUrl = prepared.env.S3IR_DISCOVERY_QUEUE_URL;
  const discovery = discoveryUrl
    ? new QueuePoller({
        runtime,
        sqs,
        queueUrl: discoveryUrl,
        queueArn: (
          await sqs.send(
            new GetQueueAttributesCommand({ QueueUrl: discoveryUrl, AttributeNames: ['QueueArn'] }),
          )
        ).Attributes!.QueueArn!,
        region,
        functionName: FunctionName.Discover,
        ...(onActivity && { onActivity }),
      })
    : undefined;
  const scheduler = new Scheduler({
    runtime,
    region,
    everySeconds: options.scheduleSeconds ?? 60,
    ...(onActivity && { onActivity }),
  });
  const stream = new StreamPoller({
    runtime,
    dynamodb,
    streams: new DynamoStreamsApi({
      endpoint: clientConfig.endpoint,
      region,
      credentials: clientConfig.credentials,
    }),
    tableName: prepared.env.S3IR_DESIRED_TABLE ?? 's3ir-desired-state',
    ...(onActivity && { onActivity }),
  });
  let streaming = false;
  let unsubscribe: (() => Promise<void>) | undefined;
  let running: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;

  const run = () => {
    running ??= (async () => {
      if ((options.scheduleSeconds ?? 60) > 0) scheduler.start();
      poller.start();
      discovery?.start();
      if (options.onChangeEvent) {
        unsubscribe = subscribeChangeEvents({
          runtime,
          subscribe: options.onChangeEvent,
          ...(onActivity && { onActivity }),
        });
      }
      if (options.streams ?? true) streaming = await stream.start();
    })();
    return running;
  };
  if (!options.idle) await run();

  return {
    functionEnv: prepared.env,
    get streaming() {
      return streaming;
    },
    sweep: () => scheduler.sweep(),
    drain: async () => {
      if (!discovery) return poller.drain();
      let handled = 0;
      for (;;) {
        const accounts = await discovery.drain();
        const buckets = await poller.drain();
        handled += buckets;
        if (accounts === 0 && buckets === 0) return handled;
      }
    },
    run,
    stop: () => {
      stopping ??= (async () => {
        await running?.catch(() => undefined);
        await Promise.all([
          scheduler.stop(),
          poller.stop(),
          discovery?.stop(),
          stream.stop(),
          unsubscribe?.(),
        ]);
        await runtime.idle();
        sqs.destroy();
        dynamodb.destroy();
      })();
      return stopping;
    },
  };
}
