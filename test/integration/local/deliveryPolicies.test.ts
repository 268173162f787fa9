import { DescribeKeyCommand, GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { deliver } from './controlEndpoints.js';
import {
  createKey,
  destination,
  destinationGrant,
  inventory,
  keyPolicyGranting,
  putInventory,
  sourceWith,
} from './deliveryScenario.js';
import { kmsClient, s3Client } from './localAwsClients.js';

/** The statements security teams put on every bucket, for a destination named `bucket`. */
const everyBucket = {
  denyInsecureTransport: (bucket: string) => ({
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  }),
  /** The data perimeter's identity statement, exempting service principals as AWS recommends. */
  denyOutsideOrganization: (bucket: string) => ({
    Sid: 'DenyOutsideOrganization',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
    Condition: {
      StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
      BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
    },
  }),
  /** The network perimeter: only through the VPC endpoint, service principals exempted. */
  denyOutsideVpce: (bucket: string) => ({
    Sid: 'DenyOutsideVpce',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [`arn:aws:s3:::${bucket}/*`],
    Condition: {
      StringNotEqualsIfExists: { 'aws:SourceVpce': 'vpce-1a2b3c4d' },
      BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
    },
  }),
  /** Only the admin role may delete: the delivery is not a delete. */
  denyDeletesButAdmin: (bucket: string) => ({
    Sid: 'DenyDeletesButAdmin',
    Effect: 'Deny',
    Principal: '*',
    Action: ['s3:DeleteObject', 's3:DeleteBucket'],
    Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
    Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/admin' } },
  }),
};

describe('report delivery (POST /_local/deliver) under the policies security teams write', () => {
  it('delivers to a destination carrying DenyInsecureTransport and the data perimeter statements next to the grant', async () => {
    const source = await sourceWith({ 'a.txt': 'a', 'b.txt': 'bb' }, 'src-perimeter');
    const bucket = await destination((dest) => [
      everyBucket.denyInsecureTransport(dest),
      everyBucket.denyOutsideOrganization(dest),
      everyBucket.denyOutsideVpce(dest),
      everyBucket.denyDeletesButAdmin(dest),
      destinationGrant(dest, source),
    ]);
    await putInventory(source, inventory('cfg', bucket));

    const result = await deliver([source], '2024-09-01T00:00:00Z');

    const manifestKey = `${source}/cfg/2024-09-01T00-00Z/manifest.json`;
    expect(result).toEqual({ delivered: [{ bucket: source, id: 'cfg', key: manifestKey }], refused: [] });
    // The report is there, and readable by the destination's owner through the gateway.
    const manifest = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: manifestKey }));
    expect(JSON.parse((await manifest.Body?.transformToString()) ?? '{}')).toMatchObject({
      sourceBucket: source,
      destinationBucket: `arn:aws:s3:::${bucket}`,
    });
  });

  it('encrypts with a key whose policy denies principals outside the organization, services exempted', async () => {
    const source = await sourceWith({ 'a.txt': 'a' }, 'src-kms-perimeter');
    const keyPolicy = JSON.parse(keyPolicyGranting(source)) as { Statement: object[] };
    keyPolicy.Statement.unshift({
      Sid: 'DenyOutsideOrganization',
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:*',
      Resource: '*',
      Condition: {
        StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
      },
    });
    const keyArn = await createKey(JSON.stringify(keyPolicy));
    // Through the gateway, the key answers as in AWS: moto would refuse DescribeKey under that Deny.
    const kms = kmsClient();
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: keyArn }));
    expect(KeyMetadata?.KeyState).toBe('Enabled');
    const { Policy } = await kms.send(new GetKeyPolicyCommand({ KeyId: keyArn }));
    expect(JSON.parse(Policy ?? '')).toEqual(keyPolicy);
    const bucket = await destination((dest) => [
      everyBucket.denyInsecureTransport(dest),
      destinationGrant(dest, source),
    ]);
    await putInventory(
      source,
      inventory('cfg', bucket, { bucketDestination: { Encryption: { SSEKMS: { KeyId: keyArn } } } }),
    );

    const result = await deliver([source], '2024-09-02T00:00:00Z');

    const manifestKey = `${source}/cfg/2024-09-02T00-00Z/manifest.json`;
    expect(result).toEqual({ delivered: [{ bucket: source, id: 'cfg', key: manifestKey }], refused: [] });
    const manifest = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: manifestKey }));
    expect(manifest.ServerSideEncryption).toBe('aws:kms');
  });

  it.each([
    [
      'a Deny outside the organization without the service principal exemption (aws:PrincipalOrgID is absent for S3)',
      (dest: string) => ({
        Sid: 'DenyOutsideOrganization',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${dest}/*`,
        Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
      }),
    ],
    [
      'a Deny of every principal but one role (S3 is not that role)',
      (dest: string) => ({
        Sid: 'OnlyTheWriterRole',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${dest}/*`,
        Condition: { ArnNotLikeIfExists: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/writer' } },
      }),
    ],
    [
      'a Deny of requests not made through the VPC endpoint, without the exemption',
      (dest: string) => ({
        Sid: 'DenyOutsideVpce',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: `arn:aws:s3:::${dest}/*`,
        Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
      }),
    ],
  ])('refuses, naming the statement, when the destination policy has %s', async (_, deny) => {
    const source = await sourceWith({ 'a.txt': 'a' }, 'src-denied');
    const bucket = await destination((dest) => [
      everyBucket.denyInsecureTransport(dest),
      deny(dest),
      destinationGrant(dest, source),
    ]);
    await putInventory(source, inventory('cfg', bucket));

    const reason = `destination policy explicitly denies delivery from ${source} (statement "${deny(bucket).Sid}")`;
    expect(await deliver([source])).toEqual({
      delivered: [],
      refused: [{ bucket: source, id: 'cfg', reason }],
    });
  });
});
