import { describe, expect, it } from 'vitest';
import { unreachableMessage } from '../../../lib/adapters/aws/unreachable.js';
import { COMMAND_SPECS } from '../../../lib/cli/commandSpecs.js';
import { completion } from '../../../lib/cli/completion.js';
import { UsageError } from '../../../lib/cli/errors.js';
import type { CliIo } from '../../../lib/cli/io.js';
import { notManagedSummary, renderNotManaged } from '../../../lib/cli/render/renderNotManaged.js';
import { makeConfiguration } from '../../helpers/factories.js';

function captureIo(): CliIo & { text: () => string } {
  let text = '';
  return {
    out: (chunk) => {
      text += chunk;
    },
    err: () => {},
    color: false,
    stderrTty: false,
    env: {},
    text: () => text,
  };
}

async function script(shell: string): Promise<string> {
  const io = captureIo();
  expect(await completion([shell], io)).toBe(0);
  return io.text();
}

describe('completion()', () => {
  it('bash: every first word, and every flag of every command', async () => {
    const bash = await script('bash');
    expect(bash).toContain('complete -F _s3ir s3ir\n');
    expect(bash).toContain(
      'compgen -W "validate apply plan reconcile import status audit delivery hold serve local completion help --help --version"',
    );
    for (const spec of COMMAND_SPECS)
      for (const flag of Object.keys(spec.options)) expect(bash).toContain(`--${flag}`);
    expect(bash).toContain('    "audit verify") words="--bucket --json --profile --region --help" ;;');
    expect(bash).toContain('    "hold release") words="--json --profile --region --help" ;;');
    // --account (#18): every command that filters by account completes it.
    for (const name of ['plan', 'reconcile', 'status', 'audit', 'delivery']) {
      expect(bash).toMatch(new RegExp(`    ${name}\\) words="[^"]*--account[^"]*" ;;`));
    }
  });

  it('zsh wraps the bash script; fish names each flag once per command', async () => {
    expect(await script('zsh')).toMatch(
      /^#compdef s3ir\n.*\nautoload -U \+X bashcompinit && bashcompinit\n_s3ir\(\) \{/,
    );
    const fish = await script('fish');
    expect(fish).toContain('complete -c s3ir -n "__fish_seen_subcommand_from validate" -l file -s f -r -F\n');
    expect(fish).toContain(
      'complete -c s3ir -n "__fish_seen_subcommand_from completion" -a "bash zsh fish"\n',
    );
  });

  it.each([[[]], [['tcsh']], [['bash', 'zsh']]])('refuses %j as a usage error', async (argv) => {
    await expect(completion(argv, captureIo())).rejects.toBeInstanceOf(UsageError);
  });
});

describe('unreachableMessage()', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), {
    code: 'ECONNREFUSED',
    address: '127.0.0.1',
    port: 4566,
  });

  it('names AWS_ENDPOINT_URL when set, found through causes and AggregateErrors', () => {
    const wrapped = new Error('Query failed', { cause: new AggregateError([refused], 'all failed') });
    expect(unreachableMessage(wrapped, { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' })).toBe(
      'cannot reach http://127.0.0.1:4566 (connection refused). Is the local AWS running there (s3ir local start), and is AWS_ENDPOINT_URL right?',
    );
  });

  it('names the address or host otherwise, and is undefined for other errors', () => {
    expect(unreachableMessage(refused, {})).toMatch(
      /^cannot reach 127\.0\.0\.1:4566 \(connection refused\)\./,
    );
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND'), {
      code: 'ENOTFOUND',
      hostname: 's3.example',
    });
    expect(unreachableMessage(dns, {})).toMatch(/^cannot reach s3\.example \(host not found\)\./);
    expect(unreachableMessage(new Error('AccessDenied'), {})).toBeUndefined();
    expect(unreachableMessage('text', {})).toBeUndefined();
  });
});

describe('renderNotManaged()', () => {
  it('lists what the bucket has and how to adopt it; the summary counts both kinds', () => {
    const configuration = makeConfiguration({
      Id: 'weekly',
      IsEnabled: false,
      Schedule: { Frequency: 'Weekly' },
      Destination: { S3BucketDestination: { Bucket: 'arn:aws:s3:::reports', Format: 'ORC' } },
    });
    expect(
      renderNotManaged([
        { bucket: 'photos', configurations: [configuration] },
        { bucket: 'logs', configurations: [] },
      ]),
    ).toBe(
      [
        'bucket "photos": not managed',
        '  # no desired-state item or template declares it: nothing was compared, nothing would change',
        '  it has 1 inventory configuration:',
        '    weekly: Weekly ORC to arn:aws:s3:::reports, disabled',
        '  # to manage it: s3ir import --bucket photos -o photos.yaml && s3ir apply -f photos.yaml',
        '',
        'bucket "logs": not managed',
        '  # no desired-state item or template declares it: nothing was compared, nothing would change',
        '  it has no inventory configurations',
        '  # to manage it: s3ir import --bucket logs -o logs.yaml && s3ir apply -f logs.yaml',
        '',
      ].join('\n'),
    );
    expect(notManagedSummary(3, 1)).toBe('1 bucket not managed (not compared); 3 buckets planned.');
  });
});
