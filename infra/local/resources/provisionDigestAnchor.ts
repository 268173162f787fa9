import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, PutObjectLockConfigurationCommand, S3Client } from '@aws-sdk/client-s3';

/** Where the local AWS keeps audit digests (`S3IR_DIGEST_BUCKET`) and the alias of their signing key. */
export const LOCAL_DIGEST = {
  bucket: 's3ir-audit-digests',
  keyAlias: 'alias/s3ir-audit-digest',
  /** The bucket's default retention, as the deployed bucket has it (serverless param auditDigestRetentionDays). */
  retentionDays: 400,
} as const;

export interface DigestAnchorTarget {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Creates what audit anchoring needs, as serverless.yml deploys it (infra/resources/audit-digest-bucket.yml,
 * infra/resources/kms/audit-digest-key.yml): the digest bucket with Object Lock on and a default retention
 * in compliance mode, and an asymmetric ECC_NIST_P256 SIGN_VERIFY key with an alias. Returns the env lines
 * that point the service at them.
 */
export async function provisionDigestAnchor(
  target: DigestAnchorTarget,
): Promise<{ S3IR_DIGEST_BUCKET: string; S3IR_DIGEST_KEY_ID: string }> {
  const config = { endpoint: target.endpoint, region: target.region, credentials: target.credentials };
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const kms = new KMSClient(config);
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: LOCAL_DIGEST.bucket,
        ObjectLockEnabledForBucket: true,
        ...(target.region !== 'us-east-1' && {
          CreateBucketConfiguration: { LocationConstraint: target.region as never },
        }),
      }),
    );
    await s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: LOCAL_DIGEST.bucket,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: LOCAL_DIGEST.retentionDays } },
        },
      }),
    );
    const { KeyMetadata } = await kms.send(
      new CreateKeyCommand({
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        Description: 'signs s3ir audit digests',
      }),
    );
    await kms.send(
      new CreateAliasCommand({ AliasName: LOCAL_DIGEST.keyAlias, TargetKeyId: KeyMetadata!.KeyId! }),
    );
    return { S3IR_DIGEST_BUCKET: LOCAL_DIGEST.bucket, S3IR_DIGEST_KEY_ID: KeyMetadata!.Arn! };
  } finally {
    s3.destroy();
    kms.destroy();
  }
}
