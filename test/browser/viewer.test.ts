import { mkdir } from 'node:fs/promises';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditSink } from '../../lib/adapters/aws/DynamoAuditSink.js';
import type { AuditEvent } from '../../lib/core/audit/types.js';
import { type CliWorld, cliWorld, unique } from '../cli/cliHarness.js';
import { makeConfiguration } from '../helpers/factories.js';
import { LOCAL_HOME_ACCOUNT } from '../integration/aws/localFactory.js';
import { type ServeProcess, startServe } from './serveProcess.js';

const SCREENSHOT = 'test-results/viewer.png';
// Debian's chromium as root without a sandbox, on a machine with no network and no GPU (DESIGN, Toolchain).
const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
};

const names = {
  added: unique('view-added'),
  changed: unique('view-changed'),
  watched: unique('view-watched'),
};
/** A bucket with a long history (no desired state): more events than the viewer's first page holds. */
const history = unique('view-history');
const HISTORY = 100;
const dest = unique('view-dest');
const declared = (Id: string) =>
  makeConfiguration({
    Id,
    Schedule: { Frequency: 'Daily' },
    Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${dest}`, Format: 'CSV', Prefix: 'inv' } },
  });

let world: CliWorld;
let serve: ServeProcess | undefined;
let browser: Browser | undefined;
let page: Page;
/** Every stored event, and those of the last 7 days (all but one), newest first. */
let all: AuditEvent[];
let events: AuditEvent[];
const pageErrors: string[] = [];

/** The audit events of this world's table (its own items, `#…`, are not events), newest first. */
async function storedEvents(): Promise<AuditEvent[]> {
  const items = (await world.items(world.tables.audit)) as unknown as AuditEvent[];
  return items
    .filter((item) => !item.eventId.startsWith('#'))
    .sort((a, b) => (`${a.time}#${a.eventId}` < `${b.time}#${b.eventId}` ? 1 : -1));
}

const rowsOf = (selector: string, attribute: string) =>
  page.$$eval(`${selector} tr`, (rows, name) => rows.map((row) => row.getAttribute(name)), attribute);

/** Submits the filter form as a person would, and waits until the timeline has reloaded. */
async function filter(fields: { bucket?: string; action?: string }): Promise<void> {
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.waitForSelector('#events-table:not([aria-busy])');
  if (fields.bucket !== undefined) await page.getByLabel('Bucket', { exact: true }).fill(fields.bucket);
  if (fields.action !== undefined)
    await page.getByLabel('Action', { exact: true }).selectOption(fields.action);
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForSelector('#events-table:not([aria-busy])');
}

beforeAll(async () => {
  world = await cliWorld();
  // `added` lacks its configuration, `changed` has it with another schedule, `watched` (detect mode) too
  // but is only watched; the destination's policy does not yet allow delivery.
  await world.createBuckets(names.added, names.changed, names.watched, dest);
  for (const bucket of [names.changed, names.watched])
    await world.putInventory(bucket, {
      ...declared('daily'),
      // As the service puts it (with the verified owner), so the schedule is the one field that differs.
      Destination: {
        S3BucketDestination: {
          Bucket: `arn:aws:s3:::${dest}`,
          Format: 'CSV',
          Prefix: 'inv',
          AccountId: LOCAL_HOME_ACCOUNT,
        },
      },
      Schedule: { Frequency: 'Weekly' },
    });
  const desired = [
    'version: 1',
    'buckets:',
    ...Object.entries(names).flatMap(([key, bucket]) => [
      `  ${bucket}:`,
      ...(key === 'watched' ? ['    mode: detect'] : []),
      `    inventories: ${JSON.stringify([declared('daily')])}`,
    ]),
  ].join('\n');
  const applied = await world.run(['apply', '-f', await world.file('viewer.yaml', `${desired}\n`)]);
  expect(applied, applied.stderr).toMatchObject({ code: 0 });
  const reconciled = await world.run(['reconcile']);
  expect(reconciled.stderr).toBe('');
  const sink = new DynamoAuditSink({ client: world.documents, tableName: world.tables.audit });
  const seededFrom = Date.now() - 3 * 86_400_000;
  await sink.record({
    eventId: 'older-than-a-week',
    time: new Date(Date.now() - 10 * 86_400_000).toISOString(),
    runId: 'history',
    bucket: history,
    action: 'drift-detected',
    actor: 'seed',
  });
  for (let i = 0; i < HISTORY; i++) {
    // Inside the 7 days the viewer opens on; one more event, older, stays outside it.
    const time = new Date(seededFrom + i * 60_000).toISOString();
    await sink.record({
      eventId: `old-${i}`,
      time,
      runId: 'history',
      bucket: history,
      action: 'drift-detected',
      actor: 'seed',
    });
  }
  all = await storedEvents();
  events = all.filter((event) => event.eventId !== 'older-than-a-week');

  const env = {
    ...world.local.env,
    AWS_ENDPOINT_URL: world.local.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    S3IR_DESIRED_TABLE: world.tables.desired,
    S3IR_STATE_TABLE: world.tables.state,
    S3IR_AUDIT_TABLE: world.tables.audit,
  };
  const envFile = await world.file(
    'serve.env',
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  serve = await startServe(envFile);
  browser = await chromium.launch(CHROMIUM);
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  // A step that cannot happen fails with Playwright's own message, well inside the test's timeout.
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // A CSP violation (an unhashed script or style) shows up as a console error.
  // The bad filter's 400 is logged too, on purpose: that one is expected.
  page.on('console', (message) => {
    const expected = message.text().includes('status of 400 (Bad Request)');
    if (message.type() === 'error' && !expected) pageErrors.push(message.text());
  });
  await page.goto(serve.url);
  await page.waitForSelector('body[data-ready="true"]');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  const code = await serve?.stop();
  await world?.close();
  // `s3ir serve` stops cleanly on SIGTERM.
  if (serve) expect(code).toBe(0);
}, 60_000);

describe('the audit viewer in headless Chromium, after a reconcile', () => {
  it('shows every bucket’s drift state at a glance', async () => {
    const rows = await page.$$eval('#status-body tr', (found) =>
      found.map((row) => [
        row.getAttribute('data-bucket'),
        row.getAttribute('data-state'),
        row.querySelector('.state')?.textContent,
      ]),
    );
    expect(rows).toEqual(
      [
        [names.added, 'in-sync', 'in sync'],
        [names.changed, 'in-sync', 'in sync'],
        [names.watched, 'drifted', 'drifted'],
      ].sort(([a], [b]) => (a! < b! ? -1 : 1)),
    );
    expect(await page.textContent('#status-counts')).toBe(
      '3 buckets: 2 in sync, 1 drifted, 0 action required, 0 failed.',
    );
  });

  it('opens on the last 7 days, newest first, a page at a time, and says the chains changed in them are intact', async () => {
    expect(events.map((event) => event.action)).toEqual(
      expect.arrayContaining([
        'inventory-created',
        'inventory-updated',
        'destination-policy-updated',
        'drift-detected',
      ]),
    );
    expect(events.length).toBeGreaterThan(HISTORY);
    expect(await rowsOf('#events-body', 'data-event-id')).toEqual(
      events.slice(0, 100).map((event) => event.eventId),
    );
    expect(await page.textContent('#events-message')).toBe('100 events shown, newest first; more below.');
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.waitForSelector('#events-table:not([aria-busy])');
    expect(await rowsOf('#events-body', 'data-event-id')).toEqual(events.map((event) => event.eventId));
    expect(await page.isHidden('#more')).toBe(true);

    const verify = page.locator('#verify');
    expect(await verify.getAttribute('data-state')).toBe('intact');
    expect(await page.inputValue('#since')).toBe('7d');
    expect(await verify.textContent()).toMatch(
      new RegExp(
        `^✓ Audit chain intact: ${events.length} events in 4 chains changed since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\.$`,
      ),
    );
  });

  it('shows the week before too once the since field is cleared', async () => {
    await page.getByLabel('Since', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForSelector('#events-table:not([aria-busy])');
    while (await page.isVisible('#more')) {
      await page.getByRole('button', { name: 'Load more' }).click();
      await page.waitForSelector('#events-table:not([aria-busy])');
    }
    expect(await rowsOf('#events-body', 'data-event-id')).toEqual(all.map((event) => event.eventId));
  });

  it('filters by bucket, then by action: only matching rows remain', async () => {
    await filter({ bucket: names.watched });
    const watched = events.filter((event) => event.bucket === names.watched);
    expect(watched.length).toBeGreaterThan(0);
    expect(await rowsOf('#events-body', 'data-event-id')).toEqual(watched.map((event) => event.eventId));
    expect(new Set(await rowsOf('#events-body', 'data-bucket'))).toEqual(new Set([names.watched]));

    await filter({ action: 'inventory-updated' });
    const updated = events.filter((event) => event.action === 'inventory-updated');
    expect(updated.map((event) => event.bucket)).toEqual([names.changed]);
    expect(await rowsOf('#events-body', 'data-event-id')).toEqual(updated.map((event) => event.eventId));
  });

  it('shows a bad filter’s reason from the API', async () => {
    await filter({ bucket: 'Not_A_Bucket' });
    expect(await page.textContent('#events-message')).toBe(
      'Could not load events: bucket: expected a bucket name of lowercase letters, digits, "." and "-", got "Not_A_Bucket"',
    );
  });

  it('opens a change’s before and after side by side, the changed line highlighted on both sides', async () => {
    await filter({ bucket: names.changed, action: 'inventory-updated' });
    await page.getByRole('button', { name: /^Show the change of inventory-updated/ }).click();
    await page.waitForSelector('#detail:not([hidden])');
    expect(
      await page.$$eval('#diff-table thead th', (cells) => cells.map((cell) => cell.textContent)),
    ).toEqual(['Before', 'After']);
    expect(await page.$$eval('#diff-table del', (cells) => cells.map((cell) => cell.textContent))).toEqual([
      '    "Frequency": "Weekly"',
    ]);
    expect(await page.$$eval('#diff-table ins', (cells) => cells.map((cell) => cell.textContent))).toEqual([
      '    "Frequency": "Daily"',
    ]);
    // Unchanged lines are on both sides, in the same row.
    const idRow = await page.$$eval('#diff-table tbody tr', (rows) =>
      rows
        .map((row) => [...row.querySelectorAll('code')].map((code) => code.textContent))
        .find((cells) => cells[0]?.includes('"Id"')),
    );
    expect(idRow).toEqual(['  "Id": "daily",', '  "Id": "daily",']);
    expect(await page.textContent('#detail-summary')).toContain(
      `inventory-updated on ${names.changed} (daily)`,
    );

    await mkdir('test-results', { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('ran without a script error or a Content-Security-Policy violation', () => {
    expect(pageErrors).toEqual([]);
  });
});
