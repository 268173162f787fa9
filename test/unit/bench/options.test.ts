import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LATENCY,
  DEFAULT_LATENCY_CHECK,
  DEFAULT_ORGANIZATION,
  FULL_SIZES,
  parseBenchArgs,
  parseLatency,
  parseLatencyCheck,
  QUICK_SIZES,
} from '../../../bench/options.js';

describe('parseBenchArgs()', () => {
  it('defaults to the full sizes, 8 workers, the issue latency, bench/ and the organization of #18', () => {
    expect(parseBenchArgs([])).toEqual({
      sizes: FULL_SIZES,
      concurrency: 8,
      latency: DEFAULT_LATENCY,
      outDir: 'bench',
      changes: 20,
      quick: false,
      latencyCheck: { buckets: 1_000, factor: 10 },
      organization: { accounts: 50, buckets: 10_000 },
    });
    expect(FULL_SIZES).toEqual([100, 1_000, 10_000]);
    expect(DEFAULT_LATENCY_CHECK).toEqual({ buckets: 1_000, factor: 10 });
    expect(DEFAULT_ORGANIZATION).toEqual({ accounts: 50, buckets: 10_000 });
  });

  it('measures the organization alone with --accounts and --buckets: no sweep sizes, no latency check', () => {
    expect(parseBenchArgs(['--accounts', '50', '--buckets=10_000'])).toEqual({
      sizes: [],
      concurrency: 8,
      latency: DEFAULT_LATENCY,
      outDir: 'bench',
      changes: 20,
      quick: false,
      organization: { accounts: 50, buckets: 10_000 },
    });
  });

  it('measures both with --sizes or --quick, and no organization with either alone', () => {
    expect(parseBenchArgs(['--sizes', '100', '--accounts', '5', '--buckets', '200'])).toMatchObject({
      sizes: [100],
      organization: { accounts: 5, buckets: 200 },
    });
    expect(parseBenchArgs(['--quick', '--accounts', '5', '--buckets', '200'])).toMatchObject({
      sizes: QUICK_SIZES,
      organization: { accounts: 5, buckets: 200 },
    });
    expect(parseBenchArgs(['--quick'])).not.toHaveProperty('organization');
    expect(parseBenchArgs(['--sizes', '100'])).not.toHaveProperty('organization');
  });

  it('runs N = 100 and 1,000 with --quick, without the latency check', () => {
    const options = parseBenchArgs(['--quick']);
    expect(options).toMatchObject({ sizes: QUICK_SIZES, quick: true });
    expect(options).not.toHaveProperty('latencyCheck');
    expect(QUICK_SIZES).toEqual([100, 1_000]);
  });

  it('runs the latency check only when asked, once sizes are chosen, and never when turned off', () => {
    expect(parseBenchArgs(['--sizes', '20'])).not.toHaveProperty('latencyCheck');
    expect(parseBenchArgs(['--sizes', '20', '--latency-check', '200x10'])).toMatchObject({
      latencyCheck: { buckets: 200, factor: 10 },
    });
    expect(parseBenchArgs(['--latency-check=off'])).not.toHaveProperty('latencyCheck');
    expect(parseBenchArgs(['--quick', '--latency-check', '1_000x2.5'])).toMatchObject({
      latencyCheck: { buckets: 1_000, factor: 2.5 },
    });
  });

  it('reads every option, spaced or with =', () => {
    expect(
      parseBenchArgs([
        '--sizes',
        '1000,20,20',
        '--concurrency=4',
        '--latency',
        's3=5',
        '--out=/tmp/b',
        '--changes',
        '3',
      ]),
    ).toEqual({
      sizes: [20, 1_000],
      concurrency: 4,
      latency: { s3: 5, kms: 15, dynamodb: 10 },
      outDir: '/tmp/b',
      changes: 3,
      quick: false,
    });
  });

  it('answers help for --help and -h', () => {
    expect(parseBenchArgs(['--help'])).toBe('help');
    expect(parseBenchArgs(['-h'])).toBe('help');
  });

  it.each([
    [['--sizes', '100,abc'], '--sizes takes a whole number from 1 to 100000, not "abc"'],
    [['--sizes', '0'], '--sizes takes a whole number from 1 to 100000, not "0"'],
    [['--concurrency', '0'], '--concurrency takes a whole number from 1 to 64, not "0"'],
    [['--concurrency'], '--concurrency needs a value'],
    [['--quick', '--sizes', '100'], '--quick and --sizes both choose the sizes: give one'],
    [['--fast'], 'unknown option "--fast"'],
    [['--accounts', '5'], '--accounts and --buckets go together'],
    [['--buckets', '200'], '--accounts and --buckets go together'],
    [['--accounts', '0', '--buckets', '10'], '--accounts takes a whole number from 1 to 500, not "0"'],
    [['--accounts', '501', '--buckets', '1000'], '--accounts takes a whole number from 1 to 500, not "501"'],
    [['--accounts', '5', '--buckets', '1.5'], '--buckets takes a whole number from 1 to 100000, not "1.5"'],
    [['--accounts', '50', '--buckets', '10'], '--buckets 10 is fewer than --accounts 50'],
    [
      ['--accounts', '5', '--buckets', '200', '--latency-check', '100x2'],
      '--latency-check is a size of the sweep bench: give --sizes or --quick with it',
    ],
  ])('refuses %j, naming the option', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });
});

describe('parseLatency()', () => {
  it('overrides the services it names and keeps the others', () => {
    expect(parseLatency('kms=0, sqs=3')).toEqual({ s3: 20, kms: 0, dynamodb: 10, sqs: 3 });
  });

  it.each([
    ['s3', '--latency: "s3" is not service=ms'],
    ['s3=1=2', '--latency: "s3=1=2" is not service=ms'],
    ['ec2=5', '--latency: unknown service "ec2"'],
    ['s3=-1', '--latency: s3 takes whole milliseconds from 0 to 120000, not "-1"'],
    ['s3=1.5', '--latency: s3 takes whole milliseconds from 0 to 120000, not "1.5"'],
    ['', '--latency takes a list like s3=20,kms=15,dynamodb=10'],
  ])('refuses %j', (text, message) => {
    expect(() => parseLatency(text)).toThrow(message);
  });
});

describe('parseLatencyCheck()', () => {
  it('reads NxFACTOR and off', () => {
    expect(parseLatencyCheck('1000x5')).toEqual({ buckets: 1_000, factor: 5 });
    expect(parseLatencyCheck('off')).toBeUndefined();
  });

  it.each([
    ['1000', 'takes NxFACTOR like 1000x10, or off, not "1000"'],
    ['x5', 'takes NxFACTOR like 1000x10, or off, not "x5"'],
    ['0x5', 'takes a whole number from 1 to 100000, not "0"'],
    ['1000x0.5', 'the factor is from 1 to 100, not 0.5'],
    ['1000x101', 'the factor is from 1 to 100, not 101'],
  ])('refuses %s, naming the option and why', (text, reason) => {
    expect(() => parseLatencyCheck(text)).toThrow(
      `--latency-check${reason.startsWith('takes') ? ' ' : ': '}${reason}`,
    );
  });
});
