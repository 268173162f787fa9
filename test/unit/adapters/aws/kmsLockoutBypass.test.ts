import { KMSClient, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KmsKeyPolicyAdapter } from '../../../../lib/adapters/aws/KmsKeyPolicyAdapter.js';
import { ensureDelivery } from '../../../../lib/core/policy/ensureDelivery.js';
import { deliverySourceArb, mixedPolicyArb } from '../../../helpers/policyArbitraries.js';

const kms = mockClient(KMSClient);
const client = new KMSClient({ region: 'us-east-1' });

describe('KmsKeyPolicyAdapter.put() and the key policy lockout check', () => {
  it('sends KeyId, PolicyName and Policy only: never BypassPolicyLockoutSafetyCheck, whatever the policy', async () => {
    await fc.assert(
      fc.asyncProperty(mixedPolicyArb, deliverySourceArb, async (found, source) => {
        kms.reset();
        kms.on(PutKeyPolicyCommand).resolves({});
        let document = found;
        try {
          document = ensureDelivery(found, source, 'key-policy').document ?? found;
        } catch {
          // a Deny in the way: put the policy as found
        }
        await new KmsKeyPolicyAdapter({ client }).put(source.keyArn!, document);
        const input = kms.commandCalls(PutKeyPolicyCommand)[0]!.args[0].input;
        expect(Object.keys(input).sort()).toEqual(['KeyId', 'Policy', 'PolicyName']);
        expect(JSON.parse(input.Policy!)).toEqual(document);
      }),
      { numRuns: 50 },
    );
  });
});
