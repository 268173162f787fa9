import { describe, expect, it } from 'vitest';
import { destinationClients } from '../../../../lib/adapters/aws/destinationClients.js';
import type { ClientScope } from '../../../../lib/adapters/aws/types.js';
import { createMemoryEstate } from '../../../helpers/memoryEstate.js';

describe('destinationClients()', () => {
  it('reaches each destination in the account and region of its facts, else the source bucket ones', async () => {
    const facts = createMemoryEstate()
      .addBucket('src', { account: '111122223333', region: 'eu-west-1' })
      .addBucket('theirs', { account: '222233334444', region: 'eu-west-1' })
      .factsFor('src');
    delete facts.destinations.theirs!.region;
    const scopes: ClientScope[] = [];
    const factory = {
      s3: async (scope?: ClientScope) => {
        scopes.push(scope ?? {});
        return 'client' as never;
      },
    };
    const clientFor = destinationClients(factory, facts);
    await clientFor('src');
    await clientFor('theirs');
    await clientFor('unknown');
    expect(scopes).toEqual([
      { account: '111122223333', region: 'eu-west-1' },
      { account: '222233334444', region: 'eu-west-1' },
      { account: '111122223333', region: 'eu-west-1' },
    ]);
  });
});
