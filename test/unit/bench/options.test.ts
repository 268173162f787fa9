import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LATENCY,
  FULL_SIZES,
  parseBenchArgs,
  parseLatency,
  QUICK_SIZES,
} from '../../../bench/options.js';

describe('parseBenchArgs()', () => {
  it('defaults to the full sizes, 8 workers, the issue latency and bench/', () => {
    expect(parseBenchArgs([])).toEqual({
      sizes: FULL_SIZES,
      concurrency: 8,
      latency: DEFAULT_LATENCY,
      outDir: 'bench',
      changes: 20,
      quick: false,
    });
    expect(FULL_SIZES).toEqual([100, 1_000, 10_000]);
  });

  it('runs N = 100 and 1,000 with --quick', () => {
    const options = parseBenchArgs(['--quick']);
    expect(options).toMatchObject({ sizes: QUICK_SIZES, quick: true });
    expect(QUICK_SIZES).toEqual([100, 1_000]);
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
