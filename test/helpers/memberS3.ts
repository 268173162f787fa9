import { S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

/** Where a test reaches the local AWS, as the home account. */
export interface LocalAwsAccess {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/**
 * An S3 client acting as `account` on the local AWS: moto keeps accounts apart by the assumed role's account,
 * so a member account is reached through its `e2e-setup` role; `home` (when given) is the caller itself.
 */
export async function memberS3(access: LocalAwsAccess, account: string, home?: string): Promise<S3Client> {
  if (account === home) return new S3Client({ ...access, forcePathStyle: true });
  const sts = new STSClient(access);
  const { Credentials: issued } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${account}:role/e2e-setup`,
      RoleSessionName: 'e2e-setup',
    }),
  );
  sts.destroy();
  return new S3Client({
    ...access,
    forcePathStyle: true,
    credentials: {
      accessKeyId: issued!.AccessKeyId!,
      secretAccessKey: issued!.SecretAccessKey!,
      sessionToken: issued!.SessionToken!,
    },
  });
}
