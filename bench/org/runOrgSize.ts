import { GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  GetBucketPolicyCommand,
  ListBucketInventoryConfigurationsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { memberConfig } from '../../infra/local/demo/seedOrganization.js';
import { startLocalAws } from '../../infra/local/localAws.js';
import { createLogger } from '../../infra/local/logger.js';
import { mapLimit } from '../../lib/core/concurrency/mapLimit.js';
import type { SeedClientConfig } from '../estate/seedEstate.js';
import { GatewayControl } from '../gatewayControl.js';
import { withMotoPatch } from '../motoPatch.js';
import { describeSweep, measureSweep, type Progress } from '../runSize.js';
import type { BenchOptions, OrganizationBenchOptions } from '../types.js';
import { WorkerProcess } from '../WorkerProcess.js';
import type { ConvergenceChecks, OrgSizeResult, SharedPolicies } from './orgTypes.js';
import { ORG_ESTATE, type OrgEstatePlan, planOrgEstate } from './planOrgEstate.js';
import { type SeededOrgEstate, seedOrgEstate } from './seedOrgEstate.js';

/** Tagged buckets read back after the first sweep, spread over every account. */
const SAMPLE = 200;
const READ_PARALLELISM = 16;

/**
 * #18 point 8, on a local AWS of its own: the organization estate seeded, the worker running the real
 * schedule, discover and reconcile handlers (S3IR_ALLOWED_ACCOUNTS = the organization's id, discovery through
 * its queue), the latency rules, then the first sweep (adoption), the shared policies and a sample of
 * buckets read back as their owners, and the steady-state sweep.
 */
export async function runOrgSize(
  organization: OrganizationBenchOptions,
  options: Pick<BenchOptions, 'concurrency' | 'latency'>,
  progress: Progress,
): Promise<OrgSizeResult> {
  const label = `org ${organization.accounts}×${organization.buckets}`;
  const { value: local, motoPatch } = await withMotoPatch(() =>
    startLocalAws({ port: 0, logger: createLogger('local-aws', 'warn') }),
  );
  progress(`${label}: local AWS on ${local.endpoint}; moto SQS patch ${motoPatch}`);
  const control = new GatewayControl(local.endpoint);
  const config: SeedClientConfig = {
    endpoint: local.endpoint,
    region: local.env.AWS_REGION,
    credentials: {
      accessKeyId: local.env.AWS_ACCESS_KEY_ID,
      secretAccessKey: local.env.AWS_SECRET_ACCESS_KEY,
    },
  };
  let worker: WorkerProcess | undefined;
  try {
    const plan = planOrgEstate(organization.accounts, organization.buckets);
    const seedStart = performance.now();
    const estate = await seedOrgEstate(plan, config, { ...local.env });
    const seedMs = performance.now() - seedStart;
    progress(
      `${label}: seeded in ${(seedMs / 1000).toFixed(1)} s: organization ${estate.organizationId}, ` +
        `${estate.accounts.length} member accounts, ${plan.buckets} tagged buckets`,
    );
    const started = await WorkerProcess.start({
      localEnv: {
        ...local.env,
        // The platform team's setting (#18 point 1): every account of the organization, resolved per sweep.
        S3IR_ALLOWED_ACCOUNTS: estate.organizationId,
        S3IR_DISCOVERY_QUEUE_URL: estate.discoveryQueueUrl,
      },
      concurrency: options.concurrency,
    });
    worker = started.worker;
    progress(`${label}: worker ready (${options.concurrency} reconcile sandboxes, 1 discover)`);
    await control.clearFaults();
    await control.addLatency(options.latency);

    const first = await measureSweep(worker, control, plan.buckets, options, plan.buckets);
    progress(`${label}: first sweep ${describeSweep(first)}`);
    // Read back with the latency rules on: a few hundred calls, before the steady sweep resets the counts.
    const policies = await readSharedPolicies(config, estate);
    const checks = await checkConvergence(config, plan, estate);
    progress(
      `${label}: destination policy ${policies.destinationBytes} bytes, key policy ${policies.keyBytes} bytes; ` +
        `${checks.sampled - checks.notConverged.length}/${checks.sampled} sampled converged, ` +
        `${checks.untaggedTouched.length} untagged touched`,
    );
    // The next sweep sends the first sweep's summaries (#18 point 4); steady state is the one after it.
    const settle = await measureSweep(worker, control, plan.buckets, options, plan.buckets);
    progress(`${label}: settling sweep ${describeSweep(settle)}`);
    const steady = await measureSweep(worker, control, plan.buckets, options, plan.buckets);
    progress(`${label}: steady sweep ${describeSweep(steady)}`);
    const peakRssMiB = await worker.finish();
    return {
      accounts: organization.accounts,
      buckets: plan.buckets,
      mix: plan.mix,
      sandboxes: options.concurrency + 1,
      motoPatch,
      seedMs,
      first,
      settle,
      steady,
      peakRssMiB,
      policies,
      checks,
    };
  } finally {
    worker?.kill();
    await local.stop();
  }
}

/** Every `aws:SourceAccount` a policy's statements name. */
function sourceAccounts(statements: { Condition?: Record<string, Record<string, unknown>> }[]): Set<string> {
  const accounts = new Set<string>();
  for (const statement of statements) {
    for (const operator of Object.values(statement.Condition ?? {})) {
      const value = operator['aws:SourceAccount'];
      for (const account of Array.isArray(value) ? value : value === undefined ? [] : [value])
        accounts.add(String(account));
    }
  }
  return accounts;
}

/** The destination's and the key's policies as their owner (the home account) reads them. */
async function readSharedPolicies(
  config: SeedClientConfig,
  estate: SeededOrgEstate,
): Promise<SharedPolicies> {
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const kms = new KMSClient(config);
  try {
    const bucketPolicy =
      (await s3.send(new GetBucketPolicyCommand({ Bucket: ORG_ESTATE.destination }))).Policy ?? '{}';
    const keyPolicy =
      (await kms.send(new GetKeyPolicyCommand({ KeyId: estate.keyArn, PolicyName: 'default' }))).Policy ??
      '{}';
    const destination = (JSON.parse(bucketPolicy) as { Statement?: [] }).Statement ?? [];
    const key = (JSON.parse(keyPolicy) as { Statement?: [] }).Statement ?? [];
    return {
      destinationBytes: Buffer.byteLength(bucketPolicy),
      destinationStatements: destination.length,
      grantedAccounts: sourceAccounts(destination).size,
      keyBytes: Buffer.byteLength(keyPolicy),
      keyStatements: key.length,
    };
  } finally {
    s3.destroy();
    kms.destroy();
  }
}

/**
 * A sample of the tagged buckets (the same share of every account) and every untagged bucket, read as
 * their owners: the tagged have the declared report, the untagged have none.
 */
async function checkConvergence(
  config: SeedClientConfig,
  plan: OrgEstatePlan,
  estate: SeededOrgEstate,
): Promise<ConvergenceChecks> {
  const perAccount = Math.max(1, Math.ceil(SAMPLE / plan.accounts.length));
  const reads = plan.accounts.flatMap((member, index) => {
    const step = Math.max(1, Math.floor(member.buckets.length / perAccount));
    const account = estate.accounts[index]!;
    return [
      ...member.buckets
        .filter((_, position) => position % step === 0)
        .slice(0, perAccount)
        .map((bucket) => ({ account, bucket: bucket.bucket, tagged: true })),
      { account, bucket: member.untagged, tagged: false },
    ];
  });
  const clients = new Map<string, S3Client>();
  try {
    await mapLimit(estate.accounts, 4, async (account) => {
      clients.set(account, new S3Client({ ...(await memberConfig(config, account)), forcePathStyle: true }));
    });
    const found = await mapLimit(reads, READ_PARALLELISM, async (read) => {
      const listed = await clients.get(read.account)!.send(
        new ListBucketInventoryConfigurationsCommand({
          Bucket: read.bucket,
          ExpectedBucketOwner: read.account,
        }),
      );
      const configurations = listed.InventoryConfigurationList ?? [];
      const converged = configurations.some(
        (configuration) =>
          configuration.Id === ORG_ESTATE.configId &&
          configuration.Schedule?.Frequency === 'Daily' &&
          configuration.Destination?.S3BucketDestination?.Bucket === `arn:aws:s3:::${ORG_ESTATE.destination}`,
      );
      return { ...read, converged, touched: configurations.length > 0 };
    });
    const tagged = found.filter((read) => read.tagged);
    const untagged = found.filter((read) => !read.tagged);
    return {
      sampled: tagged.length,
      notConverged: tagged.filter((read) => !read.converged).map((read) => read.bucket),
      untagged: untagged.length,
      untaggedTouched: untagged.filter((read) => read.touched).map((read) => read.bucket),
    };
  } finally {
    for (const client of clients.values()) client.destroy();
  }
}
