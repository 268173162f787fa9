import { GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import { ListParentsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import {
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  ListBucketInventoryConfigurationsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG_ESTATE, planOrgEstate } from '../../../../bench/org/planOrgEstate.js';
import { type SeededOrgEstate, seedOrgEstate } from '../../../../bench/org/seedOrgEstate.js';
import { memberConfig } from '../../../../infra/local/demo/seedOrganization.js';
import { desiredTestTable } from '../../aws/desiredTestTable.js';
import { LOCAL_HOME_ACCOUNT, localEndpoint, uniqueBucket } from '../../aws/localFactory.js';

// bench/org's seeding on the local AWS: the organization estate a platform team finds before adoption.
const plan = planOrgEstate(2, 6);
let config: {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
};
let desired: Awaited<ReturnType<typeof desiredTestTable>>;
let estate: SeededOrgEstate;
let sqs: SQSClient;
let queueUrl: string;

/** An S3 client acting as `account`. */
async function s3Of(account: string): Promise<S3Client> {
  return new S3Client({ ...(await memberConfig(config, account)), forcePathStyle: true });
}

beforeAll(async () => {
  config = {
    endpoint: localEndpoint(),
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  desired = await desiredTestTable(config.endpoint);
  sqs = new SQSClient(config);
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueBucket('bench-discovery') })))
    .QueueUrl!;
  estate = await seedOrgEstate(plan, config, {
    S3IR_DESIRED_TABLE: desired.tableName,
    S3IR_DISCOVERY_QUEUE_URL: queueUrl,
  });
});

afterAll(() => {
  desired.destroy();
  sqs.destroy();
});

describe('seedOrgEstate()', () => {
  it('moves each member account into its leaf OU, the leaves nested as planned', async () => {
    const orgs = new OrganizationsClient(config);
    try {
      expect(estate.home).toBe(LOCAL_HOME_ACCOUNT);
      expect(estate.accounts).toHaveLength(2);
      const parentOf = async (childId: string) =>
        (await orgs.send(new ListParentsCommand({ ChildId: childId }))).Parents?.[0]?.Id;
      expect(await parentOf(estate.accounts[0]!)).toBe(estate.units.prod);
      expect(await parentOf(estate.accounts[1]!)).toBe(estate.units.dev);
      expect(await parentOf(estate.units.prod)).toBe(estate.units.workloads);
      expect(estate.organizationId).toMatch(/^o-/);
    } finally {
      orgs.destroy();
    }
  });

  it("creates each account's buckets as that account: tagged with the drift planned, and one untagged", async () => {
    for (const [index, member] of plan.accounts.entries()) {
      const account = estate.accounts[index]!;
      const s3 = await s3Of(account);
      try {
        for (const { bucket, drift } of member.buckets) {
          const tags = await s3.send(
            new GetBucketTaggingCommand({ Bucket: bucket, ExpectedBucketOwner: account }),
          );
          expect(tags.TagSet).toEqual([ORG_ESTATE.tag]);
          const listed = await s3.send(
            new ListBucketInventoryConfigurationsCommand({ Bucket: bucket, ExpectedBucketOwner: account }),
          );
          const schedules = (listed.InventoryConfigurationList ?? []).map((c) => c.Schedule?.Frequency);
          expect(schedules).toEqual(drift === 'missing' ? [] : drift === 'changed' ? ['Weekly'] : ['Daily']);
        }
        const untagged = await s3.send(
          new ListBucketInventoryConfigurationsCommand({
            Bucket: member.untagged,
            ExpectedBucketOwner: account,
          }),
        );
        expect(untagged.InventoryConfigurationList ?? []).toEqual([]);
      } finally {
        s3.destroy();
      }
    }
  });

  it('leaves the one destination without a policy and the one key with only its root statement', async () => {
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    const kms = new KMSClient(config);
    try {
      await expect(
        s3.send(new GetBucketPolicyCommand({ Bucket: ORG_ESTATE.destination })),
      ).rejects.toMatchObject({
        name: 'NoSuchBucketPolicy',
      });
      const policy = await kms.send(new GetKeyPolicyCommand({ KeyId: estate.keyArn, PolicyName: 'default' }));
      expect(JSON.parse(policy.Policy!).Statement.map((statement: { Sid: string }) => statement.Sid)).toEqual(
        ['EnableIamUserPermissions'],
      );
    } finally {
      s3.destroy();
      kms.destroy();
    }
  });

  it('declares one template selecting by the two top OUs, the tag and the region', async () => {
    const { Items = [] } = await desired.documents.send(new ScanCommand({ TableName: desired.tableName }));
    expect(Items).toHaveLength(1);
    expect(JSON.stringify(Items[0])).toContain(estate.units.workloads);
    expect(JSON.stringify(Items[0])).toContain(estate.units.sandbox);
    expect(JSON.stringify(Items[0])).toContain(estate.keyArn);
  });

  it("hands on the env's discovery queue with the deployed visibility timeout (720 s)", async () => {
    expect(estate.discoveryQueueUrl).toBe(queueUrl);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout'] }),
    );
    expect(Attributes?.VisibilityTimeout).toBe('720');
  });
});
