import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  ListBucketInventoryConfigurationsCommand,
  PutBucketTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { createMemberAccount, createUnit, localOrganization } from '../organization/localOrganization.js';
import { ORG_DEMO, type OrgDemoMember } from './constants.js';
import type { DemoClientConfig } from './types.js';

/** What `seedOrganization()` created. */
export interface SeededOrganization {
  organizationId: string;
  /** OU ids by the demo's unit key (`security`, `apps`). */
  units: Record<keyof typeof ORG_DEMO.units, string>;
  /** Account ids by member name. */
  members: Record<OrgDemoMember, string>;
  /** Every member bucket with its account id. */
  buckets: { bucket: string; account: string; region: string; tagged: boolean }[];
}

/** `config` acting in `account` through the role Organizations made there (moto issues it for any role). */
export async function memberConfig(config: DemoClientConfig, account: string): Promise<DemoClientConfig> {
  const sts = new STSClient(config);
  try {
    const { Credentials: issued } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${account}:role/${ORG_DEMO.setupRole}`,
        RoleSessionName: 's3ir-demo-seed',
      }),
    );
    return {
      ...config,
      credentials: {
        accessKeyId: issued!.AccessKeyId!,
        secretAccessKey: issued!.SecretAccessKey!,
        sessionToken: issued!.SessionToken!,
      },
    };
  } finally {
    sts.destroy();
  }
}

/**
 * The member roles in `account`, trusting the home account (infra/member-account.yml deploys them with
 * their permissions; the local AWS enforces no IAM, so the demo creates the roles and their trust only).
 * The home account as principal lets every home role in, so the reconcile, discover and schedule roles
 * (the sweep's grant step, #18 point 4) all assume `s3ir-reconcile` here, as the deployed member stack lets
 * the ARNs listed in its `ReconcilePrincipalArns`.
 */
export async function memberRoles(config: DemoClientConfig, home: string): Promise<void> {
  const iam = new IAMClient(config);
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${home}:root` }, Action: 'sts:AssumeRole' },
    ],
  });
  try {
    for (const RoleName of ORG_DEMO.memberRoles) {
      await iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: trust }));
    }
  } finally {
    iam.destroy();
  }
}

/** One member bucket in its region, tagged for the templates when `tagged`. */
async function memberBucket(
  config: DemoClientConfig,
  spec: { bucket: string; region: string; tagged: boolean },
): Promise<void> {
  const s3 = new S3Client({ ...config, region: spec.region, forcePathStyle: true });
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: spec.bucket,
        ...(spec.region !== 'us-east-1' && {
          CreateBucketConfiguration: { LocationConstraint: spec.region as BucketLocationConstraint },
        }),
      }),
    );
    if (spec.tagged) {
      await s3.send(
        new PutBucketTaggingCommand({ Bucket: spec.bucket, Tagging: { TagSet: [{ ...ORG_DEMO.tag }] } }),
      );
    }
  } finally {
    s3.destroy();
  }
}

/**
 * Seeds the organization part of the demo (#18 point 7): moto's organization (the home account manages it),
 * the OUs `demo-security` and `demo-apps`, three member accounts in them with the member roles, their buckets
 * in us-east-1 and eu-west-1 (one left untagged), and the home account's destination in each region.
 */
export async function seedOrganization(config: DemoClientConfig, home: string): Promise<SeededOrganization> {
  const orgs = new OrganizationsClient(config);
  try {
    const organization = await localOrganization(orgs);
    const units = {
      security: await createUnit(orgs, organization.rootId, ORG_DEMO.units.security),
      apps: await createUnit(orgs, organization.rootId, ORG_DEMO.units.apps),
    };
    const members = {} as Record<OrgDemoMember, string>;
    for (const [name, unit] of Object.entries(ORG_DEMO.members) as [OrgDemoMember, 'security' | 'apps'][]) {
      members[name] = await createMemberAccount(orgs, organization, name, units[unit]);
    }
    const configs = new Map<string, DemoClientConfig>();
    for (const account of Object.values(members)) {
      const member = await memberConfig(config, account);
      configs.set(account, member);
      await memberRoles(member, home);
    }
    const buckets = ORG_DEMO.buckets.map((spec) => ({
      bucket: spec.bucket,
      account: members[spec.member],
      region: spec.region,
      tagged: spec.tagged,
    }));
    await Promise.all(buckets.map((spec) => memberBucket(configs.get(spec.account)!, spec)));
    for (const [region, Bucket] of Object.entries(ORG_DEMO.destinations)) {
      await memberBucket(config, { bucket: Bucket, region, tagged: false });
    }
    return { organizationId: organization.organizationId, units, members, buckets };
  } finally {
    orgs.destroy();
  }
}

/**
 * The discovery queue: the local AWS's (`S3IR_DISCOVERY_QUEUE_URL` in its env, once serverless.yml declares
 * one), else `s3ir-discovery`, created now.
 */
export async function discoveryQueueUrl(
  config: DemoClientConfig,
  env: Record<string, string>,
): Promise<string> {
  if (env.S3IR_DISCOVERY_QUEUE_URL) return env.S3IR_DISCOVERY_QUEUE_URL;
  const sqs = new SQSClient(config);
  try {
    const created = await sqs.send(new CreateQueueCommand({ QueueName: ORG_DEMO.discoveryQueueName }));
    return created.QueueUrl!;
  } finally {
    sqs.destroy();
  }
}

/** The inventory Ids a member bucket has now, read as its owner. */
export async function memberInventoryIds(
  config: DemoClientConfig,
  spec: { bucket: string; account: string; region: string },
): Promise<string[]> {
  const member = await memberConfig(config, spec.account);
  const s3 = new S3Client({ ...member, region: spec.region, forcePathStyle: true });
  try {
    const listed = await s3.send(
      new ListBucketInventoryConfigurationsCommand({
        Bucket: spec.bucket,
        ExpectedBucketOwner: spec.account,
      }),
    );
    return (listed.InventoryConfigurationList ?? []).map((configuration) => configuration.Id!).sort();
  } finally {
    s3.destroy();
  }
}
