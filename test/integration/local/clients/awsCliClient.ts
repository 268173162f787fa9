import { execFile } from 'node:child_process';
import type { InventoryConfiguration } from '@aws-sdk/client-s3';
import { localAws } from '../localAwsClients.js';
import type {
  Call,
  ConformanceClient,
  InventoryPage,
  KeyFields,
  OperationName,
  Operations,
  Replies,
  Reply,
} from './conformanceClient.js';

/**
 * Runs a sequence of AWS CLI command lines in ONE Python process, each through a fresh
 * `awscli.clidriver` exactly as the `aws` entry point does (`create_clidriver().main(argv)`), so one
 * interpreter start (~1 s, more on a loaded machine) serves a whole case. Per command it reports
 * the exit code, what the CLI printed, and the HTTP status of each response (botocore's `after-call`
 * event, which fires for errors too, before the ClientError is raised).
 */
const BATCH_RUNNER = `
import contextlib, io, json, sys
from awscli.clidriver import create_clidriver
results = []
for argv in json.loads(sys.stdin.read()):
    statuses = []
    driver = create_clidriver()
    driver.session.register('after-call', lambda http_response, **_: statuses.append(http_response.status_code))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = driver.main(argv)
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 1
    results.append({'exitCode': code, 'statuses': statuses, 'stdout': out.getvalue(), 'stderr': err.getvalue()})
sys.stdout.write(json.dumps(results))
`;

/** The interpreter of this machine's `aws` (pyenv 3.11, aws-cli 1.x over botocore 1.43). */
const PYTHON = 'python3';

/** botocore's ClientError text, e.g. `An error occurred (NoSuchBucket) when calling the X operation: msg`. */
const CLIENT_ERROR = /An error occurred \(([^)]+)\) when calling the \w+ operation(?: \([^)]*\))?: (.*)/g;

/** A batch of a few commands may take tens of seconds on a loaded 2-core machine. */
const BATCH_TIMEOUT_MS = 120_000;

function cliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    // One attempt, like the SDK clients: a retry must not hide a 5xx from the local AWS.
    AWS_MAX_ATTEMPTS: '1',
    AWS_RETRY_MODE: 'standard',
    // No profile, SSO or credential process of this machine's user can leak in.
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
  // `python3` is a pyenv shim here: keep its version selection.
  for (const [name, value] of Object.entries(process.env)) if (name.startsWith('PYENV')) env[name] = value;
  return env;
}

interface CliRun {
  exitCode: number;
  statuses: number[];
  stdout: string;
  stderr: string;
}

function runBatch(commands: string[][]): Promise<CliRun[]> {
  const endpoint = ['--endpoint-url', localAws().endpoint, '--output', 'json'];
  return new Promise((resolve, reject) => {
    const child = execFile(
      PYTHON,
      ['-c', BATCH_RUNNER],
      { env: cliEnv(), timeout: BATCH_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`AWS CLI batch failed (${error.message}): ${stderr.slice(-2000)}`));
        else resolve(JSON.parse(stdout) as CliRun[]);
      },
    );
    child.stdin?.end(JSON.stringify(commands.map((command) => [...endpoint, ...command])));
  });
}

/** Reads one command's run: the printed JSON, or botocore's error Code and message. */
function toReply<T>(command: string[], run: CliRun, pick: (json: Record<string, unknown>) => T): Reply<T> {
  const status = run.statuses.at(-1);
  const describe = () =>
    `aws ${command.slice(0, 2).join(' ')} (exit ${run.exitCode}): ${run.stderr.slice(-2000)}`;
  // No HTTP exchange (e.g. "Parameter validation failed"): a client-side failure, not a conformance fact.
  if (status === undefined) throw new Error(`no HTTP response: ${describe()}`);
  if (run.exitCode === 0) {
    const json = run.stdout.trim() ? (JSON.parse(run.stdout) as Record<string, unknown>) : {};
    return { ok: true, status, value: pick(json) };
  }
  const error = [...run.stderr.matchAll(CLIENT_ERROR)].at(-1);
  if (!error) throw new Error(`unreadable CLI failure: ${describe()}`);
  return { ok: false, status, code: error[1]!, message: error[2]!.trim() };
}

/** A command line and how to read its printed JSON into the operation's output. */
interface Command<T> {
  argv: string[];
  pick?: (json: Record<string, unknown>) => T;
}

type Commands = {
  [K in OperationName]: (...args: Operations[K]['args']) => Command<Operations[K]['output']>;
};

const ownerArgs = (owner?: string) => (owner === undefined ? [] : ['--expected-bucket-owner', owner]);

const policyNameArgs = (policyName?: string) => (policyName ? ['--policy-name', policyName] : []);

/** KeyMetadata without dates (the CLI prints CreationDate as epoch seconds). */
function keyFields(json: Record<string, unknown>): KeyFields {
  const {
    CreationDate: _c,
    DeletionDate: _d,
    ValidTo: _v,
    ...fields
  } = (json.KeyMetadata ?? {}) as Record<string, unknown>;
  return fields as unknown as KeyFields;
}

const commands: Commands = {
  createBucket: (bucket) => ({ argv: ['s3api', 'create-bucket', '--bucket', bucket] }),
  headBucket: (bucket, owner) => ({
    argv: ['s3api', 'head-bucket', '--bucket', bucket, ...ownerArgs(owner)],
    pick: (json) => ({ BucketRegion: json.BucketRegion as string | undefined }),
  }),
  // The CLI pages ListBuckets itself (`--page-size` is MaxBuckets), following each ContinuationToken.
  listBuckets: (prefix, pageSize, bucketRegion) => ({
    argv: [
      's3api',
      'list-buckets',
      '--prefix',
      prefix,
      '--page-size',
      String(pageSize),
      ...(bucketRegion === undefined ? [] : ['--bucket-region', bucketRegion]),
    ],
    pick: (json) => ({
      Buckets: ((json.Buckets ?? []) as { Name?: string; BucketRegion?: string }[]).map(
        ({ Name, BucketRegion }) => ({ Name, BucketRegion }),
      ),
    }),
  }),
  putInventory: (bucket, configuration) => ({
    argv: [
      's3api',
      'put-bucket-inventory-configuration',
      '--bucket',
      bucket,
      '--id',
      configuration.Id ?? '',
      '--inventory-configuration',
      JSON.stringify(configuration),
    ],
  }),
  getInventory: (bucket, id) => ({
    argv: ['s3api', 'get-bucket-inventory-configuration', '--bucket', bucket, '--id', id],
    pick: (json) => (json.InventoryConfiguration ?? {}) as InventoryConfiguration,
  }),
  listInventory: (bucket, token) => ({
    argv: [
      's3api',
      'list-bucket-inventory-configurations',
      '--bucket',
      bucket,
      ...(token ? ['--continuation-token', token] : []),
    ],
    pick: (json) => json as InventoryPage,
  }),
  deleteInventory: (bucket, id) => ({
    argv: ['s3api', 'delete-bucket-inventory-configuration', '--bucket', bucket, '--id', id],
  }),
  putBucketPolicy: (bucket, policy, owner) => ({
    argv: ['s3api', 'put-bucket-policy', '--bucket', bucket, '--policy', policy, ...ownerArgs(owner)],
  }),
  getBucketPolicy: (bucket, owner) => ({
    argv: ['s3api', 'get-bucket-policy', '--bucket', bucket, ...ownerArgs(owner)],
    pick: (json) => String(json.Policy ?? ''),
  }),
  deleteBucketPolicy: (bucket, owner) => ({
    argv: ['s3api', 'delete-bucket-policy', '--bucket', bucket, ...ownerArgs(owner)],
  }),
  createKey: (description) => ({
    argv: ['kms', 'create-key', '--description', description],
    pick: keyFields,
  }),
  describeKey: (keyId) => ({ argv: ['kms', 'describe-key', '--key-id', keyId], pick: keyFields }),
  getKeyPolicy: (keyId, policyName) => ({
    argv: ['kms', 'get-key-policy', '--key-id', keyId, ...policyNameArgs(policyName)],
  }),
  putKeyPolicy: (keyId, policy, policyName) => ({
    argv: ['kms', 'put-key-policy', '--key-id', keyId, '--policy', policy, ...policyNameArgs(policyName)],
  }),
  disableKey: (keyId) => ({ argv: ['kms', 'disable-key', '--key-id', keyId] }),
  enableKey: (keyId) => ({ argv: ['kms', 'enable-key', '--key-id', keyId] }),
  scheduleKeyDeletion: (keyId, days) => ({
    argv: ['kms', 'schedule-key-deletion', '--key-id', keyId, '--pending-window-in-days', String(days)],
    pick: ({ KeyId, KeyState, PendingWindowInDays }) => ({
      KeyId: KeyId as string | undefined,
      KeyState: KeyState as string | undefined,
      PendingWindowInDays: PendingWindowInDays as number | undefined,
    }),
  }),
};

/**
 * The AWS CLI on this machine (aws-cli 1.x over botocore 1.43) as the independent client: its own
 * argument parsing, serializers and parsers, from botocore's service models. botocore validates
 * types and required members client-side but not enum values, so the newer SDK's
 * `InventoryOptionalField`s that botocore 1.43 does not list still pass, both ways.
 */
export function awsCliClient(): ConformanceClient {
  return {
    name: 'aws-cli',
    async run<const C extends readonly Call[]>(...calls: C): Promise<Replies<C>> {
      const planned = calls.map(({ op, args }) =>
        (commands[op] as (...a: unknown[]) => Command<unknown>)(...args),
      );
      const runs = await runBatch(planned.map(({ argv }) => argv));
      return planned.map(({ argv, pick }, index) =>
        toReply(argv, runs[index]!, pick ?? ((json) => json)),
      ) as Replies<C>;
    },
  };
}
