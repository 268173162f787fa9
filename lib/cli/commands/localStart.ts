import { rename, rm, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type LocalAws, LocalAwsError, startLocalAws } from '../../../infra/local/index.js';

/** Options of `s3ir local start`. */
export interface LocalStartOptions {
  /** Gateway port (default 4566, the port AWS tools expect of a local AWS; 0 picks a free one). */
  port: number;
  /** Where to write the `KEY=value` env file once ready. */
  envFile?: string;
  /** Every change event is also POSTed here (default: `S3IR_LOCAL_EVENT_WEBHOOK`). */
  eventWebhook?: string;
}

const usage = 'Usage: s3ir local start [--port N] [--env-file PATH] [--event-webhook URL]';

const optionSpec = {
  port: { type: 'string' },
  'env-file': { type: 'string' },
  'event-webhook': { type: 'string' },
} as const;

function isHttpUrl(text: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

function parseOptions(argv: string[]): LocalStartOptions | string {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof optionSpec }>>;
  try {
    parsed = parseArgs({ args: argv, options: optionSpec });
  } catch (error) {
    return `${(error as Error).message}\n${usage}`;
  }
  const port = Number(parsed.values.port ?? 4566);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    return `--port must be a port number (0-65535).\n${usage}`;
  const eventWebhook = parsed.values['event-webhook'];
  if (eventWebhook !== undefined && !isHttpUrl(eventWebhook))
    return `--event-webhook must be an http(s) URL.\n${usage}`;
  return {
    port,
    ...(parsed.values['env-file'] ? { envFile: parsed.values['env-file'] } : {}),
    ...(eventWebhook ? { eventWebhook } : {}),
  };
}

/** Writes the env file atomically, so a reader polling for it never sees half of it. */
async function writeEnvFile(path: string, env: Record<string, string>): Promise<void> {
  const lines = Object.entries(env).map(([name, value]) => `${name}=${value}`);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${lines.join('\n')}\n`);
  await rename(temporary, path);
}

function printReady(local: LocalAws, envFile: string | undefined, eventWebhook: string | undefined): void {
  const { env } = local;
  console.log(`Local AWS ready on ${local.endpoint} (started in ${(local.startupMs / 1000).toFixed(1)} s)`);
  if (envFile) console.log(`Env file: ${envFile}  (load it with: set -a; . ${envFile}; set +a)`);
  console.log('Point the AWS CLI at it:');
  console.log(
    `  export AWS_ACCESS_KEY_ID=${env.AWS_ACCESS_KEY_ID} AWS_SECRET_ACCESS_KEY=${env.AWS_SECRET_ACCESS_KEY} AWS_REGION=${env.AWS_REGION}`,
  );
  console.log(`  aws --endpoint-url ${local.endpoint} s3api list-buckets`);
  console.log(
    `Tables: ${env.S3IR_DESIRED_TABLE}, ${env.S3IR_STATE_TABLE}, ${env.S3IR_AUDIT_TABLE}; alert topic: ${env.S3IR_ALERT_TOPIC_ARN}`,
  );
  console.log(`Reconcile queue: ${env.S3IR_QUEUE_URL} (dead letters: ${env.S3IR_DLQ_URL})`);
  if (eventWebhook) console.log(`Change events are POSTed to ${eventWebhook}`);
  console.log(`Calls so far: curl ${local.endpoint}/_local/calls`);
  console.log('Press Ctrl+C to stop.');
}

/**
 * `s3ir local start [--port N] [--env-file PATH] [--event-webhook URL]` (DESIGN.md, Contract): runs
 * the local AWS in the foreground, writes the env file once everything is ready, and stops every
 * child process on SIGINT or SIGTERM. `--event-webhook` (else `S3IR_LOCAL_EVENT_WEBHOOK`) receives
 * every change event as a JSON POST. Resolves with the exit code: 0 after a signal, 1 when it could
 * not start.
 */
export async function localStart(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  if (typeof options === 'string') {
    console.error(options);
    return 1;
  }
  let signalled = false;
  let onSignal = () => {};
  const stopRequested = new Promise<void>((resolve) => {
    onSignal = () => {
      signalled = true;
      resolve();
    };
  });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    // A stale file from an earlier run must not look like "ready".
    if (options.envFile) await rm(options.envFile, { force: true });
    let local: LocalAws;
    try {
      local = await startLocalAws({
        port: options.port,
        ...(options.eventWebhook ? { eventWebhookUrl: options.eventWebhook } : {}),
      });
    } catch (error) {
      return reportStartFailure(error, options.port);
    }
    if (!signalled) {
      if (options.envFile) await writeEnvFile(options.envFile, local.env);
      printReady(local, options.envFile, options.eventWebhook ?? process.env.S3IR_LOCAL_EVENT_WEBHOOK);
      await stopRequested;
    }
    console.log('Stopping the local AWS…');
    await local.stop();
    if (options.envFile) await rm(options.envFile, { force: true });
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function reportStartFailure(error: unknown, port: number): number {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(
      `s3ir local start: port ${port} is in use. Choose another with --port N (0 picks a free one).`,
    );
  } else if (error instanceof LocalAwsError) {
    console.error(`s3ir local start: ${error.message}`);
  } else {
    console.error('s3ir local start failed; this is a bug:');
    console.error(error);
  }
  return 1;
}
