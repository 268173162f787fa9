import { GetKeyPolicyCommand, KMSClient, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { KmsKeyPolicyAdapter } from '../../../../lib/adapters/aws/KmsKeyPolicyAdapter.js';
import { defaultKeyPolicy } from '../../../helpers/memoryEstate.js';
import { kmsError } from './sdkErrors.js';

const kms = mockClient(KMSClient);
const client = new KMSClient({ region: 'us-east-1' });
const keyArn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const policy = defaultKeyPolicy('111122223333');

beforeEach(() => kms.reset());

describe('KmsKeyPolicyAdapter', () => {
  it('gets the default policy by full key ARN and parses it', async () => {
    kms.on(GetKeyPolicyCommand).resolves({ Policy: JSON.stringify(policy), PolicyName: 'default' });
    await expect(new KmsKeyPolicyAdapter({ client }).get(keyArn)).resolves.toEqual(policy);
    expect(kms.commandCalls(GetKeyPolicyCommand)[0]!.args[0].input).toEqual({
      KeyId: keyArn,
      PolicyName: 'default',
    });
  });

  it('puts with PolicyName default and never sets BypassPolicyLockoutSafetyCheck', async () => {
    kms.on(PutKeyPolicyCommand).resolves({});
    await new KmsKeyPolicyAdapter({ client }).put(keyArn, policy);
    const input = kms.commandCalls(PutKeyPolicyCommand)[0]!.args[0].input;
    expect(input).toEqual({ KeyId: keyArn, PolicyName: 'default', Policy: JSON.stringify(policy) });
    expect(input).not.toHaveProperty('BypassPolicyLockoutSafetyCheck');
  });

  it('uses another policy name when told', async () => {
    kms.on(GetKeyPolicyCommand).resolves({ Policy: JSON.stringify(policy) });
    await new KmsKeyPolicyAdapter({ client, policyName: 'other' }).get(keyArn);
    expect(kms.commandCalls(GetKeyPolicyCommand)[0]!.args[0].input.PolicyName).toBe('other');
  });

  it('asks clientFor with the key ARN (GetKeyPolicy needs the key account credentials)', async () => {
    kms.on(GetKeyPolicyCommand).resolves({ Policy: JSON.stringify(policy) });
    const asked: string[] = [];
    await new KmsKeyPolicyAdapter({
      clientFor: (arn) => {
        asked.push(arn);
        return client;
      },
    }).get(keyArn);
    expect(asked).toEqual([keyArn]);
  });

  it('maps NotFoundException, lockout refusal and access denied', async () => {
    const adapter = new KmsKeyPolicyAdapter({ client });
    kms.on(GetKeyPolicyCommand).rejects(kmsError('NotFoundException'));
    await expect(adapter.get(keyArn)).rejects.toMatchObject({ name: 'NotFoundError', resource: 'key' });
    kms.on(PutKeyPolicyCommand).rejects(kmsError('MalformedPolicyDocumentException'));
    await expect(adapter.put(keyArn, policy)).rejects.toMatchObject({
      name: 'AwsAdapterError',
      code: 'MalformedPolicyDocumentException',
    });
    kms.on(PutKeyPolicyCommand).rejects(kmsError('AccessDeniedException'));
    await expect(adapter.put(keyArn, policy)).rejects.toMatchObject({ name: 'AccessDeniedError' });
  });

  it('refuses an empty policy answer', async () => {
    kms.on(GetKeyPolicyCommand).resolves({});
    await expect(new KmsKeyPolicyAdapter({ client }).get(keyArn)).rejects.toMatchObject({
      code: 'EmptyKeyPolicy',
    });
  });
});
