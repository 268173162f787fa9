import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = new URL('../../../', import.meta.url).pathname;
/** The Contract's keys of the env file (DESIGN.md, Environment). */
const CONTRACT_KEYS = [
  'AWS_REGION',
  'AWS_ENDPOINT_URL',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'S3IR_DESIRED_TABLE',
  'S3IR_STATE_TABLE',
  'S3IR_AUDIT_TABLE',
  'S3IR_ALERT_TOPIC_ARN',
];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm start -- …` as a newcomer types it, with none of this process's AWS or s3ir settings. */
function npmStart(args: string[]): Promise<Run> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && !name.startsWith('S3IR_')),
  );
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['start', '--', ...args],
      { cwd: repoRoot, env, timeout: 230_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

let directory: string;
let envFile: string;
let run: Run;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 's3ir-start-'));
  envFile = join(directory, 'local.env');
  run = await npmStart(['--once', '--port', '0', '--env-file', envFile]);
}, 240_000);

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('npm start -- --once', () => {
  it('exits 0 without a stack trace', () => {
    expect(run.code, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0);
    expect(`${run.stdout}\n${run.stderr}`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });

  it('prints the plan of the demo estate: create, update, delete, needs a human, and a summary', () => {
    expect(run.stdout).toMatch(/^ {2}\+ inventory "daily-csv"$/m);
    expect(run.stdout).toMatch(/^ {2}~ inventory "daily-csv"$/m);
    expect(run.stdout).toMatch(/^ {6}~ Destination\.S3BucketDestination\.Format = "ORC" -> "CSV"$/m);
    expect(run.stdout).toMatch(/^ {2}~ key policy "arn:aws:kms:/m);
    expect(run.stdout).toMatch(/^ {2}- inventory "old-weekly"$/m);
    expect(run.stdout).toMatch(/^ {2}! destination-region-mismatch: .*s3ir-demo-reports-eu is in eu-west-1/m);
    expect(run.stdout).toMatch(
      /^Plan: [1-9]\d* to create, [1-9]\d* to update, 1 to delete, 1 needs action\.$/m,
    );
  });

  it("plans the member accounts' buckets too (#18), each in its account and region", () => {
    const section = run.stdout.slice(run.stdout.indexOf('== Plan'), run.stdout.indexOf('== Reconcile'));
    const header = (bucket: string) =>
      new RegExp(`^bucket "${bucket}" \\(account (\\d{12}), ([a-z0-9-]+)\\)$`, 'm').exec(section);
    const planned = [
      ['s3ir-demo-org-audit-logs', 'us-east-1'],
      ['s3ir-demo-org-web-assets', 'us-east-1'],
      ['s3ir-demo-org-web-eu', 'eu-west-1'],
      ['s3ir-demo-org-api-data', 'eu-west-1'],
    ].map(([bucket, region]) => {
      const match = header(bucket!);
      expect(match, `${bucket} in the plan:\n${section}`).not.toBeNull();
      expect(match![2]).toBe(region);
      return match![1]!;
    });
    expect(new Set(planned).size).toBe(3);
    expect(planned).not.toContain('123456789012');
    expect(section).toMatch(/^ {2}\+ inventory "org-daily"$/m);
    // Not tagged: no template selects it, so it is not planned.
    expect(section).not.toContain('s3ir-demo-org-audit-scratch');
    expect(section).not.toContain('its buckets could not be listed');
  });

  it('runs one sweep to the end: every demo bucket enqueued and reconciled', () => {
    const enqueued = /enqueued (\d+) buckets/.exec(run.stdout);
    const discovered = /schedule: (\d+) member accounts enqueued for discovery/.exec(run.stdout);
    const handled = /reconcile: (\d+) messages handled/.exec(run.stdout);
    expect(Number(enqueued?.[1])).toBe(37);
    expect(Number(discovered?.[1])).toBe(3);
    // The home account's 37, and the 4 tagged buckets discovery found in the member accounts.
    expect(Number(handled?.[1])).toBe(41);
  });

  it('converges the organization: tagged buckets of three member accounts in two regions, in two OUs', () => {
    const seeded =
      /^Seeded organization (o-[a-z0-9]+): OUs demo-security (ou-[a-z0-9-]+) and demo-apps (ou-[a-z0-9-]+), member accounts (.+);/m.exec(
        run.stdout,
      );
    expect(seeded, run.stdout).not.toBeNull();
    const line = (bucket: string) =>
      new RegExp(`^ {2}${bucket} +account (\\d{12}) +([a-z0-9-]+) +(.+)$`, 'm').exec(run.stdout);
    const inSync = [
      's3ir-demo-org-audit-logs',
      's3ir-demo-org-web-assets',
      's3ir-demo-org-web-eu',
      's3ir-demo-org-api-data',
    ];
    const rows = inSync.map((bucket) => {
      const match = line(bucket);
      expect(match, bucket).not.toBeNull();
      expect(match![3], bucket).toBe('in sync: org-daily, report delivered');
      return { account: match![1]!, region: match![2]! };
    });
    expect(new Set(rows.map((row) => row.account)).size).toBe(3);
    expect(new Set(rows.map((row) => row.region))).toEqual(new Set(['us-east-1', 'eu-west-1']));
    for (const row of rows) expect(row.account).not.toBe('123456789012');
    // Same OU and account, but not tagged: the template's tag is ANDed with its OUs.
    expect(line('s3ir-demo-org-audit-scratch')?.[3]).toBe('untouched (not tagged)');
  });

  it('shows the alerts that arrived on SNS', () => {
    expect(run.stdout).toMatch(
      /^ {2}drift-resolved +s3ir-demo-changed +Drift on s3ir-demo-changed resolved/m,
    );
    expect(run.stdout).toMatch(/^ {2}action-required +s3ir-demo-far-away /m);
    expect(run.stdout).toMatch(/^ {2}drift-detected +s3ir-demo-ledger /m);
  });

  it('shows the audit history, newest first, one line per event', () => {
    const lines = run.stdout
      .split('\n')
      .filter((line) => /^ {2}\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z {2}/.test(line));
    const actions = new Set(lines.map((line) => line.trim().split(/ +/)[2]));
    for (const action of [
      'inventory-created',
      'inventory-updated',
      'inventory-deleted',
      'key-policy-updated',
    ])
      expect(actions).toContain(action);
    const times = lines.map((line) => line.trim().split(' ')[0]!);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('writes the env file with the Contract keys', async () => {
    const text = await readFile(envFile, 'utf8');
    const env = Object.fromEntries(
      text
        .trim()
        .split('\n')
        .map((line) => line.split(/=(.*)/s).slice(0, 2)),
    );
    for (const key of CONTRACT_KEYS) expect(env[key], key).toBeTruthy();
    expect(env.AWS_ENDPOINT_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // The organization npm start created (#18), with the home account and the local second account.
    const organization = /^Seeded organization (o-[a-z0-9]+):/m.exec(run.stdout)?.[1];
    expect(env.S3IR_ALLOWED_ACCOUNTS).toBe(`123456789012,222233334444,${organization}`);
    expect(env.S3IR_DISCOVERY_QUEUE_URL).toMatch(/\/123456789012\/s3ir-discovery$/);
  });
});
