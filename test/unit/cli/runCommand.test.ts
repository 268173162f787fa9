import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { AccessDeniedError, AwsAdapterError } from '../../../lib/adapters/aws/errors.js';
import { UserError } from '../../../lib/cli/errors.js';
import type { CliIo } from '../../../lib/cli/io.js';
import { runCommand } from '../../../lib/cli/runCommand.js';

/** runCommand writes through the process's own streams (processIo): capture them. */
let stdout: MockInstance;
let stderr: MockInstance;
const written = (spy: MockInstance) => spy.mock.calls.map(([text]) => String(text)).join('');

beforeEach(() => {
  stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('runCommand()', () => {
  it("resolves with the command's exit code, passing argv and the process's io", async () => {
    let seen: { argv: string[]; io: CliIo } | undefined;
    const code = await runCommand(
      'plan',
      async (argv, io) => {
        seen = { argv, io };
        io.out('to stdout\n');
        io.err('to stderr\n');
        return 2;
      },
      ['--json'],
    );
    expect(code).toBe(2);
    expect(seen?.argv).toEqual(['--json']);
    expect(seen?.io.env).toBe(process.env);
    expect(seen?.io.stderrTty).toBe(Boolean(process.stderr.isTTY));
    expect(seen?.io.color).toBe(Boolean(process.stdout.isTTY) && process.env.NO_COLOR === undefined);
    expect(written(stdout)).toBe('to stdout\n');
    expect(written(stderr)).toBe('to stderr\n');
  });

  it('prints a UserError as "s3ir NAME: message" without a stack and exits 1', async () => {
    const code = await runCommand('apply', async () => {
      throw new UserError('-f, --file is required.\nUsage: s3ir apply -f FILE');
    }, []);
    expect(code).toBe(1);
    expect(written(stderr)).toBe('s3ir apply: -f, --file is required.\nUsage: s3ir apply -f FILE\n');
    expect(written(stdout)).toBe('');
  });

  it("exits with a UserError's own exit code", async () => {
    const code = await runCommand('plan', async () => {
      throw new UserError('drift', { exitCode: 2 });
    }, []);
    expect(code).toBe(2);
    expect(written(stderr)).toBe('s3ir plan: drift\n');
  });

  it('prints an AWS error with its code, without a stack, and exits 1', async () => {
    const code = await runCommand('status', async () => {
      throw new AccessDeniedError({
        code: 'AccessDenied',
        message: 'not allowed to scan the table',
        status: 403,
      });
    }, []);
    expect(code).toBe(1);
    expect(written(stderr)).toBe('s3ir status: AWS refused: not allowed to scan the table (AccessDenied)\n');
    expect(new AccessDeniedError({ code: 'x', message: 'y' })).toBeInstanceOf(AwsAdapterError);
  });

  it('prints any other error as a bug, with its stack, and exits 1', async () => {
    const bug = new TypeError('cannot read properties of undefined');
    const code = await runCommand('reconcile', async () => {
      throw bug;
    }, []);
    expect(code).toBe(1);
    expect(stderr.mock.calls.map(([text]) => text)).toEqual([
      's3ir reconcile failed; this is a bug. Please report it with this trace:\n',
      `${bug.stack}\n`,
    ]);
    expect(bug.stack).toMatch(/^TypeError: cannot read properties of undefined\n\s+at /);
  });

  it('prints the message of an error without a stack, and a thrown non-error as a string', async () => {
    const stackless = new Error('no stack here');
    stackless.stack = undefined;
    expect(
      await runCommand('audit', async () => {
        throw stackless;
      }, []),
    ).toBe(1);
    expect(
      await runCommand('audit', async () => {
        throw 'a string';
      }, []),
    ).toBe(1);
    expect(written(stderr)).toBe(
      's3ir audit failed; this is a bug. Please report it with this trace:\nno stack here\n' +
        's3ir audit failed; this is a bug. Please report it with this trace:\na string\n',
    );
  });
});
