import type {
  BenchOptions,
  LatencyByService,
  LatencyCheckOptions,
  OrganizationBenchOptions,
} from './types.js';

/** Issue #7: the sizes of a full run, and of `--quick`. */
export const FULL_SIZES = [100, 1_000, 10_000];
export const QUICK_SIZES = [100, 1_000];

/** Issue #7's default latency per call. */
export const DEFAULT_LATENCY: LatencyByService = { s3: 20, kms: 15, dynamodb: 10 };

const DEFAULTS = { concurrency: 8, outDir: 'bench', changes: 20 } as const;

/**
 * The full run's latency-bound check: N = 1,000 with every latency ×10. There the calls' latency, not this
 * machine's two cores, bounds the sweep (the CPU floor is about a quarter of the latency floor), so the
 * ratio to the floor is the code's own overhead. ×10 rather than less: the local AWS's own service time
 * (moto's, a few ms a call) is not in the floor, and must stay small beside the injected latency.
 */
export const DEFAULT_LATENCY_CHECK: LatencyCheckOptions = { buckets: 1_000, factor: 10 };

/**
 * #18 point 8: the organization estate of a full run (`--accounts 50 --buckets 10000` alone runs it alone):
 * the issue's own measurement, 10,000 sources in 50 accounts sharing one destination and one key.
 */
export const DEFAULT_ORGANIZATION: OrganizationBenchOptions = { accounts: 50, buckets: 10_000 };
/** moto creates member accounts one CreateAccount at a time: more than this is setup, not a benchmark. */
const MAX_ACCOUNTS = 500;

/** The services the gateway can delay (`POST /_local/faults`, rule `service`). */
const LATENCY_SERVICES = new Set(['s3', 'kms', 'dynamodb', 'sqs', 'sns', 'sts']);

export const USAGE = `Usage: npm run bench -- [options]
  --quick                 N = ${QUICK_SIZES.join(', ')} (default: ${FULL_SIZES.join(', ')})
  --sizes 100,1000,10000  source buckets per run
  --concurrency 8         in-process reconcile workers (Lambda sandboxes)
  --latency s3=20,kms=15,dynamodb=10   injected latency per call, ms
  --changes 20            hand-made changes timed on the event-driven path, per size
  --latency-check 1000x10 one more size with every latency multiplied, or "off"
                          (default: 1000x10 on the full run, off with --quick or --sizes)
  --out bench/            where results.md, results.json and sweep.svg go
  --accounts 50 --buckets 10000
                          an organization: N buckets over A member accounts in OUs, sharing one
                          destination and one KMS key (#18; alone unless --sizes or --quick is given;
                          the full run includes ${DEFAULT_ORGANIZATION.accounts} × ${DEFAULT_ORGANIZATION.buckets.toLocaleString('en-US')})
`;

/** A command line the bench cannot run with: the message names the option and why. */
export class BenchUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchUsageError';
  }
}

function positiveInteger(option: string, text: string | undefined, max: number): number {
  const value = Number(text);
  if (text === undefined || text === '' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new BenchUsageError(`${option} takes a whole number from 1 to ${max}, not ${JSON.stringify(text)}`);
  }
  return value;
}

function parseSizes(text: string | undefined): number[] {
  if (text === undefined || text.trim() === '')
    throw new BenchUsageError('--sizes takes a list like 100,1000');
  const sizes = text
    .split(',')
    .map((part) => positiveInteger('--sizes', part.trim().replace(/_/g, ''), 100_000));
  return [...new Set(sizes)].sort((a, b) => a - b);
}

/** `s3=20,kms=15`: services not named keep their default; `s3=0` turns a service's latency off. */
export function parseLatency(text: string | undefined): LatencyByService {
  if (text === undefined || text.trim() === '') {
    throw new BenchUsageError('--latency takes a list like s3=20,kms=15,dynamodb=10');
  }
  const latency: LatencyByService = { ...DEFAULT_LATENCY };
  for (const part of text.split(',')) {
    const [service, ms, ...rest] = part.split('=').map((value) => value.trim());
    if (!service || ms === undefined || rest.length > 0) {
      throw new BenchUsageError(`--latency: "${part}" is not service=ms`);
    }
    if (!LATENCY_SERVICES.has(service)) {
      throw new BenchUsageError(
        `--latency: unknown service "${service}" (one of ${[...LATENCY_SERVICES].join(', ')})`,
      );
    }
    const value = Number(ms);
    // The gateway's own bound on latencyMs (infra/local/README.md, Faults).
    if (ms === '' || !Number.isInteger(value) || value < 0 || value > 120_000) {
      throw new BenchUsageError(
        `--latency: ${service} takes whole milliseconds from 0 to 120000, not "${ms}"`,
      );
    }
    latency[service] = value;
  }
  return latency;
}

/**
 * The bench's command line. `--quick` and `--sizes` cannot be combined (they both say which N).
 * @throws BenchUsageError naming the option and the reason
 */
export function parseBenchArgs(argv: readonly string[]): BenchOptions | 'help' {
  let sizes: number[] | undefined;
  let quick = false;
  let concurrency: number = DEFAULTS.concurrency;
  let latency = DEFAULT_LATENCY;
  let outDir: string = DEFAULTS.outDir;
  let changes: number = DEFAULTS.changes;
  let latencyCheck: LatencyCheckOptions | undefined | 'default' = 'default';
  let accounts: number | undefined;
  let orgBuckets: number | undefined;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? splitOnce(arg) : [arg, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      index++;
      if (index >= argv.length) throw new BenchUsageError(`${name} needs a value`);
      return argv[index];
    };
    switch (name) {
      case '--help':
      case '-h':
        return 'help';
      case '--quick':
        quick = true;
        break;
      case '--sizes':
        sizes = parseSizes(value());
        break;
      case '--concurrency':
        concurrency = positiveInteger('--concurrency', value(), 64);
        break;
      case '--latency':
        latency = parseLatency(value());
        break;
      case '--changes':
        changes = positiveInteger('--changes', value(), 1_000);
        break;
      case '--latency-check':
        latencyCheck = parseLatencyCheck(value());
        break;
      case '--accounts':
        accounts = positiveInteger('--accounts', value()?.replace(/_/g, ''), MAX_ACCOUNTS);
        break;
      case '--buckets':
        orgBuckets = positiveInteger('--buckets', value()?.replace(/_/g, ''), 100_000);
        break;
      case '--out': {
        const dir = value();
        if (!dir) throw new BenchUsageError('--out needs a folder');
        outDir = dir;
        break;
      }
      default:
        throw new BenchUsageError(`unknown option ${JSON.stringify(arg)}\n${USAGE}`);
    }
  }
  if (quick && sizes) throw new BenchUsageError('--quick and --sizes both choose the sizes: give one');
  const organization = parseOrganization(accounts, orgBuckets);
  // `--accounts A --buckets N` alone measures the organization alone; with --sizes or --quick, both.
  const organizationAlone = organization !== undefined && !quick && !sizes;
  const full = !quick && !sizes && !organizationAlone;
  if (organizationAlone && latencyCheck !== 'default' && latencyCheck !== undefined) {
    throw new BenchUsageError(
      '--latency-check is a size of the sweep bench: give --sizes or --quick with it',
    );
  }
  return {
    sizes: organizationAlone ? [] : (sizes ?? (quick ? QUICK_SIZES : FULL_SIZES)),
    concurrency,
    latency,
    outDir,
    changes,
    quick,
    ...(latencyCheck === 'default'
      ? full && { latencyCheck: DEFAULT_LATENCY_CHECK }
      : latencyCheck && { latencyCheck }),
    ...((organization ?? (full && DEFAULT_ORGANIZATION)) && {
      organization: organization ?? DEFAULT_ORGANIZATION,
    }),
  };
}

/** `--accounts` and `--buckets` go together; every account holds at least one bucket. */
function parseOrganization(
  accounts: number | undefined,
  buckets: number | undefined,
): OrganizationBenchOptions | undefined {
  if (accounts === undefined && buckets === undefined) return undefined;
  if (accounts === undefined || buckets === undefined) {
    throw new BenchUsageError(
      '--accounts and --buckets go together: give both, like --accounts 50 --buckets 10000',
    );
  }
  if (buckets < accounts) {
    throw new BenchUsageError(
      `--buckets ${buckets} is fewer than --accounts ${accounts}: every member account holds at least one bucket`,
    );
  }
  return { accounts, buckets };
}

/** `1000x10`: N and the latency factor; `off`: no check. */
export function parseLatencyCheck(text: string | undefined): LatencyCheckOptions | undefined {
  if (text === 'off') return undefined;
  const match = /^(\d[\d_]*)x(\d+(?:\.\d+)?)$/.exec(text?.trim() ?? '');
  if (!match)
    throw new BenchUsageError(
      `--latency-check takes NxFACTOR like 1000x10, or off, not ${JSON.stringify(text)}`,
    );
  const buckets = positiveInteger('--latency-check', match[1]!.replace(/_/g, ''), 100_000);
  const factor = Number(match[2]);
  if (factor < 1 || factor > 100) {
    throw new BenchUsageError(`--latency-check: the factor is from 1 to 100, not ${match[2]}`);
  }
  return { buckets, factor };
}

function splitOnce(arg: string): [string, string] {
  const at = arg.indexOf('=');
  return [arg.slice(0, at), arg.slice(at + 1)];
}
