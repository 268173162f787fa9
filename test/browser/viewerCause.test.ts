import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditSink } from '../../lib/adapters/aws/DynamoAuditSink.js';
import { withEventId } from '../../lib/core/audit/eventId.js';
import type { AuditEvent } from '../../lib/core/audit/types.js';
import { type CliWorld, cliWorld, unique } from '../cli/cliHarness.js';
import { makeConfiguration } from '../helpers/factories.js';
import { type ServeProcess, startServe } from './serveProcess.js';

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

const bucket = unique('view-cause');
const ANA = 'arn:aws:sts::123456789012:assumed-role/ops-admin/ana';
const ROLE = 'arn:aws:iam::123456789012:role/s3ir-reconcile';
// Recent, so that any default time window of the viewer holds them.
const changedAt = new Date(Date.now() - 60_000);
const revertedAt = new Date(changedAt.getTime() + 4_000);

const reverted: AuditEvent = withEventId('update-configuration:daily', {
  time: revertedAt.toISOString(),
  runId: 'change-viewer-cause',
  bucket,
  configId: 'daily',
  action: 'inventory-updated',
  actor: ROLE,
  before: makeConfiguration({ Id: 'daily', Schedule: { Frequency: 'Weekly' } }),
  after: makeConfiguration({ Id: 'daily' }),
  message: `updated inventory daily on ${bucket} (Schedule.Frequency)`,
  cause: {
    actor: ANA,
    sourceIp: '203.0.113.7',
    time: changedAt.toISOString(),
    eventId: '0b4f7c3e-2d1a-4f5b-9c8e-7a6b5c4d3e2f',
    eventName: 'PutBucketInventoryConfiguration',
  },
});
const plain: AuditEvent = withEventId('failure', {
  time: new Date(revertedAt.getTime() + 1_000).toISOString(),
  runId: 'sweep-viewer-cause',
  bucket,
  action: 'reconcile-failed',
  actor: ROLE,
  message: 'Reconcile of a bucket failed',
});
const causeText = `changed by ${ANA} from 203.0.113.7 at ${changedAt.toISOString()}, reverted by ${ROLE} at ${revertedAt.toISOString()}`;

let world: CliWorld;
let serve: ServeProcess | undefined;
let browser: Browser | undefined;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  world = await cliWorld();
  const sink = new DynamoAuditSink({ client: world.documents, tableName: world.tables.audit });
  await sink.record(reverted);
  await sink.record(plain);
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
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await page.goto(serve.url);
  await page.waitForSelector('body[data-ready="true"]');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await world?.close();
}, 60_000);

describe('the audit viewer shows who caused the drift', () => {
  it('says "changed by … at …, reverted by … at …" under the event, and nothing under one without a cause', async () => {
    const row = `#events-body tr[data-event-id="${reverted.eventId}"]`;
    expect(await page.textContent(`${row} .cause`)).toBe(causeText);
    expect(await page.$$(`#events-body tr[data-event-id="${plain.eventId}"] .cause`)).toHaveLength(0);
  });

  it('says it in the summary of the opened change too', async () => {
    await page.click(`#events-body tr[data-event-id="${reverted.eventId}"] .show-change`);
    await page.waitForSelector('#detail:not([hidden])');
    expect(await page.textContent('#detail-summary')).toContain(causeText);
    expect(pageErrors).toEqual([]);
  });
});
