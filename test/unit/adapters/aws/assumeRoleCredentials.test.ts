import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  assumeRoleCredentials,
  roleSessionName,
} from '../../../../lib/adapters/aws/assumeRoleCredentials.js';
import { AccessDeniedError } from '../../../../lib/adapters/aws/errors.js';
import { stsError } from './sdkErrors.js';

const sts = mockClient(STSClient);
const client = new STSClient({ region: 'us-east-1' });
const roleArn = 'arn:aws:iam::222233334444:role/s3ir-reconcile';
let issued = 0;

function issue(expiresAt: number) {
  issued += 1;
  return {
    Credentials: {
      AccessKeyId: `ASIA${issued}`,
      SecretAccessKey: 'secret',
      SessionToken: 'token',
      Expiration: new Date(expiresAt),
    },
  };
}

beforeEach(() => {
  sts.reset();
  issued = 0;
});

describe('assumeRoleCredentials()', () => {
  it('assumes the role once and reuses the credentials until they near expiry, then renews them', async () => {
    let now = 1_000_000;
    sts.on(AssumeRoleCommand).callsFake(() => issue(now + 3_600_000));
    const provider = assumeRoleCredentials({
      sts: client,
      roleArn,
      sessionName: 's3ir-run-1',
      now: () => now,
    });

    const first = await provider();
    expect(first).toMatchObject({ accessKeyId: 'ASIA1', secretAccessKey: 'secret', sessionToken: 'token' });
    now += 3_600_000 - 5 * 60_000 - 1; // just outside the 5-minute margin
    expect((await provider()).accessKeyId).toBe('ASIA1');
    now += 2; // inside the margin
    expect((await provider()).accessKeyId).toBe('ASIA2');
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input)).toEqual([
      { RoleArn: roleArn, RoleSessionName: 's3ir-run-1', DurationSeconds: 3600 },
      { RoleArn: roleArn, RoleSessionName: 's3ir-run-1', DurationSeconds: 3600 },
    ]);
  });

  it('shares one AssumeRole call between concurrent callers', async () => {
    sts.on(AssumeRoleCommand).callsFake(async () => issue(Date.now() + 3_600_000));
    const provider = assumeRoleCredentials({ sts: client, roleArn, sessionName: 's' });
    const all = await Promise.all(Array.from({ length: 10 }, () => provider()));
    expect(new Set(all.map((c) => c.accessKeyId))).toEqual(new Set(['ASIA1']));
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it('maps a refusal to AccessDeniedError and tries again on the next call', async () => {
    sts
      .on(AssumeRoleCommand)
      .rejectsOnce(stsError('AccessDenied'))
      .resolves(issue(Date.now() + 3_600_000));
    const provider = assumeRoleCredentials({ sts: client, roleArn, sessionName: 's', durationSeconds: 900 });
    const error = await provider().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect((error as Error).message).toContain(roleArn);
    await expect(provider()).resolves.toMatchObject({ accessKeyId: 'ASIA1' });
    expect(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input.DurationSeconds).toBe(900);
  });

  it('refuses an answer without credentials', async () => {
    sts.on(AssumeRoleCommand).resolves({});
    await expect(assumeRoleCredentials({ sts: client, roleArn, sessionName: 's' })()).rejects.toMatchObject({
      code: 'InvalidAssumeRoleResponse',
    });
  });
});

describe('roleSessionName()', () => {
  it('names the session after the run, within what STS accepts', () => {
    expect(roleSessionName('run-42')).toBe('s3ir-run-42');
    expect(roleSessionName(undefined)).toBe('s3ir-session');
    expect(roleSessionName('2024-01-01T00:00:00Z/x y')).toBe('s3ir-2024-01-01T00-00-00Z-x-y');
    expect(roleSessionName('r'.repeat(100))).toHaveLength(64);
  });
});
