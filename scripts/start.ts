/**
 * `npm start -- [--once] [--port N] [--write-env PATH] [--schedule SECONDS] [--verbose]`: the service on the
 * local AWS, as a newcomer's first experience (issue 5, DESIGN.md Contract). Starts the local AWS, seeds a
 * demo estate drifted in every way, applies its desired state, prints the plan, runs one sweep to the end,
 * shows the alerts and the audit history, writes the env file, then keeps the service running (scheduled
 * sweeps, the SQS worker, the event-driven path) until Ctrl-C. `--once` stops after the first cycle.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ORG_DEMO } from '../infra/local/demo/constants.js';
import {
  applyDemoDesired,
  auditHistory,
  countAlerts,
  DEMO_DESIRED_FILE,
  formatActivity,
  formatAlerts,
  formatAudit,
  openAlertInbox,
  planEstate,
  pointers,
  seedEstate,
} from '../infra/local/demo/index.js';
import {
  discoveryQueueUrl,
  memberInventoryIds,
  type SeededOrganization,
  seedOrganization,
} from '../infra/local/demo/seedOrganization.js';
import { type LocalAws, LocalAwsError, startLocalAws } from '../infra/local/index.js';
import { type StartedLocalService, startLocalService } from '../infra/local/service/index.js';
import { drained } from '../lib/cli/io.js';
import { renderPlans } from '../lib/cli/render/renderPlan.js';
import { cliWiring } from '../lib/wiring/cliWiring.js';
import { readServiceConfig } from '../lib/wiring/serviceConfig.js';

interface StartOptions {
  once: boolean;
  port: number;
  envFile: string;
  scheduleSeconds: number;
  verbose: boolean;
}

const usage =
  'Usage: npm start -- [--once] [--port N] [--write-env PATH] [--schedule SECONDS] [--verbose]\n' +
  '  --write-env PATH  where the env file goes once everything is ready (default .env.local; alias --env-file)';

function parseOptions(argv: string[]): StartOptions | string {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        once: { type: 'boolean' },
        port: { type: 'string' },
        'write-env': { type: 'string' },
        // Node 20 reads `--env-file` off npm's own command line before npm runs: kept for direct callers.
        'env-file': { type: 'string' },
        schedule: { type: 'string' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    return `${(error as Error).message}\n${usage}`;
  }
  if (values.help) return usage;
  const port = Number(values.port ?? 4566);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return `--port must be 0-65535.\n${usage}`;
  const scheduleSeconds = Number(values.schedule ?? 60);
  if (!Number.isFinite(scheduleSeconds) || scheduleSeconds < 1)
    return `--schedule must be >= 1 second.\n${usage}`;
  const writeEnv = values['write-env'];
  const envFile = values['env-file'];
  if (writeEnv !== undefined && envFile !== undefined && writeEnv !== envFile)
    return `--env-file is another name for --write-env: give one of them.\n${usage}`;
  const path = String(writeEnv ?? envFile ?? '.env.local');
  if (path === '') return `--write-env: expected a path.\n${usage}`;
  return {
    once: values.once === true,
    port,
    envFile: path,
    scheduleSeconds,
    verbose: values.verbose === true,
  };
}

const elapsed = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const heading = (text: string) => console.log(`\n== ${text}`);

/** Writes the env file atomically, so a reader polling for it never sees half of it. */
async function writeEnvFile(path: string, env: Record<string, string>): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(
    temporary,
    `${Object.entries(env)
      .map(([name, value]) => `${name}=${value}`)
      .join('\n')}\n`,
  );
  await rename(temporary, path);
}

/** The first cycle's service and the env it runs with (the local AWS's, plus the organization). */
interface FirstCycle {
  service: StartedLocalService;
  env: Record<string, string>;
}

/**
 * The organization's buckets after the sweep (#18): each member bucket's inventory Ids, read as its owner,
 * and whether S3 (the local delivery simulation) delivers its report now.
 */
async function showOrganization(
  local: LocalAws,
  config: Parameters<typeof memberInventoryIds>[0],
  organization: SeededOrganization,
): Promise<void> {
  const tagged = organization.buckets.filter((spec) => spec.tagged).map((spec) => spec.bucket);
  const reply = await fetch(`${local.endpoint}/_local/deliver`, {
    method: 'POST',
    body: JSON.stringify({ buckets: tagged }),
  });
  const delivery = (await reply.json()) as {
    delivered: { bucket: string }[];
    refused: { bucket: string; reason: string }[];
  };
  for (const spec of organization.buckets) {
    const ids = await memberInventoryIds(config, spec);
    const refused = delivery.refused.find((entry) => entry.bucket === spec.bucket);
    const delivered = delivery.delivered.some((entry) => entry.bucket === spec.bucket);
    const state = !spec.tagged
      ? ids.length === 0
        ? 'untouched (not tagged)'
        : `TOUCHED: ${ids.join(', ')}`
      : ids.includes(ORG_DEMO.inventoryId) && delivered
        ? `in sync: ${ids.join(', ')}, report delivered`
        : `NOT in sync: ${ids.join(', ') || 'no inventory'}${refused ? `, refused: ${refused.reason}` : ''}`;
    console.log(`  ${spec.bucket.padEnd(30)} account ${spec.account}  ${spec.region.padEnd(10)} ${state}`);
  }
}

/** The first cycle: seed, apply, plan, one sweep to the end, alerts and audit. */
async function firstCycle(local: LocalAws, options: StartOptions): Promise<FirstCycle> {
  const started = Date.now();
  const config = {
    endpoint: local.env.AWS_ENDPOINT_URL,
    region: local.env.AWS_REGION,
    credentials: {
      accessKeyId: local.env.AWS_ACCESS_KEY_ID,
      secretAccessKey: local.env.AWS_SECRET_ACCESS_KEY,
    },
  };
  const estate = await seedEstate(config);
  console.log(
    `Seeded ${estate.sources.length} source buckets, destinations ${estate.destinations.join(' and ')} ` +
      `(the second in eu-west-1), KMS key ${estate.keyArn}`,
  );
  const organization = await seedOrganization(config, estate.account);
  const accounts = Object.entries(organization.members).map(([name, id]) => `${name} ${id}`);
  console.log(
    `Seeded organization ${organization.organizationId}: OUs ${ORG_DEMO.units.security} ` +
      `${organization.units.security} and ${ORG_DEMO.units.apps} ${organization.units.apps}, member accounts ` +
      `${accounts.join(', ')}; ${organization.buckets.length} member buckets in us-east-1 and eu-west-1`,
  );
  // The service acts in the organization's accounts (S3IR_ALLOWED_ACCOUNTS takes its id, #18) and fans out
  // its discovery through a queue, as deployed.
  const env = {
    ...local.env,
    S3IR_ALLOWED_ACCOUNTS: [local.env.S3IR_ALLOWED_ACCOUNTS, organization.organizationId]
      .filter(Boolean)
      .join(','),
    S3IR_DISCOVERY_QUEUE_URL: await discoveryQueueUrl(config, local.env),
  };
  const items = await applyDemoDesired({
    config,
    tableName: env.S3IR_DESIRED_TABLE,
    keyArn: estate.keyArn,
    replacements: {
      [ORG_DEMO.unitPlaceholders.security]: organization.units.security,
      [ORG_DEMO.unitPlaceholders.apps]: organization.units.apps,
    },
  });
  console.log(
    `Applied ${items} desired-state items from ${DEMO_DESIRED_FILE.replace(`${process.cwd()}/`, '')}`,
  );
  const inbox = await openAlertInbox(config, env.S3IR_ALERT_TOPIC_ARN);
  const service = await startLocalService({
    // #18 point 4: the demo's few buckets per account each show their own first alert; a run of more than 20
    // in one account is summarised after the 20th, as `adoptionSingleAlerts` would deploy it.
    env: { S3IR_ADOPTION_SINGLE_ALERTS: '20', ...env },
    onChangeEvent: (listener) => local.onChangeEvent(listener),
    scheduleSeconds: options.scheduleSeconds,
    idle: true,
    logLevel: options.verbose ? 'INFO' : 'WARN',
    onActivity: (activity) => {
      if (activity.kind === 'error' || options.verbose) console.log(formatActivity(activity));
    },
  });
  try {
    heading('Plan (what one sweep will change)');
    const deps = cliWiring(readServiceConfig(service.functionEnv));
    // The home account's buckets and the member accounts' (#18), each planned where it lives.
    const { plans, errors, accountErrors } = await planEstate(deps, `plan-${Date.now()}`);
    process.stdout.write(renderPlans(plans, { color: process.stdout.isTTY === true }));
    for (const error of errors) console.log(`  ? ${error.bucket}: could not plan: ${error.message}`);
    for (const failure of accountErrors)
      console.log(`  ? account ${failure.account}: its buckets could not be listed: ${failure.message}`);

    heading('Reconcile (schedule -> SQS -> reconcile)');
    const sweepStarted = Date.now();
    const sweep = await service.sweep();
    console.log(`schedule: run ${sweep.runId} enqueued ${sweep.buckets} buckets`);
    if (sweep.accountsDiscovered)
      console.log(
        `schedule: ${sweep.accountsDiscovered.length} member accounts enqueued for discovery ` +
          `(${sweep.accountsDiscovered.join(', ')})`,
      );
    const handled = await service.drain();
    console.log(`reconcile: ${handled} messages handled, queue drained in ${elapsed(sweepStarted)}`);

    heading('Organization (member buckets after the sweep)');
    await showOrganization(local, config, organization);

    const alerts = await inbox.read();
    heading(`Alerts that arrived on SNS (${countAlerts(alerts)})`);
    for (const line of formatAlerts(alerts)) console.log(line);

    heading('Audit history (newest first)');
    const history = await auditHistory({ config, tableName: env.S3IR_AUDIT_TABLE, since: new Date(started) });
    for (const line of formatAudit(history)) console.log(line);
    return { service, env };
  } catch (error) {
    await service.stop();
    throw error;
  } finally {
    inbox.close();
  }
}

async function main(argv: string[]): Promise<number> {
  // This machine's Node 20 is supported here (DESIGN.md, Toolchain): the SDK's notice is noise for a newcomer.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const options = parseOptions(argv);
  if (typeof options === 'string') {
    console.error(options);
    return options === usage ? 0 : 64; // a usage error: EX_USAGE, as s3ir's
  }
  const started = Date.now();
  let stop: () => void = () => {};
  const stopRequested = new Promise<void>((resolve) => {
    stop = resolve;
  });
  // `on`, not `once`: Ctrl-C reaches this process from the terminal and again through npm or tsx relaying
  // it, and a second signal with no listener would kill the process halfway through stopping its children.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await rm(options.envFile, { force: true });

  console.log('Starting the local AWS (moto, DynamoDB Local, gateway)…');
  let local: LocalAws;
  try {
    local = await startLocalAws({ port: options.port });
  } catch (error) {
    return reportFailure(error, options);
  }
  console.log(`Local AWS ready on ${local.endpoint} in ${(local.startupMs / 1000).toFixed(1)} s`);
  let service: StartedLocalService | undefined;
  try {
    const cycle = await Promise.race([firstCycle(local, options), stopRequested.then(() => undefined)]);
    if (!cycle) return 0;
    service = cycle.service;
    // The env file means "ready" (Contract): when the service keeps running, only once its loops run too,
    // so that a change made as soon as the file appears is seen (the stream is read from LATEST).
    if (!options.once) await service.run();
    // AWS_DEFAULT_REGION too: the AWS CLI reads only that one.
    await writeEnvFile(options.envFile, { ...cycle.env, AWS_DEFAULT_REGION: local.env.AWS_REGION });
    console.log(`\nFirst cycle done in ${elapsed(started)}. Env file: ${options.envFile}`);
    if (options.once) return 0;

    console.log(
      `\nThe service is running on ${local.endpoint}: a sweep every ${options.scheduleSeconds} s, the SQS worker, ` +
        `S3/KMS change events${service.streaming ? ', the desired-state table stream' : ''}.`,
    );
    for (const line of pointers(local.env, options.envFile)) console.log(line);
    console.log('Press Ctrl-C to stop.\n');
    await stopRequested;
    console.log('\nStopping…');
    return 0;
  } catch (error) {
    return reportFailure(error, options);
  } finally {
    await service?.stop();
    await local.stop();
    if (!options.once) {
      await rm(options.envFile, { force: true });
      console.log('Stopped: the service and the local AWS are down.');
    }
  }
}

function reportFailure(error: unknown, options: StartOptions): number {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(
      `npm start: port ${options.port} is in use. Choose another with --port N (0 picks a free one).`,
    );
  } else if (error instanceof LocalAwsError) {
    console.error(`npm start: ${error.message}`);
  } else if (options.verbose) {
    console.error('npm start failed:', error);
  } else {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    console.error(`npm start failed: ${message}\n(run with --verbose for details)`);
  }
  return 1;
}

// package.json runs `node --import tsx scripts/start.ts --`: Node 20 takes any `--env-file` before a `--` as its own
// flag (even after the script name), so npm's arguments arrive behind that `--`. tsx is a loader in this one
// process, not the `tsx` command: that one relays Ctrl-C to its child and, when the child does not answer within
// 30 ms (a loaded machine), kills it with SIGKILL halfway through stopping the local AWS.
const argv = process.argv.slice(2);
const code = await main(argv[0] === '--' ? argv.slice(1) : argv);
// Everything written reaches a pipe before the process ends (a pipe takes 64 KiB at a time).
await Promise.all([drained(process.stdout), drained(process.stderr)]);
process.exit(code);
