import { describe, expect, it } from 'vitest';
import { accountGrant } from '../../../../lib/core/grants/accountGrant.js';
import type { ReachedPolicy, ReachingDelivery } from '../../../../lib/core/grants/types.js';
import { guardPolicyWrite } from '../../../../lib/core/policy/guardPolicyWrite.js';
import type { PolicyDocument } from '../../../../lib/core/policy/types.js';
import {
  accountDestinationGrant,
  accountKeyGrant,
  broadDeliveryStatement,
  DESTINATION_BUCKET,
  denyServiceStatement,
  foreignStatement,
  KEY_ARN,
  makePolicy,
  ourDestinationGrant,
  rootStatement,
} from '../../../helpers/reconcileFactories.js';

const A = '111122223333';
const B = '222233334444';
const C = '333344445555';

function delivery(account: string, bucket?: string): ReachingDelivery {
  return { account, configurationId: 'daily', enforce: true, ...(bucket !== undefined && { bucket }) };
}

function destination(deliveries: ReachingDelivery[]): ReachedPolicy {
  return {
    target: 'destination-policy',
    name: DESTINATION_BUCKET,
    partition: 'aws',
    deliveries,
    owner: A,
    destinations: [DESTINATION_BUCKET],
    sourceRegions: [],
  };
}

const copy = (document: PolicyDocument) => JSON.parse(JSON.stringify(document)) as PolicyDocument;

describe('accountGrant()', () => {
  it('writes one account-keyed statement naming every reached account, after the foreign ones', () => {
    const before = makePolicy([foreignStatement()]);
    const grant = accountGrant(
      destination([delivery(B, 'b1'), delivery(A, 'a1'), delivery(C)]),
      copy(before),
      true,
    );
    expect(grant).toEqual({
      kind: 'change',
      after: makePolicy([foreignStatement(), accountDestinationGrant([A, B, C])]),
      accounts: [A, B, C],
      added: [A, B, C],
      removed: [],
    });
  });

  it('is idempotent: the policy it wrote is unchanged on the next sweep', () => {
    const reached = destination([delivery(A, 'a1'), delivery(B)]);
    const first = accountGrant(reached, undefined, true);
    expect(first.kind).toBe('change');
    const after = (first as { after: PolicyDocument }).after;
    expect(accountGrant(reached, after, true)).toEqual({ kind: 'unchanged', accounts: [A, B] });
  });

  it('prunes an account no declaration reaches and keeps foreign statements byte-identical', () => {
    const foreign = foreignStatement();
    const before = makePolicy([foreign, accountDestinationGrant([A, B, C])]);
    const text = JSON.stringify(foreign);
    const grant = accountGrant(destination([delivery(A, 'a1'), delivery(C)]), copy(before), true);
    expect(grant).toMatchObject({ kind: 'change', accounts: [A, C], added: [], removed: [B] });
    const after = (grant as { after: PolicyDocument }).after;
    expect(JSON.stringify((after.Statement as unknown[])[0])).toBe(text);
    expect(after).toEqual(makePolicy([foreign, accountDestinationGrant([A, C])]));
  });

  it('never removes an account from a partial catalog (prune off): it only adds', () => {
    const before = makePolicy([accountDestinationGrant([A, B])]);
    const grant = accountGrant(destination([delivery(C)]), copy(before), false);
    expect(grant).toMatchObject({ kind: 'change', accounts: [A, B, C], added: [C], removed: [] });
  });

  it('never removes an account still reached, even one a foreign statement also grants', () => {
    const before = makePolicy([
      broadDeliveryStatement(DESTINATION_BUCKET, B),
      accountDestinationGrant([A, B]),
    ]);
    expect(accountGrant(destination([delivery(A, 'a1'), delivery(B, 'b1')]), copy(before), true)).toEqual({
      kind: 'unchanged',
      accounts: [A, B],
    });
  });

  it('adds nothing for an account a foreign statement already lets deliver', () => {
    const before = makePolicy([broadDeliveryStatement(DESTINATION_BUCKET, B)]);
    expect(accountGrant(destination([delivery(B, 'b1')]), copy(before), true)).toEqual({
      kind: 'unchanged',
      accounts: [],
    });
  });

  it('removes our statement once it names no account, and deletes a policy that held only it', () => {
    const reached = destination([delivery(C, 'c1')]);
    const withForeign = makePolicy([foreignStatement(), accountDestinationGrant([A])]);
    // C is granted by nobody and denied by nobody: ours keeps C only.
    expect(accountGrant(reached, copy(withForeign), true)).toMatchObject({ accounts: [C], removed: [A] });
    const denied = destination([delivery(C, 'c1')]);
    const onlyOurs = makePolicy([denyServiceStatement(), accountDestinationGrant([A])]);
    // An explicit Deny is not ours to beat: C is not added, A is pruned, the Deny stays.
    expect(accountGrant(denied, copy(onlyOurs), true)).toEqual({
      kind: 'change',
      after: makePolicy([denyServiceStatement()]),
      accounts: [],
      added: [],
      removed: [A],
    });
    expect(accountGrant(destination([]), makePolicy([accountDestinationGrant([A])]), true)).toMatchObject({
      kind: 'change',
      after: undefined,
      removed: [A],
    });
  });

  it("migrates an earlier version's ARN-list statement when a delivery it does not cover is reached", () => {
    const before = makePolicy([ourDestinationGrant(['a1'], DESTINATION_BUCKET, A)]);
    const grant = accountGrant(destination([delivery(A, 'a1'), delivery(A, 'a2')]), copy(before), true);
    expect(grant).toMatchObject({
      kind: 'change',
      after: makePolicy([accountDestinationGrant([A])]),
      added: [],
      removed: [],
    });
    const covered = accountGrant(destination([delivery(A, 'a1')]), copy(before), true);
    expect(covered).toEqual({ kind: 'unchanged', accounts: [A] });
  });

  it('leaves our statement alone when someone edited it out of our shape', () => {
    const edited = { ...accountDestinationGrant([A]), Principal: '*' as const };
    const grant = accountGrant(destination([delivery(B)]), makePolicy([edited]), true);
    expect(grant.kind).toBe('refused');
  });

  it('sets the key policy statement and never empties a key policy', () => {
    const key: ReachedPolicy = {
      target: 'key-policy',
      name: KEY_ARN,
      partition: 'aws',
      deliveries: [delivery(B, 'b1'), delivery(A, 'a1')],
      destinations: [DESTINATION_BUCKET],
      sourceRegions: [],
    };
    const grant = accountGrant(key, makePolicy([rootStatement()]), true);
    expect(grant).toMatchObject({
      kind: 'change',
      after: makePolicy([rootStatement(), accountKeyGrant([A, B])]),
    });
    expect(accountGrant({ ...key, deliveries: [] }, makePolicy([accountKeyGrant([A])]), true)).toMatchObject({
      kind: 'refused',
    });
  });

  it('passes the write guard with the accounts it adds, and the guard refuses any other account', () => {
    const before = makePolicy([foreignStatement(), accountDestinationGrant([A])]);
    const grant = accountGrant(
      destination([delivery(A, 'a1'), delivery(B), delivery(C)]),
      copy(before),
      true,
    );
    const { after, added } = grant as { after: PolicyDocument; added: string[] };
    const write = { target: 'destination-policy' as const, name: DESTINATION_BUCKET, before, after };
    expect(() =>
      guardPolicyWrite({ ...write, source: { bucket: DESTINATION_BUCKET, account: A, accounts: added } }),
    ).not.toThrow();
    expect(() =>
      guardPolicyWrite({ ...write, source: { bucket: DESTINATION_BUCKET, account: A, accounts: [B] } }),
    ).toThrow(/newly grant account 333344445555/);
  });
});
