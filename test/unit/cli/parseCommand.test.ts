import { describe, expect, it } from 'vitest';
import { UsageError, UserError } from '../../../lib/cli/errors.js';
import { type CommandHelp, formatHelp, parseCommand, requireFlag } from '../../../lib/cli/parseCommand.js';

const help: CommandHelp = {
  usage: 'Usage: s3ir demo -f FILE [--bucket B]... [--json]',
  summary: 'Does the demo.',
  options: [
    ['-f, --file FILE', 'the desired-state file'],
    ['--bucket B', 'only this bucket (repeatable)'],
    ['--json', 'one line per bucket'],
  ],
  exit: '0 ok, 1 error, 2 drift',
};

const options = {
  file: { type: 'string', short: 'f' },
  bucket: { type: 'string', multiple: true },
  json: { type: 'boolean' },
} as const;

/** The UserError parseCommand throws for argv, or a failure when it throws none. */
function refusal(argv: string[]): UserError {
  try {
    parseCommand(argv, options, help);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error(`parseCommand accepted ${JSON.stringify(argv)}`);
}

describe('parseCommand()', () => {
  it('returns the flags given, long and short, and nothing for the ones left out', () => {
    expect(parseCommand(['-f', 'photos.yaml', '--json'], options, help)).toEqual({
      file: 'photos.yaml',
      json: true,
    });
    expect(parseCommand(['--file=photos.yaml'], options, help)).toEqual({ file: 'photos.yaml' });
    expect(parseCommand([], options, help)).toEqual({});
  });

  it('collects a repeated --bucket in order, keeping repeats', () => {
    expect(parseCommand(['--bucket', 'a', '--bucket=b', '--bucket', 'a'], options, help)).toEqual({
      bucket: ['a', 'b', 'a'],
    });
  });

  it('returns help for --help or -h, even among other flags', () => {
    expect(parseCommand(['--help'], options, help)).toBe('help');
    expect(parseCommand(['-h'], options, help)).toBe('help');
    expect(parseCommand(['--json', '-h', '--bucket', 'a'], options, help)).toBe('help');
  });

  it.each([
    [['--nope'], "Unknown option '--nope'"],
    [['-x'], "Unknown option '-x'"],
    [['photos'], "Unexpected argument 'photos'. This command does not take positional arguments"],
    [['--bucket'], "Option '--bucket <value>' argument missing"],
    [['-f'], "Option '-f, --file <value>' argument missing"],
    [['--json=yes'], "Option '--json' does not take an argument"],
  ])('refuses %j with the reason and the usage line, exit 64 (EX_USAGE)', (argv, reason) => {
    const error = refusal(argv);
    expect(error.message).toBe(`${reason}\n${help.usage}`);
    expect(error.exitCode).toBe(64);
  });

  it('refuses a bad flag even when --help is also given', () => {
    expect(refusal(['--help', '--nope']).message).toBe(`Unknown option '--nope'\n${help.usage}`);
  });
});

describe('requireFlag()', () => {
  it('returns a value that is there', () => {
    expect(requireFlag('photos.yaml', '-f, --file', help.usage)).toBe('photos.yaml');
  });

  it.each([undefined, ''])('refuses %j with a UsageError naming the flag and the usage', (value) => {
    expect(() => requireFlag(value, '-f, --file', help.usage)).toThrow(
      new UsageError(`-f, --file is required.\n${help.usage}`),
    );
    try {
      requireFlag(value, '--bucket', 'Usage: s3ir import --bucket B');
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).message).toBe('--bucket is required.\nUsage: s3ir import --bucket B');
      expect((error as UserError).exitCode).toBe(64);
    }
    expect.assertions(4);
  });
});

describe('formatHelp()', () => {
  it('prints usage, summary, the options aligned with -h, --help last, and the exit codes', () => {
    expect(formatHelp(help)).toBe(
      [
        'Usage: s3ir demo -f FILE [--bucket B]... [--json]',
        '',
        'Does the demo.',
        '',
        'Options:',
        '  -f, --file FILE  the desired-state file',
        '  --bucket B       only this bucket (repeatable)',
        '  --json           one line per bucket',
        '  -h, --help       show this help',
        '',
        'Exit: 0 ok, 1 error, 2 drift',
        '',
      ].join('\n'),
    );
  });

  it('aligns on -h, --help when every flag is shorter, and with no options at all', () => {
    expect(formatHelp({ usage: 'Usage: s3ir x', summary: 'X.', options: [['--y', 'why']], exit: '0' })).toBe(
      'Usage: s3ir x\n\nX.\n\nOptions:\n  --y         why\n  -h, --help  show this help\n\nExit: 0\n',
    );
    expect(formatHelp({ usage: 'Usage: s3ir x', summary: 'X.', options: [], exit: '0' })).toBe(
      'Usage: s3ir x\n\nX.\n\nOptions:\n  -h, --help  show this help\n\nExit: 0\n',
    );
  });
});

describe('UserError', () => {
  it('is an Error named UserError with exit code 1 unless told, keeping its cause', () => {
    const cause = new Error('root');
    const plain = new UserError('bad');
    const coded = new UserError('drift', { exitCode: 2, cause });
    expect(plain).toBeInstanceOf(Error);
    expect([plain.name, plain.message, plain.exitCode, plain.cause]).toEqual([
      'UserError',
      'bad',
      1,
      undefined,
    ]);
    expect([coded.exitCode, coded.cause]).toEqual([2, cause]);
  });
});
