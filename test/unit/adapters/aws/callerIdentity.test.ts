import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientFactory } from '../../../../lib/adapters/aws/ClientFactory.js';
import { callerArn } from '../../../../lib/adapters/aws/callerIdentity.js';
import { stsError } from './sdkErrors.js';

const sts = mockClient(STSClient);
const ARN = 'arn:aws:sts::111122223333:assumed-role/ops/alice';
let factory: ClientFactory;

beforeEach(() => {
  sts.reset();
  factory = new ClientFactory({ env: {} });
});
afterEach(() => factory.destroy());

describe('callerArn()', () => {
  it('names the principal of the process credentials', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333', Arn: ARN });
    await expect(callerArn(factory)).resolves.toBe(ARN);
  });

  it('answers undefined when STS refuses or names no principal: who acted is not worth failing for', async () => {
    sts.on(GetCallerIdentityCommand).rejectsOnce(stsError('ExpiredToken', 400)).resolves({ Arn: '' });
    await expect(callerArn(factory)).resolves.toBeUndefined();
    await expect(callerArn(factory)).resolves.toBeUndefined();
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(2);
  });
});
