import { BenchUsageError } from '../options.js';

/** `npm run bench -- audit`: the audit history's reads at size (issue 16 point 7). */
export interface AuditBenchOptions {
  /** Events of the large table (default 1,000,000). */
  events: number;
  /** Chains (buckets) they are spread over (default 10,000). */
  chains: number;
  /** Events of the small table the large one is compared with (default 10,000, over chains / 100). */
  compare: number;
  /** Days the events span, ending now (default 90). */
  days: number;
  /** First pages timed per query (default 20). */
  samples: number;
  /** BatchWriteItem requests in flight while loading (default 16). */
  writers: number;
  /**
   * Minutes the large table's whole-table verify (every chain, against the anchors) may take before the
   * bench gives it up and says so (default 10; 0 skips it): DynamoDB Local's Scan of 1,000,000 items did
   * not end in 17 minutes on a loaded 2-core machine.
   */
  wholeVerifyMinutes: number;
  outDir: string;
}

export const AUDIT_DEFAULTS: AuditBenchOptions = {
  events: 1_000_000,
  chains: 10_000,
  compare: 10_000,
  days: 90,
  samples: 20,
  writers: 16,
  wholeVerifyMinutes: 10,
  outDir: 'bench',
};

export const AUDIT_USAGE = `Usage: npm run bench -- audit [options]
  --events 1000000   events of the large table
  --chains 10000     chains (buckets) they are spread over
  --compare 10000    events of the small table it is compared with (over chains / 100 chains)
  --days 90          days the events span, ending now
  --samples 20       first pages timed per query
  --writers 16       BatchWriteItem requests in flight while loading
  --whole-verify-minutes 10   time the large table's whole verify may take (0: skip it)
  --out bench/       where results.md (its audit section) and audit-results.json go
`;

const LIMITS: Record<string, [min: number, max: number]> = {
  events: [100, 5_000_000],
  chains: [1, 100_000],
  compare: [100, 5_000_000],
  days: [1, 3_650],
  samples: [1, 1_000],
  writers: [1, 64],
  'whole-verify-minutes': [0, 600],
};

/** The options of `npm run bench -- audit …`, or 'help'. @throws BenchUsageError naming the option */
export function parseAuditBenchArgs(argv: readonly string[]): AuditBenchOptions | 'help' {
  const options: AuditBenchOptions = { ...AUDIT_DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    if (flag === '--help' || flag === '-h') return 'help';
    const name = flag.replace(/^--/, '');
    const value = argv[++i];
    if (name === 'out' && flag === '--out') {
      if (value === undefined || value === '') throw new BenchUsageError('--out takes a folder');
      options.outDir = value;
      continue;
    }
    const limits = flag.startsWith('--') ? LIMITS[name] : undefined;
    if (limits === undefined) throw new BenchUsageError(`unknown option ${flag}\n${AUDIT_USAGE}`);
    const number = Number(value?.replace(/_/g, ''));
    if (value === undefined || !Number.isInteger(number) || number < limits[0] || number > limits[1])
      throw new BenchUsageError(
        `${flag} takes a whole number from ${limits[0]} to ${limits[1]}, not ${JSON.stringify(value)}`,
      );
    const key = name === 'whole-verify-minutes' ? 'wholeVerifyMinutes' : name;
    (options as unknown as Record<string, number>)[key] = number;
  }
  if (options.chains > options.events)
    throw new BenchUsageError(`--chains (${options.chains}) cannot exceed --events (${options.events})`);
  return options;
}
