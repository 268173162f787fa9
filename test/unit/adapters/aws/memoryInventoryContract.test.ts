import { beforeEach } from 'vitest';
import { createMemoryEstate, type MemoryEstate } from '../../../helpers/memoryEstate.js';
import { describeInventoryPortContract } from './contracts/inventoryPortContract.js';

// The same contract runs against S3InventoryAdapter on the local AWS (test/integration/aws).
let estate: MemoryEstate;
let buckets = 0;
beforeEach(() => {
  estate = createMemoryEstate();
});

describeInventoryPortContract('memory estate (test/helpers/memoryEstate.ts)', () => ({
  port: estate.inventory,
  newBucket: async () => {
    const name = `bucket-${++buckets}`;
    estate.addBucket(name);
    return name;
  },
  missingBucket: () => 'no-such-bucket',
}));
