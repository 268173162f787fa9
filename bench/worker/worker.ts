// The bench's worker process: the Lambda functions' sandbox. It is its own process so that its peak RSS
// is the functions' (not the seeding's, nor the local AWS gateway's, which run in the main process).
import { type Message, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { functionEnv } from '../../infra/local/service/functionEnv.js';
import { lambdaContext, scheduledEvent } from '../../infra/local/service/lambdaEvents.js';
import { WORKER_DEFAULTS } from '../../lib/usecases/reconcileMessage/deadline.js';
import { readServiceConfig } from '../../lib/wiring/serviceConfig.js';
import type { SweepMeasurement } from '../types.js';
import { ChangeEventPath, type S3ChangeHandler } from './ChangeEventPath.js';
import { loadReconcileSandboxes } from './loadReconcileSandboxes.js';
import {
  WORKER_SETTINGS_VAR,
  type WorkerReply,
  type WorkerRequest,
  type WorkerSettings,
} from './protocol.js';
import { QueueLanes } from './QueueLanes.js';
import { RssSampler } from './RssSampler.js';
import { SweepTracker } from './SweepTracker.js';

/** serverless.yml's timeout of the schedule function. */
const SCHEDULE_TIMEOUT_MS = 300_000;
/** A sweep that has not settled by then is reported as an error, not waited for. */
const SWEEP_TIMEOUT_MS = 30 * 60_000;

type Handler<E, R> = (event: E, context: Context) => Promise<R>;

const reply = (message: WorkerReply, then?: () => void) => process.send!(message, undefined, {}, then);

const settings = JSON.parse(process.env[WORKER_SETTINGS_VAR] ?? '{}') as WorkerSettings;
const loadStart = performance.now();
const prepared = await functionEnv({ env: settings.localEnv, logLevel: 'ERROR' });
// The process becomes the functions' sandbox: they read their env once, when loaded.
Object.assign(process.env, prepared.env);
const region = prepared.env.AWS_REGION ?? 'us-east-1';
/** The queue's redrive limit (serverless.yml `maxReceiveCount`): a message failing its 5th receive goes to the DLQ. */
const maxReceive = readServiceConfig(process.env).maxReceiveCount ?? WORKER_DEFAULTS.maxReceiveCount;
const schedule = (await import('../../functions/schedule.js')) as unknown as {
  handler: Handler<ScheduledEvent, { runId: string; buckets: number }>;
};
const s3Change = (await import('../../functions/s3Change.js')) as unknown as { handler: S3ChangeHandler };
const handlers = await loadReconcileSandboxes(settings.concurrency);
const sqs = new SQSClient({
  endpoint: prepared.env.AWS_ENDPOINT_URL!,
  region,
  credentials: {
    accessKeyId: prepared.env.AWS_ACCESS_KEY_ID!,
    secretAccessKey: prepared.env.AWS_SECRET_ACCESS_KEY!,
    sessionToken: prepared.env.AWS_SESSION_TOKEN!,
  },
});
const lanes = new QueueLanes({
  sqs,
  queueUrl: prepared.queueUrl,
  queueArn: prepared.queueArn,
  region,
  handlers,
});
const events = new ChangeEventPath(lanes, s3Change.handler, region);

/** One sweep: the schedule handler, and the queue drained through the sandboxes meanwhile and after. */
async function sweep(): Promise<SweepMeasurement> {
  const sampler = new RssSampler();
  const cpuBefore = process.cpuUsage();
  const before = { messages: lanes.messages, failed: lanes.failed, invocations: lanes.invocations };
  let scheduled: { runId: string; buckets: number } | undefined;
  const tracker = new SweepTracker({ runId: () => scheduled?.runId, maxReceiveCount: maxReceive });
  const settled = () => scheduled !== undefined && tracker.count >= scheduled.buckets;
  let end: number | undefined;
  // Aborted only when the sweep takes too long.
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), SWEEP_TIMEOUT_MS);
  const start = performance.now();
  // The event source polls all along, as Lambda's does: buckets are reconciled while the scheduler still
  // enqueues. A batch that arrives before the schedule handler returns its run id waits for it.
  let scheduleMs = 0;
  // Once settled, lanes start no new receive; those in flight end within their 1 s long poll. They are
  // not aborted: moto would still hand messages to an abandoned long poll, and those would stay invisible
  // for the visibility timeout (720 s), into the next measurement.
  const finishIfSettled = () => {
    if (end === undefined && settled()) end = performance.now();
  };
  const early: [Message[], ReadonlySet<string>][] = [];
  const scheduling = schedule
    .handler(
      scheduledEvent(region, 's3ir-bench-schedule'),
      lambdaContext('schedule', SCHEDULE_TIMEOUT_MS, region),
    )
    .then((result) => {
      scheduleMs = performance.now() - start;
      scheduled = result;
      for (const [batch, failed] of early.splice(0)) tracker.record(batch, failed);
      finishIfSettled();
    });
  try {
    await Promise.all([
      scheduling.catch((error: unknown) => {
        abort.abort();
        throw error;
      }),
      lanes.run(settled, abort.signal, (messages, failed) => {
        if (scheduled === undefined) {
          early.push([messages, failed]);
          return;
        }
        tracker.record(messages, failed);
        finishIfSettled();
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
  if (end === undefined) {
    throw new Error(`the sweep did not settle within ${SWEEP_TIMEOUT_MS / 60_000} minutes`);
  }
  const cpu = process.cpuUsage(cpuBefore);
  return {
    wallMs: end - start,
    scheduleMs,
    messages: lanes.messages - before.messages,
    failed: lanes.failed - before.failed,
    invocations: lanes.invocations - before.invocations,
    duplicates: tracker.duplicates,
    givenUp: tracker.givenUp,
    sampledPeakRssMiB: sampler.stop(),
    retainedHeapMiB: RssSampler.retainedHeapMiB() ?? Number.NaN,
    workerCpuMs: (cpu.user + cpu.system) / 1_000,
  };
}

process.on('message', (request: WorkerRequest) => {
  const answer = async (): Promise<WorkerReply | undefined> => {
    switch (request.type) {
      case 'sweep':
        return { type: 'swept', measurement: await sweep() };
      case 'listen':
        events.listen();
        return { type: 'listening' };
      case 'change-event':
        events.deliver(request.event);
        return undefined;
      case 'quiet':
        return { type: 'quiet', ...(await events.quiet()) };
      case 'finish':
        return { type: 'finished', maxRssMiB: process.resourceUsage().maxRSS / 1024 };
    }
  };
  answer().then(
    (message) => {
      // The handlers' clients keep sockets open: once the main process has the answer, leave.
      if (request.type === 'finish') reply(message!, () => process.exit(0));
      else if (message) reply(message);
    },
    (error: unknown) =>
      reply({
        type: 'error',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
});

reply({ type: 'ready', loadMs: performance.now() - loadStart });
