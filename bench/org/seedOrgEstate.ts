import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import {
  CreateBucketCommand,
  PutBucketInventoryConfigurationCommand,
  PutBucketTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { discoveryQueueUrl, memberConfig, memberRoles } from '../../infra/local/demo/seedOrganization.js';
import {
  createMemberAccount,
  createUnit,
  localOrganization,
} from '../../infra/local/organization/localOrganization.js';
import { mapLimit } from '../../lib/core/concurrency/mapLimit.js';
import { fileToItems } from '../../lib/core/desired/tableItems.js';
import type { SeedClientConfig } from '../estate/seedEstate.js';
import {
  actualOrgConfigurations,
  ORG_ESTATE,
  type OrgEstatePlan,
  type OrgUnitKey,
  orgConfiguration,
  orgTemplate,
} from './planOrgEstate.js';

/** What `seedOrgEstate()` made, and the env the service runs with over it. */
export interface SeededOrgEstate {
  plan: OrgEstatePlan;
  home: string;
  organizationId: string;
  /** OU ids by the plan's unit key. */
  units: Record<OrgUnitKey, string>;
  /** Member account ids, in the plan's order. */
  accounts: string[];
  keyArn: string;
  discoveryQueueUrl: string;
}

/** Requests in flight while seeding: moto answers one at a time; a few in flight hide the round trips. */
const SEED_PARALLELISM = 16;
const BATCH_WRITE_ITEMS = 25;
/**
 * serverless.yml's `discoverQueueVisibilityTimeout`: the local queue's default (30 s) would hand an account
 * whose discovery takes longer on a loaded machine to `discover` again, and its buckets would be enqueued twice.
 */
const DISCOVERY_VISIBILITY_SECONDS = 720;

/** A key policy with only KMS's default statement (the account root): no member account is granted yet. */
function rootOnlyKeyPolicy(home: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'EnableIamUserPermissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${home}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  });
}

/**
 * The organization with the plan's OUs (moto's: the home account manages it) and its member accounts,
 * each with the member roles the service assumes (the demo's code: infra/local/demo/seedOrganization.ts).
 */
async function seedOrganizationTree(
  config: SeedClientConfig,
  plan: OrgEstatePlan,
): Promise<{ organizationId: string; units: Record<OrgUnitKey, string>; accounts: string[] }> {
  const orgs = new OrganizationsClient(config);
  try {
    const organization = await localOrganization(orgs);
    const units = {} as Record<OrgUnitKey, string>;
    for (const [key, unit] of Object.entries(ORG_ESTATE.units) as [
      OrgUnitKey,
      { name: string; parent: 'root' | OrgUnitKey },
    ][]) {
      const parent = unit.parent === 'root' ? organization.rootId : units[unit.parent];
      units[key] = await createUnit(orgs, parent, unit.name);
    }
    const accounts: string[] = [];
    for (const member of plan.accounts)
      accounts.push(await createMemberAccount(orgs, organization, member.name, units[member.unit]));
    return { organizationId: organization.organizationId, units, accounts };
  } finally {
    orgs.destroy();
  }
}

/** The discovery queue (the demo's: the env's, else `s3ir-discovery`) with the deployed visibility timeout. */
async function discoveryQueue(config: SeedClientConfig, env: Record<string, string>): Promise<string> {
  const queueUrl = await discoveryQueueUrl(config, env);
  const sqs = new SQSClient(config);
  try {
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: queueUrl,
        Attributes: { VisibilityTimeout: String(DISCOVERY_VISIBILITY_SECONDS) },
      }),
    );
    return queueUrl;
  } finally {
    sqs.destroy();
  }
}

/**
 * Seeds the organization estate as a platform team finds it before adopting the service: the OU tree and
 * member accounts with the member roles, the tagged buckets (some with the report already configured, some
 * changed) and one untagged bucket per account, the home account's one destination (no policy) and one key
 * (KMS's default policy), and the one template that declares them all. Directly with the SDK, before any
 * latency rule: setup, not the measurement.
 */
export async function seedOrgEstate(
  plan: OrgEstatePlan,
  config: SeedClientConfig,
  env: { S3IR_DESIRED_TABLE: string } & Record<string, string>,
): Promise<SeededOrgEstate> {
  const sts = new STSClient(config);
  const home = (await sts.send(new GetCallerIdentityCommand({}))).Account!;
  sts.destroy();
  const tree = await seedOrganizationTree(config, plan);

  const clients = new Map<string, S3Client>();
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const kms = new KMSClient(config);
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(config));
  try {
    await mapLimit(tree.accounts, 4, async (account) => {
      const member = await memberConfig(config, account);
      await memberRoles(member, home);
      clients.set(account, new S3Client({ ...member, forcePathStyle: true }));
    });
    const key = await kms.send(
      new CreateKeyCommand({
        Description: 's3ir bench: the organization reports',
        Policy: rootOnlyKeyPolicy(home),
        // The service changes only keys tagged so (IAM, and the facts it reads).
        Tags: [{ TagKey: 's3ir:inventory-key', TagValue: 'true' }],
      }),
    );
    const keyArn = key.KeyMetadata!.Arn!;
    await s3.send(new CreateBucketCommand({ Bucket: ORG_ESTATE.destination }));

    const declared = orgConfiguration(home, keyArn);
    const work = plan.accounts.flatMap((member, index) => {
      const client = clients.get(tree.accounts[index]!)!;
      return [
        ...member.buckets.map((bucket) => ({ client, ...bucket, tagged: true })),
        { client, bucket: member.untagged, drift: undefined, tagged: false },
      ];
    });
    await mapLimit(work, SEED_PARALLELISM, async ({ client, bucket, drift, tagged }) => {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      if (!tagged) return;
      await client.send(
        new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ ...ORG_ESTATE.tag }] } }),
      );
      for (const configuration of actualOrgConfigurations(drift!, declared)) {
        await client.send(
          new PutBucketInventoryConfigurationCommand({
            Bucket: bucket,
            Id: configuration.Id,
            InventoryConfiguration: configuration,
          }),
        );
      }
    });

    const unitIds = ORG_ESTATE.templateUnits.map((key) => tree.units[key]);
    const items = fileToItems(
      { version: 1, templates: [orgTemplate(unitIds, declared)] } as Parameters<typeof fileToItems>[0],
      { fileName: 'bench-org.yaml', appliedBy: 's3ir-bench', appliedAt: new Date().toISOString() },
    );
    for (let start = 0; start < items.length; start += BATCH_WRITE_ITEMS) {
      const batch = items.slice(start, start + BATCH_WRITE_ITEMS);
      const output = await documents.send(
        new BatchWriteCommand({
          RequestItems: { [env.S3IR_DESIRED_TABLE]: batch.map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
      const left = Object.values(output.UnprocessedItems ?? {}).flat().length;
      if (left > 0) throw new Error(`DynamoDB left ${left} desired items of the organization unwritten`);
    }
    return { plan, home, ...tree, keyArn, discoveryQueueUrl: await discoveryQueue(config, env) };
  } finally {
    for (const client of clients.values()) client.destroy();
    s3.destroy();
    kms.destroy();
    documents.destroy();
  }
}
