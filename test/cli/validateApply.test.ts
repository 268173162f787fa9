import { PutBucketTaggingCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfiguration } from '../helpers/factories.js';
import { type CliWorld, cliWorld, desiredYaml, unique } from './cliHarness.js';

let world: CliWorld;
beforeAll(async () => {
  world = await cliWorld();
});
afterAll(() => world?.close());

const WRITES = ['dynamodb.PutItem', 'dynamodb.BatchWriteItem', 'dynamodb.DeleteItem', 'dynamodb.UpdateItem'];
const writes = (calls: Record<string, number>) => WRITES.reduce((sum, name) => sum + (calls[name] ?? 0), 0);
const daily = makeConfiguration({ Id: 'daily-csv' });
const weekly = makeConfiguration({ Id: 'weekly', Schedule: { Frequency: 'Weekly' } });

describe('s3ir validate', () => {
  it('exits 0 with a one-line summary for a valid file', async () => {
    const path = await world.file('ok.yaml', desiredYaml({ 'cli-valid': [daily, weekly] }));
    const run = await world.run(['validate', '-f', path]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(`${path}: valid (1 bucket, 2 inventory configurations, 0 templates)\n`);
  });

  it('exits 1 and prints every error as file:line:col path: reason', async () => {
    const text = [
      'version: 1',
      'buckets:',
      '  cli-invalid:',
      '    inventories:',
      '      - Id: daily',
      '        IsEnabled: true',
      '        IncludedObjectVersions: Current',
      '        Schedule: { Frequency: Hourly }',
      '        Destination: { S3BucketDestination: { Bucket: "arn:aws:s3:::d", Format: CSV } }',
      '',
    ].join('\n');
    const path = await world.file('bad.yaml', text);
    const run = await world.run(['validate', '-f', path]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toEqual([
      `${path}:8:21 buckets.cli-invalid.inventories[0].Schedule.Frequency: expected Daily | Weekly, got "Hourly"`,
      `${path}:9:47 buckets.cli-invalid.inventories[0].Destination.S3BucketDestination.Bucket: expected a bucket name of 3 to 63 characters, got "d" (1)`,
      `${path}: 2 errors`,
      '',
    ]);
  });

  it('names a missing file and a missing -f without a stack, and has --help', async () => {
    const missing = await world.run(['validate', '-f', '/nonexistent/x.yaml']);
    expect(missing).toMatchObject({
      code: 1,
      stderr: 's3ir validate: cannot read /nonexistent/x.yaml: no such file\n',
    });
    const noFile = await world.run(['validate']);
    expect(noFile.code).toBe(64);
    expect(noFile.stderr).toContain('-f FILE is required');
    expect(noFile.stderr).not.toContain('    at ');
    const help = await world.run(['validate', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: s3ir validate -f FILE\n/);
  });
});

describe('s3ir validate and apply: accounts outside S3IR_ALLOWED_ACCOUNTS', () => {
  const foreignFile = (bucket: string) =>
    [
      'version: 1',
      'buckets:',
      `  ${bucket}:`,
      '    account: "999900001111"',
      `    inventories: ${JSON.stringify([daily])}`,
      '',
    ].join('\n');

  it('validate refuses a bucket account outside the list, naming file, line and column', async () => {
    const bucket = unique('cli-foreign');
    const path = await world.file('foreign.yaml', foreignFile(bucket));
    const run = await world.run(['validate', '-f', path], { S3IR_ALLOWED_ACCOUNTS: '123456789012' });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toEqual([
      `${path}:4:5 buckets.${bucket}.account: account 999900001111 is not in S3IR_ALLOWED_ACCOUNTS (123456789012): the service would do nothing for this bucket`,
      `${path}: 1 error`,
      '',
    ]);
  });

  it('apply refuses it too (the home account and the list) and writes nothing', async () => {
    const bucket = unique('cli-foreign');
    const path = await world.file('foreign.yaml', foreignFile(bucket));
    const run = await world.run(['apply', '-f', path], { S3IR_ALLOWED_ACCOUNTS: '222233334444' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `${path}:4:5 buckets.${bucket}.account: account 999900001111 is not in S3IR_ALLOWED_ACCOUNTS (123456789012, 222233334444)`,
    );
    expect(run.stderr).toContain('nothing was written');
    expect((await world.items(world.tables.desired)).filter((item) => item.bucket === bucket)).toEqual([]);
  });

  it('accepts an account the list names', async () => {
    const path = await world.file('allowed.yaml', foreignFile(unique('cli-allowed')));
    const run = await world.run(['validate', '-f', path], { S3IR_ALLOWED_ACCOUNTS: '999900001111' });
    expect(run).toMatchObject({ code: 0, stderr: '' });
  });
});

describe('s3ir apply', () => {
  it('writes the file, then re-applying it writes nothing', async () => {
    const bucket = unique('cli-apply');
    const path = await world.file('apply.yaml', desiredYaml({ [bucket]: [daily, weekly] }));
    const first = await world.run(['apply', '-f', path]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toBe(
      `+ ${bucket} (settings)\n+ ${bucket}/daily-csv\n+ ${bucket}/weekly\nApplied: 3 added, 0 changed, 0 removed, 0 unchanged.\n`,
    );
    const items = (await world.items(world.tables.desired)).filter((item) => item.bucket === bucket);
    expect(items.map((item) => item.id)).toEqual(['#bucket', 'daily-csv', 'weekly']);
    expect(items[1]).toMatchObject({
      configuration: daily,
      source: `file:${path}`,
      appliedBy: 'arn:aws:sts::123456789012:user/moto',
      appliedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
    });

    // Other files may write at the same time: one of three re-applies must show no write at all.
    let delta = -1;
    for (let attempt = 0; attempt < 3 && delta !== 0; attempt++) {
      const before = writes(await world.calls());
      const again = await world.run(['apply', '-f', path]);
      expect(again).toMatchObject({
        code: 0,
        stdout: 'No changes: the table already holds this desired state (3 items).\n',
      });
      delta = writes(await world.calls()) - before;
    }
    expect(delta).toBe(0);
    expect((await world.items(world.tables.desired)).filter((item) => item.bucket === bucket)).toEqual(items);
  });

  it('writes only what changed and removes what the bucket entry no longer declares', async () => {
    const bucket = unique('cli-change');
    const path = await world.file('change.yaml', desiredYaml({ [bucket]: [daily, weekly] }));
    await world.run(['apply', '-f', path]);
    const changed = makeConfiguration({ Id: 'daily-csv', OptionalFields: ['Size'] });
    await world.file('change.yaml', desiredYaml({ [bucket]: [changed] }));
    const run = await world.run(['apply', '-f', path]);
    expect(run.stdout).toBe(
      `~ ${bucket}/daily-csv\n- ${bucket}/weekly\nApplied: 0 added, 1 changed, 1 removed, 1 unchanged.\n`,
    );
    const items = (await world.items(world.tables.desired)).filter((item) => item.bucket === bucket);
    expect(items.map((item) => [item.id, item.configuration])).toEqual([
      ['#bucket', undefined],
      ['daily-csv', changed],
    ]);
  });

  it('writes nothing when any part of the file is invalid, and prints every error', async () => {
    const bucket = unique('cli-bad');
    const bad = makeConfiguration({ Id: 'bad', Schedule: { Frequency: 'Hourly' as 'Daily' } });
    const path = await world.file('invalid.yaml', desiredYaml({ [bucket]: [daily, bad] }));
    const run = await world.run(['apply', '-f', path]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      `buckets.${bucket}.inventories[1].Schedule.Frequency: expected Daily | Weekly, got "Hourly"`,
    );
    expect(run.stderr).toContain('nothing was written');
    expect((await world.items(world.tables.desired)).filter((item) => item.bucket === bucket)).toEqual([]);
  });

  it('keeps other buckets, unless --prune-desired', async () => {
    const [a, b] = [unique('cli-keep'), unique('cli-other')];
    await world.run(['apply', '-f', await world.file('a.yaml', desiredYaml({ [a]: [daily] }))]);
    const pathB = await world.file('b.yaml', desiredYaml({ [b]: [weekly] }));
    await world.run(['apply', '-f', pathB]);
    const buckets = async () => new Set((await world.items(world.tables.desired)).map((item) => item.bucket));
    expect([...(await buckets())]).toEqual(expect.arrayContaining([a, b]));

    const pruned = await world.run(['apply', '-f', pathB, '--prune-desired']);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain(`- ${a} (settings)\n- ${a}/daily-csv\n`);
    expect(pruned.stdout).not.toContain(`- ${b}`);
    expect([...(await buckets())]).toEqual([b]);
  });
});

/** A template as YAML-compatible JSON, one line: `- {name, match, inventories}`. */
const templateLine = (name: string, match: Record<string, unknown>, ids: string[]) =>
  `  - ${JSON.stringify({ name, match, inventories: ids.map((Id) => makeConfiguration({ Id })) })}`;
const templatesYaml = (lines: string[], buckets = '') =>
  `version: 1\n${buckets}templates:\n${lines.join('\n')}\n`;
/** `LINE:COLUMN` of the `nth` (from 1) `"Id":"ID"` on a 1-based line of a file. */
const idAt = (text: string, line: number, id: string, nth = 1) => {
  const row = text.split('\n')[line - 1]!;
  let column = -1;
  for (let seen = 0; seen < nth; seen++) column = row.indexOf(`"Id":"${id}"`, column + 1);
  return `${line}:${column + 1}`;
};

describe('s3ir validate: templates that give one Id to the same buckets', () => {
  it('exits 1 naming both templates (file:line), the Id and a bucket both match by name', async () => {
    const text = templatesYaml([
      templateLine('web', { names: ['web-*'] }, ['daily-csv']),
      templateLine('prod', { names: ['*-prod'] }, ['weekly', 'daily-csv']),
    ]);
    const path = await world.file('overlap.yaml', text);
    const run = await world.run(['validate', '-f', path]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `${path}:${idAt(text, 4, 'daily-csv')} templates[1].inventories[1].Id: templates "web" (${path}:3) and "prod" (${path}:4) both ` +
        'give the Id "daily-csv" to every bucket both match by name, e.g. "web-prod": make their matches ' +
        "disjoint, rename one Id, or declare the Id in the bucket's own entry\n" +
        `${path}: 1 error\n`,
    );
  });

  it('exits 0 with a warning on stderr when the buckets’ tags decide', async () => {
    const path = await world.file(
      'possible.yaml',
      templatesYaml([
        templateLine('prod', { tags: { env: 'prod' } }, ['daily-csv']),
        templateLine('web', { names: ['web-*'] }, ['daily-csv']),
        templateLine('dev', { tags: { env: 'dev' } }, ['daily-csv']),
      ]),
    );
    const run = await world.run(['validate', '-f', path]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${path}: valid (0 buckets, 0 inventory configurations, 3 templates)\n`);
    // prod/web and web/dev may meet (tags decide); prod/dev never can (one key, two values).
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /:4:\d+ templates\[1\]\.inventories\[0\]\.Id: warning: templates "prod" \(.*:3\) and "web" \(.*:4\) both give the Id "daily-csv" to any bucket that matches both by name and carries env=prod, e\.g\. "web-0"/,
      ),
      expect.stringMatching(
        /:5:\d+ templates\[2\]\.inventories\[0\]\.Id: warning: templates "web" .* and "dev" /,
      ),
    ]);
  });
});

describe('s3ir apply: templates that give one Id to one of the account’s buckets', () => {
  it("refuses, naming both templates, the Id and the bucket, when the account's tags make them meet", async () => {
    const team = unique('team');
    const bucket = unique('cli-tc');
    await world.createBuckets(bucket);
    await world.s3.send(
      new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: 'team', Value: team }] } }),
    );
    const before = await world.items(world.tables.desired);
    const text = templatesYaml([
      templateLine(`${team}-tagged`, { tags: { team } }, ['daily-csv']),
      templateLine(`${team}-named`, { names: ['cli-tc-*'] }, ['daily-csv']),
    ]);
    const path = await world.file('meet.yaml', text);
    const run = await world.run(['apply', '-f', path]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines[0]).toContain(': warning: '); // validate's warning: the tags decide
    expect(lines.slice(1)).toEqual([
      `${path}:${idAt(text, 4, 'daily-csv')} templates[1].inventories[0].Id: templates "${team}-tagged" (${path}:3) and "${team}-named" ` +
        `(${path}:4) both give the Id "daily-csv" to bucket "${bucket}", which both select: make their matches ` +
        "disjoint, rename one Id, or declare the Id in the bucket's own entry",
      `${path}: 1 error(s); nothing was written`,
    ]);
    expect(await world.items(world.tables.desired)).toEqual(before);
  });

  it('counts the templates the table already holds: a new template meeting one of them is refused', async () => {
    const prefix = unique('cli-kept');
    const bucket = `${prefix}-prod`;
    await world.createBuckets(bucket);
    const platform = await world.file(
      'platform.yaml',
      templatesYaml([templateLine(`${prefix}-all`, { names: [`${prefix}-*`] }, ['weekly'])]),
    );
    expect((await world.run(['apply', '-f', platform])).code).toBe(0);
    const before = await world.items(world.tables.desired);

    const team = await world.file(
      'team.yaml',
      templatesYaml([templateLine(`${prefix}-prod`, { names: ['*-prod'] }, ['weekly'])]),
    );
    const run = await world.run(['apply', '-f', team]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `templates "${prefix}-all" (in the table, from ${platform}) and "${prefix}-prod" (${team}:3) both give ` +
        `the Id "weekly" to bucket "${bucket}", which both select`,
    );
    expect(run.stderr).toMatch(/nothing was written\n$/);
    expect(await world.items(world.tables.desired)).toEqual(before);

    // The bucket's own entry beats both templates: then the same templates are fine together.
    const owned = await world.file(
      'team.yaml',
      templatesYaml(
        [templateLine(`${prefix}-prod`, { names: ['*-prod'] }, ['weekly'])],
        `buckets:\n  ${bucket}:\n    inventories: ${JSON.stringify([makeConfiguration({ Id: 'weekly' })])}\n`,
      ),
    );
    const accepted = await world.run(['apply', '-f', owned]);
    expect(accepted).toMatchObject({ code: 0, stderr: '' });
    expect(accepted.stdout).toContain(`+ template ${prefix}-prod\n`);
  });
});

describe('s3ir apply and a learned region', () => {
  it('keeps the region the reconcile learned: re-applying writes nothing, a change carries it', async () => {
    const bucket = unique('cli-region');
    await world.createBuckets(bucket);
    const path = await world.file('region.yaml', desiredYaml({ [bucket]: [daily] }));
    expect((await world.run(['apply', '-f', path])).code).toBe(0);
    const settings = async () =>
      (await world.items(world.tables.desired)).find(
        (item) => item.bucket === bucket && item.id === '#bucket',
      );
    expect((await settings())?.settings).toEqual({});

    // The reconcile learns the bucket's region once and keeps it in the settings item.
    await world.run(['reconcile', '--bucket', bucket]);
    const learned = await settings();
    expect(learned?.settings).toEqual({ region: 'us-east-1' });

    const again = await world.run(['apply', '-f', path]);
    expect(again).toMatchObject({
      code: 0,
      stdout: 'No changes: the table already holds this desired state (2 items).\n',
    });
    expect(await settings()).toEqual(learned);

    await world.file(
      'region.yaml',
      desiredYaml({ [bucket]: [daily] }).replace(`${bucket}:\n`, `${bucket}:\n    mode: detect\n`),
    );
    const changed = await world.run(['apply', '-f', path]);
    expect(changed.stdout).toBe(
      `~ ${bucket} (settings)\nApplied: 0 added, 1 changed, 0 removed, 1 unchanged.\n`,
    );
    expect((await settings())?.settings).toEqual({ mode: 'detect', region: 'us-east-1' });
  });

  it('adds a bucket whose only item kept a learned region, keeping that region', async () => {
    const bucket = unique('cli-learned');
    await world.createBuckets(bucket);
    // A template reaches the bucket: the reconcile keeps its region in an item of its own (source: learned).
    const template = await world.file(
      'learned-template.yaml',
      templatesYaml([templateLine(`${bucket}-t`, { names: [bucket] }, ['from-template'])]),
    );
    expect((await world.run(['apply', '-f', template])).code).toBe(0);
    await world.run(['reconcile', '--bucket', bucket]);
    const item = async () =>
      (await world.items(world.tables.desired)).find(
        (entry) => entry.bucket === bucket && entry.id === '#bucket',
      );
    expect(await item()).toMatchObject({ settings: { region: 'us-east-1' }, source: 'learned' });

    const path = await world.file('learned.yaml', desiredYaml({ [bucket]: [daily] }));
    const run = await world.run(['apply', '-f', path]);
    expect(run.stdout).toBe(
      `+ ${bucket} (settings)\n+ ${bucket}/daily-csv\nApplied: 2 added, 0 changed, 0 removed, 0 unchanged.\n`,
    );
    expect(await item()).toMatchObject({ settings: { region: 'us-east-1' }, source: `file:${path}` });
  });
});
