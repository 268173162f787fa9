import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_SPECS } from '../../lib/cli/commandSpecs.js';
import { makeConfiguration } from '../helpers/factories.js';
import { type CliWorld, cliWorld, desiredYaml, unique } from './cliHarness.js';

let world: CliWorld;
beforeAll(async () => {
  world = await cliWorld();
});
afterAll(() => world?.close());

const repoRoot = new URL('../../', import.meta.url).pathname;

/** Runs a bash snippet in the repo, resolving with its stdout. */
function bash(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', script], { cwd: repoRoot }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });
}

describe('s3ir help', () => {
  it.each(COMMAND_SPECS.map((spec) => spec.name))(
    '"%s --help" and "help <that command>" print its help on stdout, exit 0',
    async (name) => {
      const words = name.split(' ');
      const flag = await world.run([...words, '--help']);
      expect(flag).toMatchObject({ code: 0, stderr: '' });
      expect(flag.stdout).toMatch(new RegExp(`^Usage: s3ir ${name}`));
      expect(flag.stdout).toContain('-h, --help');
      const command = await world.run(['help', ...words]);
      expect(command).toEqual(flag);
    },
  );

  it('"local --help" shows local start; "--help" lists every command and the exit codes', async () => {
    const local = await world.run(['local', '--help']);
    expect(local).toMatchObject({ code: 0, stderr: '' });
    expect(local.stdout).toMatch(/^Usage: s3ir local start \[--port N\] \[--write-env PATH\]/);
    const top = await world.run(['--help']);
    expect(top.code).toBe(0);
    for (const spec of COMMAND_SPECS) expect(top.stdout).toContain(`  ${spec.name} `);
    expect(top.stdout).toContain('64 usage error');
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(await world.run(['--version'])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });
});

describe('usage errors exit 64, distinct from 0, 1 and 2', () => {
  it.each([
    [['nope'], 's3ir: unknown command "nope". Run "s3ir --help" for the commands.\n'],
    [['local'], 's3ir: "local" needs a subcommand.\nUsage: s3ir local start'],
    [
      ['plan', '--nope'],
      "s3ir plan: Unknown option '--nope'\nUsage: s3ir plan [--bucket B]... [--account A]... [--json]\n",
    ],
    [['audit', '--limit', 'x'], 's3ir audit: --limit: expected a whole number from 1 to 1000, got "x"\n'],
    [['plan', '--region', 'Mars'], 's3ir plan: --region: expected a region such as eu-west-1, got "Mars"\n'],
    [['completion', 'tcsh'], 's3ir completion: expected one of bash, zsh, fish.'],
    [['help', 'nope'], 's3ir: unknown command "nope". Run "s3ir --help" for the commands.\n'],
  ])('%j', async (args, message) => {
    const run = await world.run(args);
    expect(run.code).toBe(64);
    expect(run.stdout).toBe('');
    expect(run.stderr.startsWith(message)).toBe(true);
  });
});

describe('s3ir completion', () => {
  it('bash completes commands, subcommands and flags from the specs', async () => {
    const complete = (words: string) =>
      bash(
        `source <(node bin/s3ir.mjs completion bash); COMP_WORDS=(${words}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _s3ir; echo "\${COMPREPLY[*]}"`,
      );
    expect(await complete('s3ir pl')).toBe('plan\n');
    expect(await complete('s3ir audit v')).toBe('verify\n');
    expect(await complete('s3ir plan --b')).toBe('--bucket\n');
    expect(await complete('s3ir local start --w')).toBe('--write-env\n');
    expect(await complete('s3ir completion z')).toBe('zsh\n');
  });

  it('zsh runs the bash completion; fish gets one line per command and flag', async () => {
    const zsh = await world.run(['completion', 'zsh']);
    expect(zsh.code).toBe(0);
    expect(zsh.stdout).toMatch(/^#compdef s3ir\n/);
    expect(zsh.stdout).toContain('bashcompinit');
    expect(zsh.stdout).toContain('complete -F _s3ir s3ir');
    const fish = await world.run(['completion', 'fish']);
    expect(fish.code).toBe(0);
    expect(fish.stdout).toContain('complete -c s3ir -n "__fish_seen_subcommand_from plan" -l bucket -r\n');
    expect(fish.stdout).toContain(
      'complete -c s3ir -n "__fish_seen_subcommand_from local; and __fish_seen_subcommand_from start" -l write-env -r -F\n',
    );
  });
});

describe('the AWS environment', () => {
  it('says cannot reach the endpoint, naming it, when nothing listens there (exit 1)', async () => {
    const down = 'http://127.0.0.1:1';
    const status = await world.run(['status'], { AWS_ENDPOINT_URL: down });
    expect(status.code).toBe(1);
    expect(status.stderr).toBe(
      `s3ir status: cannot reach ${down} (connection refused). Is the local AWS running there (s3ir local start), and is AWS_ENDPOINT_URL right?\n`,
    );
    const plan = await world.run(['plan', '--bucket', 'photos'], { AWS_ENDPOINT_URL: down });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(`bucket "photos": cannot reach ${down} (connection refused)`);
    expect(plan.stderr).not.toContain('AWS refused');
  });

  it('takes the region of the profile (AWS_PROFILE or --profile) and says so when it was not given', async () => {
    const config = join(world.dir, 'aws-config');
    await writeFile(
      config,
      '[default]\nregion = us-east-1\n[profile other]\nregion = us-east-1\naws_access_key_id = test\naws_secret_access_key = test\n',
    );
    const env = { AWS_CONFIG_FILE: config, AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined };
    const fromDefault = await world.run(['status', '--json'], env);
    expect(fromDefault.code).toBe(0);
    expect(fromDefault.stderr).toBe(
      's3ir: region us-east-1 (from profile "default" in the AWS config file)\n',
    );
    const fromFlag = await world.run(['status', '--json', '--profile', 'other'], env);
    expect(fromFlag.code).toBe(0);
    expect(fromFlag.stderr).toContain(
      's3ir: region us-east-1 (from profile "other" in the AWS config file)\n',
    );
    const given = await world.run(['status', '--json', '--region', 'us-east-1'], env);
    expect(given).toMatchObject({ code: 0, stderr: '' });
    const none = await world.run(['status', '--json'], {
      AWS_CONFIG_FILE: join(world.dir, 'none'),
      AWS_REGION: '',
    });
    expect(none.code).toBe(0);
    expect(none.stderr).toBe(
      's3ir: region us-east-1: no region given (--region, AWS_REGION, or region in profile "default")\n',
    );
  });

  it('records an actor STS could not confirm as unverified:$USER', async () => {
    const bucket = unique('cli-unverified');
    const file = await world.file(
      'unverified.yaml',
      desiredYaml({ [bucket]: [makeConfiguration({ Id: 'daily' })] }),
    );
    const run = await world.run(['apply', '-f', file], { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1' });
    expect(run.code).toBe(0);
    const items = (await world.items(world.tables.desired)).filter((item) => item.bucket === bucket);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(item.appliedBy).toBe('unverified:cli-tester');
  });
});

describe('colour', () => {
  const colourPlan = async (env: Record<string, string>) => {
    const bucket = unique('cli-colour');
    await world.createBuckets(bucket);
    return world.run(['plan', '--bucket', bucket], env);
  };

  it('goes into a pipe with FORCE_COLOR, unless NO_COLOR is set to something; an empty NO_COLOR is no request', async () => {
    const bold = '\u001b[1m';
    expect((await colourPlan({ FORCE_COLOR: '1' })).stdout).toContain(bold);
    expect((await colourPlan({ FORCE_COLOR: '1', NO_COLOR: '' })).stdout).toContain(bold);
    expect((await colourPlan({ FORCE_COLOR: '1', NO_COLOR: '1' })).stdout).not.toContain('\u001b[');
    expect((await colourPlan({ FORCE_COLOR: '0' })).stdout).not.toContain('\u001b[');
    expect((await colourPlan({})).stdout).not.toContain('\u001b[');
  });
});
