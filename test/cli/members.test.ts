import { OrganizationsClient } from '@aws-sdk/client-organizations';
import {
  CreateBucketCommand,
  ListBucketInventoryConfigurationsCommand,
  PutBucketTaggingCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemberAccount,
  createUnit,
  localOrganization,
} from '../../infra/local/organization/localOrganization.js';
import type { InventoryConfiguration } from '../../lib/core/inventory/types.js';
import { makeConfiguration } from '../helpers/factories.js';
import { memberS3 } from '../helpers/memberS3.js';
import { type CliWorld, cliWorld, unique } from './cliHarness.js';
import { RefusingStsProxy } from './refusingStsProxy.js';

// #18: `s3ir plan`, `reconcile`, `status` and `delivery` over the buckets templates select in member accounts.
const HOME = '123456789012';
const REGION = 'us-east-1';
const ORG_TAG = { Key: 's3ir-members', Value: 'org' };
const LOCAL_TAG = { Key: 's3ir-members', Value: 'local' };

let world: CliWorld;
let env: Record<string, string>;
let members: { audit: string; web: string; api: string };
const dest = unique('mem-dest');
const buckets = {
  auditLogs: unique('mem-audit-logs'),
  auditLocal: unique('mem-audit-local'),
  auditDest: unique('mem-audit-dest'),
  auditScratch: unique('mem-audit-scratch'),
  web: unique('mem-web'),
  api: unique('mem-api'),
};

const base = () => ({
  endpoint: world.local.endpoint,
  region: REGION,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

/** An S3 client of `account` (moto keeps accounts apart by the assumed role's account). */
function s3Of(account: string): Promise<S3Client> {
  return memberS3(base(), account);
}

async function bucketIn(account: string, bucket: string, tag?: { Key: string; Value: string }) {
  const s3 = await s3Of(account);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  if (tag) await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [tag] } }));
  s3.destroy();
}

async function inventoryIds(account: string, bucket: string): Promise<string[]> {
  const s3 = await s3Of(account);
  const listed = await s3.send(
    new ListBucketInventoryConfigurationsCommand({ Bucket: bucket, ExpectedBucketOwner: account }),
  );
  s3.destroy();
  return (listed.InventoryConfigurationList ?? []).map((configuration) => configuration.Id!).sort();
}

const toBucket = (Id: string, bucket: string, AccountId?: string): InventoryConfiguration =>
  makeConfiguration({
    Id,
    Destination: {
      S3BucketDestination: {
        Bucket: `arn:aws:s3:::${bucket}`,
        ...(AccountId !== undefined && { AccountId }),
        Format: 'CSV',
        Prefix: Id,
      },
    },
  });

interface PlanDocument {
  plans: { bucket: string; account: string; region: string }[];
  notManaged: unknown[];
  errors: unknown[];
  accounts: { account: string; buckets: number }[];
  accountErrors?: { account: string; message: string }[];
}

const run = (args: string[], extra: Record<string, string | undefined> = {}) =>
  world.run(args, { ...env, ...extra });

beforeAll(async () => {
  world = await cliWorld();
  const orgs = new OrganizationsClient(base());
  const organization = await localOrganization(orgs);
  const units = {
    security: await createUnit(orgs, organization.rootId, unique('cli-security')),
    apps: await createUnit(orgs, organization.rootId, unique('cli-apps')),
  };
  members = {
    audit: await createMemberAccount(orgs, organization, unique('cli-audit'), units.security),
    web: await createMemberAccount(orgs, organization, unique('cli-web'), units.apps),
    api: await createMemberAccount(orgs, organization, unique('cli-api'), units.apps),
  };
  orgs.destroy();
  await world.createBuckets(dest);
  await bucketIn(members.audit, buckets.auditLogs, ORG_TAG);
  await bucketIn(members.audit, buckets.auditLocal, LOCAL_TAG);
  await bucketIn(members.audit, buckets.auditDest);
  await bucketIn(members.audit, buckets.auditScratch);
  await bucketIn(members.web, buckets.web, ORG_TAG);
  await bucketIn(members.api, buckets.api, ORG_TAG);
  env = { S3IR_ALLOWED_ACCOUNTS: `${units.security},${units.apps}` };
  const file = [
    'version: 1',
    'templates:',
    // Every tagged bucket of both OUs, into the home account's destination.
    '  - name: members-org',
    '    match:',
    `      tags: { ${ORG_TAG.Key}: ${ORG_TAG.Value} }`,
    `      accounts: [${units.security}, ${units.apps}]`,
    `    inventories: ${JSON.stringify([toBucket('org-daily', dest, HOME)])}`,
    // The security OU's own reports, into a destination of the member account itself (no AccountId).
    '  - name: members-local',
    '    match:',
    `      tags: { ${LOCAL_TAG.Key}: ${LOCAL_TAG.Value} }`,
    `      accounts: [${units.security}]`,
    `    inventories: ${JSON.stringify([toBucket('local-daily', buckets.auditDest)])}`,
    '',
  ].join('\n');
  const applied = await run(['apply', '-f', await world.file('members.yaml', file)]);
  expect(applied).toMatchObject({ code: 0, stderr: '' });
}, 120_000);

afterAll(() => world?.close());

describe('the CLI over member accounts (#18)', () => {
  it("plan --json lists every member account's template-selected buckets, where they live", async () => {
    const plan = await run(['plan', '--json']);
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(2); // nothing converged yet: drift
    const document = JSON.parse(plan.stdout) as PlanDocument;
    const placed = document.plans.map(({ bucket, account, region }) => ({ bucket, account, region }));
    expect(placed).toEqual(
      [
        { bucket: buckets.auditLogs, account: members.audit, region: REGION },
        { bucket: buckets.auditLocal, account: members.audit, region: REGION },
        { bucket: buckets.web, account: members.web, region: REGION },
        { bucket: buckets.api, account: members.api, region: REGION },
      ].sort((a, b) => (a.bucket < b.bucket ? -1 : 1)),
    );
    // Untagged (the template's tag is ANDed with its OUs), and the destination: not selected.
    expect(plan.stdout).not.toContain(buckets.auditScratch);
    expect(document.accounts.map(({ account, buckets: count }) => [account, count]).sort()).toEqual(
      [
        [members.audit, 2],
        [members.web, 1],
        [members.api, 1],
      ].sort(),
    );
    expect(document).not.toHaveProperty('accountErrors');
    const text = await run(['plan']);
    expect(text.stdout).toContain(`bucket "${buckets.web}" (account ${members.web}, ${REGION})`);
    expect(text.stdout).toMatch(new RegExp(`^ {2}${members.api} +1 bucket: `, 'm'));
  });

  it('--account keeps the buckets of that member account only', async () => {
    const plan = await run(['plan', '--json', '--account', members.web]);
    expect(plan).toMatchObject({ code: 2, stderr: '' });
    const document = JSON.parse(plan.stdout) as PlanDocument;
    expect(document.plans.map((entry) => entry.bucket)).toEqual([buckets.web]);
    expect(document.accounts).toEqual([expect.objectContaining({ account: members.web, buckets: 1 })]);
    const named = await run(['plan', '--json', '--bucket', buckets.api]);
    expect((JSON.parse(named.stdout) as PlanDocument).plans.map((entry) => entry.account)).toEqual([
      members.api,
    ]);
  });

  it('names an account whose role cannot be assumed on stderr, plans the others, and exits 1', async () => {
    const proxy = await RefusingStsProxy.start(world.local.endpoint, [members.api]);
    try {
      const plan = await run(['plan', '--json'], { AWS_ENDPOINT_URL_STS: proxy.endpoint });
      expect(plan.code).toBe(1);
      expect(plan.stderr).toMatch(
        new RegExp(`^account ${members.api}: its buckets could not be listed: .*AccessDenied`, 'm'),
      );
      expect(plan.stderr.split('\n').filter((line) => line.startsWith('account '))).toHaveLength(1);
      const document = JSON.parse(plan.stdout) as PlanDocument;
      expect(document.plans.map((entry) => entry.bucket).sort()).toEqual(
        [buckets.auditLogs, buckets.auditLocal, buckets.web].sort(),
      );
      expect(document.accountErrors).toEqual([
        { account: members.api, message: expect.stringContaining('AccessDenied') },
      ]);
      const status = await run(['status'], { AWS_ENDPOINT_URL_STS: proxy.endpoint });
      expect(status.code).toBe(1);
      expect(status.stderr).toContain(`account ${members.api}: its buckets could not be listed`);
      expect(status.stdout).toContain(buckets.web);
    } finally {
      await proxy.stop();
    }
  });

  it("reconcile --account converges that account's buckets there, and no other account's", async () => {
    const reconcile = await run(['reconcile', '--account', members.audit, '--json']);
    expect(reconcile.stderr).toBe('');
    expect(reconcile.code).toBe(0);
    const reports = reconcile.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { bucket: string; status: string });
    expect(reports.map(({ bucket }) => bucket).sort()).toEqual(
      [buckets.auditLocal, buckets.auditLogs].sort(),
    );
    expect(await inventoryIds(members.audit, buckets.auditLogs)).toEqual(['org-daily']);
    expect(await inventoryIds(members.audit, buckets.auditLocal)).toEqual(['local-daily']);
    expect(await inventoryIds(members.web, buckets.web)).toEqual([]);
    const status = await run(['status', '--json', '--account', members.audit]);
    expect(status.code).toBe(0);
    const rows = (JSON.parse(status.stdout) as { buckets: { bucket: string; status: string }[] }).buckets;
    expect(rows.map(({ bucket, status: state }) => [bucket, state]).sort()).toEqual(
      [
        [buckets.auditLocal, 'in-sync'],
        [buckets.auditLogs, 'in-sync'],
      ].sort(),
    );
  });

  it("delivery reads a member account's destination with that account's role", async () => {
    const reply = await fetch(`${world.local.endpoint}/_local/deliver`, {
      method: 'POST',
      body: JSON.stringify({ buckets: [buckets.auditLocal] }),
    });
    const delivered = (await reply.json()) as { delivered: { bucket: string }[]; refused: unknown[] };
    expect(delivered.refused).toEqual([]);
    expect(delivered.delivered.map((entry) => entry.bucket)).toEqual([buckets.auditLocal]);

    const delivery = await run(['delivery', '--json', '--bucket', buckets.auditLocal]);
    expect(delivery.stderr).toBe('');
    expect(delivery.code).toBe(0);
    expect(JSON.parse(delivery.stdout)).toMatchObject({
      bucket: buckets.auditLocal,
      id: 'local-daily',
      status: 'ok',
    });
  });
});
