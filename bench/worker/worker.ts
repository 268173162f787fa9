// The bench's worker process: the Lambda functions' sandbox. It is its own process so that its peak RSS
// is the functions' (not the seeding's, nor the local AWS gateway's, which run in the main process).
import { GetQueueAttributesCommand, type Message, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { functionEnv } from '../../infra/local/service/functionEnv.js';
import { lambdaContext, scheduledEvent } from '../../infra/local/service/lambdaEvents.js';
import { WORKER_DEFAULTS } from '../../lib/usecases/reconcileMessage/deadline.js';
import { readServiceConfig } from '../../lib/wiring/serviceConfig.js';
import type { DiscoveryMeasurement, SweepMeasurement } from '../types.js';
import { ChangeEventPath, type S3ChangeHandler } from './ChangeEventPath.js';
import { loadReconcileSandboxes } from './loadReconcileSandboxes.js';
import {
  WORKER_SETTINGS_VAR,
  type WorkerReply,
  type WorkerRequest,
  type WorkerSettings,
} from './protocol.js';
import { QueueLanes, type ReconcileHandler } from './QueueLanes.js';
import { RssSampler } from './RssSampler.js';
import { SweepTracker } from './SweepTracker.js';
import { sweepEnd } from './sweepEnd.js';

/** serverless.yml's timeout of the schedule function. */
const SCHEDULE_TIMEOUT_MS = 300_000;
/** A sweep that has not settled by then is reported as an error, not waited for. */
const SWEEP_TIMEOUT_MS = 60 * 60_000;
/** serverless.yml's timeout of the discover function (`custom.discoverTimeout`). */
const DISCOVER_TIMEOUT_MS = 120_000;
/**
 * With discovery, a sweep whose expected bucket messages never all settle (an account's discovery failed
 * or found fewer) ends once its discovery settled and the reconcile queue stayed idle this long; its end
 * is then the last batch's, and the messages missing are reported as `unsettled`.
 */
const IDLE_MS = 5_000;

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
/** What the schedule handler answers (functions/schedule.ts): the run, its buckets, its member accounts. */
interface Scheduled {
  runId: string;
  buckets: number;
  accountsDiscovered?: string[];
}
const schedule = (await import('../../functions/schedule.js')) as unknown as {
  handler: Handler<ScheduledEvent, Scheduled>;
};
const s3Change = (await import('../../functions/s3Change.js')) as unknown as { handler: S3ChangeHandler };
/** Reconcile batches in flight, and when the last one ended: a sweep with discovery may end on idleness. */
const activity = { inFlight: 0, lastMs: 0 };
const handlers = (await loadReconcileSandboxes(settings.concurrency)).map(
  (handler): ReconcileHandler =>
    async function trackedReconcile(event, context) {
      activity.inFlight += 1;
      try {
        return await handler(event, context);
      } finally {
        activity.inFlight -= 1;
        activity.lastMs = performance.now();
      }
    },
);
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

/**
 * The discovery queue's event source (#18), when the functions' env names one: `discover` as one sandbox
 * (functions/discover.ts builds its handler once per module; in AWS up to `discoverMaxConcurrency` run).
 */
async function discoveryLanes(): Promise<QueueLanes | undefined> {
  const queueUrl = prepared.env.S3IR_DISCOVERY_QUEUE_URL;
  if (!queueUrl) return undefined;
  const discover = (await import('../../functions/discover.js')) as unknown as { handler: ReconcileHandler };
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  return new QueueLanes({
    sqs,
    queueUrl,
    queueArn: attributes.Attributes!.QueueArn!,
    region,
    handlers: [discover.handler],
    function: { name: 'discover', timeoutMs: DISCOVER_TIMEOUT_MS },
  });
}
const discovery = await discoveryLanes();

/**
 * One sweep: the schedule handler, and the queue drained through the sandboxes meanwhile and after. With a
 * discovery queue, its messages go to `discover` all along too, and the sweep settles once every member
 * account's discovery settled and `expect` more bucket messages (those discovery enqueues) settled as well.
 */
async function sweep(expect = 0): Promise<SweepMeasurement> {
  const sampler = new RssSampler();
  const cpuBefore = process.cpuUsage();
  const before = { messages: lanes.messages, failed: lanes.failed, invocations: lanes.invocations };
  const discoveryBefore = { messages: discovery?.messages ?? 0, failed: discovery?.failed ?? 0 };
  let scheduled: Scheduled | undefined;
  const tracker = new SweepTracker({ runId: () => scheduled?.runId, maxReceiveCount: maxReceive });
  const accounts = new SweepTracker({ runId: () => scheduled?.runId, maxReceiveCount: maxReceive });
  let discoverySettledAt: number | undefined;
  const wanted = () => (scheduled?.buckets ?? 0) + expect;
  const noteDiscovery = () => {
    const settledAccounts =
      scheduled !== undefined && accounts.count >= (scheduled.accountsDiscovered?.length ?? 0);
    if (settledAccounts && discoverySettledAt === undefined) discoverySettledAt = performance.now();
  };
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
  const settled = () => {
    end ??= sweepEnd({
      scheduled: scheduled !== undefined,
      discoverySettledAt,
      settled: tracker.count,
      wanted: wanted(),
      discovery: discovery !== undefined,
      inFlight: activity.inFlight,
      lastBatchAt: activity.lastMs,
      now: performance.now(),
      idleMs: IDLE_MS,
    });
    return end !== undefined;
  };
  const early: [Message[], ReadonlySet<string>][] = [];
  const earlyAccounts: [Message[], ReadonlySet<string>][] = [];
  const scheduling = schedule
    .handler(
      scheduledEvent(region, 's3ir-bench-schedule'),
      lambdaContext('schedule', SCHEDULE_TIMEOUT_MS, region),
    )
    .then((result) => {
      scheduleMs = performance.now() - start;
      scheduled = result;
      for (const [batch, failed] of early.splice(0)) tracker.record(batch, failed);
      for (const [batch, failed] of earlyAccounts.splice(0)) accounts.record(batch, failed);
      noteDiscovery();
      settled();
    });
  try {
    await Promise.all([
      scheduling.catch((error: unknown) => {
        abort.abort();
        throw error;
      }),
      lanes.run(settled, abort.signal, (messages, failed) => {
        activity.lastMs = performance.now();
        if (scheduled === undefined) {
          early.push([messages, failed]);
          return;
        }
        tracker.record(messages, failed);
        settled();
      }),
      discovery?.run(
        () => discoverySettledAt !== undefined || end !== undefined,
        abort.signal,
        (messages, failed) => {
          if (scheduled === undefined) {
            earlyAccounts.push([messages, failed]);
            return;
          }
          accounts.record(messages, failed);
          noteDiscovery();
        },
      ),
    ]);
  } finally {
    clearTimeout(timer);
  }
  if (end === undefined) {
    throw new Error(`the sweep did not settle within ${SWEEP_TIMEOUT_MS / 60_000} minutes`);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const discovered: DiscoveryMeasurement | undefined = discovery && {
    accounts: scheduled?.accountsDiscovered?.length ?? 0,
    messages: discovery.messages - discoveryBefore.messages,
    failed: discovery.failed - discoveryBefore.failed,
    givenUp: accounts.givenUp,
    settledMs: (discoverySettledAt ?? end) - start,
  };
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
    ...(discovered && {
      discovery: discovered,
      expected: wanted(),
      unsettled: Math.max(0, wanted() - tracker.count),
    }),
  };
}

process.on('message', (request: WorkerRequest) => {
  const answer = async (): Promise<WorkerReply | undefined> => {
    switch (request.type) {
      case 'sweep':
        return { type: 'swept', measurement: await sweep(request.expect) };
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
