import { rename, rm, writeFile } from 'node:fs/promises';
import { type LocalAws, LocalAwsError, startLocalAws } from '../../../infra/local/index.js';
import { commandSpec, OPTIONS } from '../commandSpecs.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { formatHelp, parseCommand } from '../parseCommand.js';

/** Options of `s3ir local start`. */
export interface LocalStartOptions {
  /** Gateway port (default 4566, the port AWS tools expect of a local AWS; 0 picks a free one). */
  port: number;
  /** Where to write the `KEY=value` env file once ready (`--write-env`, alias `--env-file`). */
  envFile?: string;
  /** Every change event is also POSTed here (default: `S3IR_LOCAL_EVENT_WEBHOOK`). */
  eventWebhook?: string;
}

const { help } = commandSpec('local start');

function isHttpUrl(text: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

/** The options, or a {@link UsageError} naming the bad one; `help` when asked for. */
function parseOptions(argv: string[]): LocalStartOptions | 'help' {
  const values = parseCommand(argv, OPTIONS.localStart, help);
  if (values === 'help') return 'help';
  const port = /^\d{1,5}$/.test(values.port ?? '4566') ? Number(values.port ?? 4566) : Number.NaN;
  if (!(port >= 0 && port <= 65535))
    throw new UsageError(`--port must be a port number (0-65535).\n${help.usage}`);
  const eventWebhook = values['event-webhook'];
  if (eventWebhook !== undefined && !isHttpUrl(eventWebhook))
    throw new UsageError(`--event-webhook must be an http(s) URL.\n${help.usage}`);
  const writeEnv = values['write-env'];
  const envFile = values['env-file'];
  if (writeEnv !== undefined && envFile !== undefined && writeEnv !== envFile)
    throw new UsageError(`--env-file is another name for --write-env: give one of them.\n${help.usage}`);
  const path = writeEnv ?? envFile;
  if (path === '') throw new UsageError(`--write-env: expected a path.\n${help.usage}`);
  return {
    port,
    ...(path !== undefined && { envFile: path }),
    ...(eventWebhook !== undefined && { eventWebhook }),
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
 * `s3ir local start [--port N] [--write-env PATH] [--event-webhook URL]` (DESIGN.md, Contract): runs
 * the local AWS in the foreground, writes the env file once everything is ready, and stops every
 * child process on SIGINT or SIGTERM. `--event-webhook` (else `S3IR_LOCAL_EVENT_WEBHOOK`) receives
 * every change event as a JSON POST. Resolves with the exit code: 0 after a signal, 1 when it could
 * not start (a bad flag is a UsageError: 64).
 */
export async function localStart(argv: string[], io: CliIo): Promise<number> {
  const options = parseOptions(argv);
  if (options === 'help') {
    io.out(formatHelp(help));
    return 0;
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
