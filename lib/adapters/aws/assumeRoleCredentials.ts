import type { STSClient } from '@aws-sdk/client-sts';
import { AWS_DEFAULTS, ROLE_SESSION_NAME_LIMIT } from './constants.js';
import { AwsAdapterError } from './errors.js';
import { loadSdk } from './loadSdk.js';
import { callAws } from './toAdapterError.js';
import type { AwsCredentials, CredentialProvider } from './types.js';

export interface AssumeRoleCredentialsOptions {
  /** An STS client holding the home account's credentials. */
  sts: Pick<STSClient, 'send'>;
  roleArn: string;
  /** RoleSessionName, as CloudTrail shows it; see {@link roleSessionName}. */
  sessionName: string;
  durationSeconds?: number;
  /** Renew this long before expiry (default 5 minutes). */
  refreshMarginMs?: number;
  now?: () => number;
}

/**
 * A credential provider over STS AssumeRole: assumes once, hands out the same credentials until they
 * are within `refreshMarginMs` of expiring, then assumes again. Concurrent callers share one call.
 * (`fromTemporaryCredentials` lives in `@aws-sdk/credential-providers`, which is not installed.)
 * @throws AccessDeniedError when STS refuses the role.
 */
export function assumeRoleCredentials(options: AssumeRoleCredentialsOptions): CredentialProvider {
  const margin = options.refreshMarginMs ?? AWS_DEFAULTS.refreshMarginMs;
  const now = options.now ?? Date.now;
  let current: AwsCredentials | undefined;
  let pending: Promise<AwsCredentials> | undefined;

  const fresh = (credentials: AwsCredentials | undefined): credentials is AwsCredentials =>
    credentials !== undefined &&
    (credentials.expiration === undefined || credentials.expiration.getTime() - margin > now());

  async function assume(): Promise<AwsCredentials> {
    const { AssumeRoleCommand } = await loadSdk('sts');
    const output = await callAws(`AssumeRole ${options.roleArn}`, () =>
      options.sts.send(
        new AssumeRoleCommand({
          RoleArn: options.roleArn,
          RoleSessionName: options.sessionName,
          DurationSeconds: options.durationSeconds ?? AWS_DEFAULTS.sessionDurationSeconds,
        }),
      ),
    );
    const issued = output.Credentials;
    if (!issued?.AccessKeyId || !issued.SecretAccessKey) {
      throw new AwsAdapterError({
        code: 'InvalidAssumeRoleResponse',
        message: `AssumeRole ${options.roleArn} returned no credentials`,
      });
    }
    return {
      accessKeyId: issued.AccessKeyId,
      secretAccessKey: issued.SecretAccessKey,
      sessionToken: issued.SessionToken,
      expiration: issued.Expiration,
    };
  }

  return async function assumedRoleCredentials(): Promise<AwsCredentials> {
    if (fresh(current)) return current;
    pending ??= assume()
      .then((credentials) => {
        current = credentials;
        return credentials;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}

/** `s3ir-{runId}` (or `s3ir-session`), cut to what RoleSessionName accepts, so CloudTrail names the run. */
export function roleSessionName(runId: string | undefined): string {
  const name = `s3ir-${runId ?? 'session'}`.replace(/[^\w+=,.@-]/g, '-');
  return name.slice(0, ROLE_SESSION_NAME_LIMIT);
}
