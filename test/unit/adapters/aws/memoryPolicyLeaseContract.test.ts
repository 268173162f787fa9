import { createMemoryPolicyLease } from '../../../helpers/memoryPolicyLease.js';
import { describePolicyLeaseContract } from './contracts/policyLeaseContract.js';

// The same contract runs against DynamoPolicyLease on the local AWS (test/integration/aws/policyLease.test.ts).
let keys = 0;
describePolicyLeaseContract('memory lease (test/helpers/memoryPolicyLease.ts)', () => {
  const held = new Map<string, { holder: string; expiresAt: number }>();
  return {
    worker: (now, ttlMs) => createMemoryPolicyLease({ now, ttlMs, held }),
    newKey: () => `destination-policy:bucket-${++keys}`,
  };
});
