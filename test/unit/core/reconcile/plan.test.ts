import { describe, expect, it } from 'vitest';
import { ReconcileError } from '../../../../lib/core/reconcile/errors.js';
import { plan } from '../../../../lib/core/reconcile/plan.js';
import { deepFreeze } from '../../../helpers/deepFreeze.js';
import { makeConfiguration, makeKmsConfiguration } from '../../../helpers/factories.js';
import {
  accountDestinationGrant,
  asPut,
  DESTINATION_BUCKET,
  destinationWithPolicy,
  KEY_ARN,
  makeBucketFacts,
  makeDesiredBucket,
  makeDesiredItem,
  makeDestinationFacts,
  makeKeyFacts,
  makePolicy,
  ourDestinationGrant,
  ourKeyGrant,
  rootStatement,
  SOURCE_ACCOUNT,
  SOURCE_BUCKET,
  SOURCE_REGION,
  withDestination,
} from '../../../helpers/reconcileFactories.js';

/** A destination that already lets the source deliver, so plans show only configuration actions. */
const grantedFacts = () =>
  makeBucketFacts({ destinations: [destinationWithPolicy([accountDestinationGrant()])] });
/** Granted by an earlier version's statement, which lists the bucket: a revoke takes the bucket out of it. */
const listedGrantFacts = () =>
  makeBucketFacts({ destinations: [destinationWithPolicy([ourDestinationGrant()])] });
const keysOf = (result: ReturnType<typeof plan>) => result.actions.map((action) => action.key);

describe('plan()', () => {
  it('plans nothing for a bucket that matches its declaration', () => {
    const configuration = makeConfiguration();

    const result = plan(makeDesiredBucket([configuration]), [configuration], grantedFacts());

    expect(result).toEqual({
      bucket: SOURCE_BUCKET,
      account: SOURCE_ACCOUNT,
      region: SOURCE_REGION,
      drift: [],
      actions: [],
      findings: [],
    });
  });

  it('grants the destination, then creates a missing configuration', () => {
    const configuration = makeConfiguration();

    const result = plan(makeDesiredBucket([configuration]), [], makeBucketFacts());

    expect(result.drift).toEqual([{ kind: 'missing', id: 'daily-csv', desired: asPut(configuration) }]);
    expect(result.actions).toEqual([
      {
        kind: 'grant-destination',
        key: 'grant-destination:inventory-reports',
        mode: 'enforce',
        dependsOn: [],
        reason:
          'The policy of destination bucket inventory-reports must allow S3 Inventory delivery from source-bucket (daily-csv)',
        destinationBucket: DESTINATION_BUCKET,
        before: undefined,
        after: makePolicy([accountDestinationGrant()]),
      },
      {
        kind: 'create-configuration',
        key: 'create-configuration:daily-csv',
        id: 'daily-csv',
        mode: 'enforce',
        dependsOn: ['grant-destination:inventory-reports'],
        reason: 'Configuration daily-csv is declared for source-bucket but not present',
        after: asPut(configuration),
      },
    ]);
    expect(result.findings).toEqual([]);
  });

  it('updates a changed configuration, naming the fields that differ', () => {
    const desired = makeConfiguration();
    const actual = makeConfiguration({ Schedule: { Frequency: 'Weekly' }, OptionalFields: ['Size'] });

    const result = plan(makeDesiredBucket([desired]), [actual], grantedFacts());

    // The put also names the verified owner, which the present configuration does not.
    const fields = [
      { path: 'Destination.S3BucketDestination.AccountId', desired: SOURCE_ACCOUNT, actual: undefined },
      { path: 'OptionalFields', desired: ['LastModifiedDate', 'Size', 'StorageClass'], actual: ['Size'] },
      { path: 'Schedule.Frequency', desired: 'Daily', actual: 'Weekly' },
    ];
    expect(result.drift).toEqual([
      { kind: 'changed', id: 'daily-csv', desired: asPut(desired), actual, fields },
    ]);
    expect(result.actions).toEqual([
      {
        kind: 'update-configuration',
        key: 'update-configuration:daily-csv',
        id: 'daily-csv',
        mode: 'enforce',
        dependsOn: [],
        reason:
          'Configuration daily-csv on source-bucket differs from its declaration in Destination.S3BucketDestination.AccountId, OptionalFields, Schedule.Frequency',
        before: actual,
        after: asPut(desired),
        fields,
      },
    ]);
  });

  it('sees no drift where configurations differ only in field order and empty members', () => {
    const desired = makeConfiguration({ OptionalFields: ['StorageClass', 'Size', 'LastModifiedDate'] });
    const actual = makeConfiguration({ Filter: { Prefix: '' } });

    const result = plan(makeDesiredBucket([desired]), [actual], grantedFacts());

    expect(result.drift).toEqual([]);
    expect(result.actions).toEqual([]);
  });

  it('reports an unmanaged configuration without deleting it when prune is off', () => {
    const unmanaged = makeConfiguration({ Id: 'hand-made' });

    const result = plan(makeDesiredBucket([]), [unmanaged], grantedFacts());

    expect(result.drift).toEqual([{ kind: 'unmanaged', id: 'hand-made', actual: unmanaged }]);
    expect(result.actions).toEqual([]);
  });

  it('deletes an unmanaged configuration when the bucket opts into prune', () => {
    const unmanaged = makeConfiguration({ Id: 'hand-made' });

    const result = plan(makeDesiredBucket([], { prune: true }), [unmanaged], listedGrantFacts());

    expect(result.actions).toEqual([
      {
        kind: 'delete-configuration',
        key: 'delete-configuration:hand-made',
        id: 'hand-made',
        mode: 'enforce',
        dependsOn: [],
        reason: 'Configuration hand-made on source-bucket is not declared and the bucket opts into prune',
        before: unmanaged,
      },
      // The grant served only this configuration, so it goes too (see planRevokes tests).
      expect.objectContaining({
        key: 'revoke-destination:inventory-reports',
        dependsOn: ['delete-configuration:hand-made'],
      }),
    ]);
  });

  it('orders grants before puts and deletes last', () => {
    const keyed = makeKmsConfiguration(KEY_ARN, { Id: 'b-kms' });
    const second = withDestination(makeConfiguration({ Id: 'a-other' }), 'other-reports');
    const changed = makeConfiguration({ Id: 'c-changed' });
    const facts = makeBucketFacts({
      destinations: [makeDestinationFacts(), makeDestinationFacts('other-reports')],
      keys: [makeKeyFacts()],
    });

    const result = plan(
      makeDesiredBucket([keyed, changed, second], { prune: true }),
      [
        makeConfiguration({ Id: 'z-gone' }),
        makeConfiguration({ Id: 'c-changed', IsEnabled: false }),
        makeConfiguration({ Id: 'y-gone' }),
      ],
      facts,
    );

    expect(keysOf(result)).toEqual([
      'grant-destination:inventory-reports',
      'grant-destination:other-reports',
      `grant-key:${KEY_ARN}`,
      'create-configuration:a-other',
      'create-configuration:b-kms',
      'update-configuration:c-changed',
      'delete-configuration:y-gone',
      'delete-configuration:z-gone',
    ]);
    const dependsOn = Object.fromEntries(result.actions.map((action) => [action.key, action.dependsOn]));
    expect(dependsOn).toMatchObject({
      'create-configuration:a-other': ['grant-destination:other-reports'],
      'create-configuration:b-kms': ['grant-destination:inventory-reports', `grant-key:${KEY_ARN}`],
      'update-configuration:c-changed': ['grant-destination:inventory-reports'],
      'delete-configuration:y-gone': [],
      'delete-configuration:z-gone': [],
    });
  });

  it('rejects facts gathered for another bucket as a bug', () => {
    expect(() => plan(makeDesiredBucket([]), [], makeBucketFacts({ bucket: 'elsewhere' }))).toThrow(
      ReconcileError,
    );
  });
});

describe('plan() with invalid desired items', () => {
  it('skips an invalid item, never applies it and keeps its actual configuration even with prune', () => {
    const broken = { ...makeConfiguration(), Schedule: { Frequency: 'Hourly' } };
    const actual = makeConfiguration({ Schedule: { Frequency: 'Weekly' } });

    const result = plan(
      makeDesiredBucket([], { prune: true, items: [makeDesiredItem(broken as never)] }),
      [actual],
      grantedFacts(),
    );

    expect(result.actions).toEqual([]);
    expect(result.drift).toEqual([]);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({
      kind: 'invalid-desired',
      configId: 'daily-csv',
      issues: [{ path: 'Schedule.Frequency' }],
    });
    expect(result.findings[0]!.message).toMatch(
      /^Bucket source-bucket: desired configuration "daily-csv" is invalid and was skipped: Schedule\.Frequency: /,
    );
  });

  it('rejects an item whose id differs from configuration.Id and declares both ids', () => {
    const item = makeDesiredItem(makeConfiguration({ Id: 'inner' }), { id: 'outer' });

    const result = plan(
      makeDesiredBucket([], { prune: true, items: [item] }),
      [
        makeConfiguration({ Id: 'inner' }),
        makeConfiguration({ Id: 'outer' }),
        makeConfiguration({ Id: 'stray' }),
      ],
      grantedFacts(),
    );

    expect(result.findings).toEqual([
      {
        kind: 'invalid-desired',
        configId: 'outer',
        message:
          'Bucket source-bucket: desired configuration "outer" is invalid and was skipped: Id: must equal the item id "outer", got "inner"',
        issues: [{ path: 'Id', message: 'must equal the item id "outer", got "inner"' }],
      },
    ]);
    expect(keysOf(result)).toEqual(['delete-configuration:stray']);
  });

  it('rejects an item that names another bucket', () => {
    const item = makeDesiredItem(makeConfiguration(), { bucket: 'elsewhere' });

    const result = plan(makeDesiredBucket([], { items: [item] }), [], grantedFacts());

    expect(result.actions).toEqual([]);
    expect(result.findings[0]!.issues).toEqual([
      { path: '', message: 'the item belongs to bucket "elsewhere", not "source-bucket"' },
    ]);
  });

  it('rejects every item of an id declared twice', () => {
    const items = [
      makeDesiredItem(makeConfiguration()),
      makeDesiredItem(makeConfiguration({ IsEnabled: false })),
    ];

    const result = plan(makeDesiredBucket([], { items }), [], grantedFacts());

    expect(result.actions).toEqual([]);
    expect(result.findings.map((finding) => finding.message)).toEqual([
      'Bucket source-bucket: desired configuration "daily-csv" is invalid and was skipped: (root): 2 items declare the id "daily-csv"',
      'Bucket source-bucket: desired configuration "daily-csv" is invalid and was skipped: (root): 2 items declare the id "daily-csv"',
    ]);
  });

  it('lists every issue of an item, validation and item checks together', () => {
    const item = makeDesiredItem({ Id: 'bad id!', IsEnabled: 'yes' } as never, { id: 'other' });

    const [finding] = plan(makeDesiredBucket([], { items: [item] }), [], grantedFacts()).findings;

    const paths = finding!.issues!.map((issue) => issue.path);
    expect(paths).toContain('IsEnabled');
    expect(paths).toContain('Id');
    expect(paths.length).toBeGreaterThan(3);
  });

  it('rejects an item whose mode is neither enforce nor detect: it neither runs nor escapes the guard', () => {
    const item = makeDesiredItem(makeConfiguration(), { mode: 'DETECT' as never });

    const result = plan(
      makeDesiredBucket([], { prune: true, items: [item] }),
      [makeConfiguration({ IsEnabled: false })],
      grantedFacts(),
      { remainingChanges: 0 },
    );

    expect(result.actions).toEqual([]);
    expect(result.findings).toEqual([
      {
        kind: 'invalid-desired',
        configId: 'daily-csv',
        message:
          'Bucket source-bucket: desired configuration "daily-csv" is invalid and was skipped: mode: expected enforce | detect, got "DETECT"',
        issues: [{ path: 'mode', message: 'expected enforce | detect, got "DETECT"' }],
      },
    ]);
  });

  it('lists invalid items by id, keeping the item order of one id', () => {
    const items = [
      makeDesiredItem({ Id: 'zeta' } as never),
      makeDesiredItem(makeConfiguration({ Id: 'beta' }), { mode: 'first' as never }),
      makeDesiredItem({ Id: 'Alpha' } as never),
      makeDesiredItem(makeConfiguration({ Id: 'beta' }), { mode: 'second' as never }),
    ];

    const result = plan(makeDesiredBucket([], { items }), [], grantedFacts());

    expect(result.findings.map((finding) => [finding.configId, finding.issues![0]!.message])).toEqual([
      ['Alpha', expect.any(String)],
      ['beta', 'expected enforce | detect, got "first"'],
      ['beta', 'expected enforce | detect, got "second"'],
      ['zeta', expect.any(String)],
    ]);
  });

  it('still plans the valid items next to an invalid one', () => {
    const items = [
      makeDesiredItem({ Id: 'broken' } as never),
      makeDesiredItem(makeConfiguration({ Id: 'fine' })),
    ];

    const result = plan(makeDesiredBucket([], { items }), [], grantedFacts());

    expect(keysOf(result)).toEqual(['create-configuration:fine']);
    expect(result.findings.map((finding) => finding.configId)).toEqual(['broken']);
  });
});

describe('plan() modes', () => {
  it('plans every action in detect mode when the bucket is in detect mode', () => {
    const result = plan(
      makeDesiredBucket([makeConfiguration()], { mode: 'detect', prune: true }),
      [makeConfiguration({ Id: 'hand-made' })],
      makeBucketFacts({ destinations: [makeDestinationFacts()] }),
    );

    expect(result.actions.map((action) => [action.key, action.mode])).toEqual([
      ['grant-destination:inventory-reports', 'detect'],
      ['create-configuration:daily-csv', 'detect'],
      ['delete-configuration:hand-made', 'detect'],
    ]);
    expect(result.guard).toBeUndefined();
  });

  it('lets an item mode override the bucket mode; a grant enforces when any user of it does', () => {
    const items = [
      makeDesiredItem(makeConfiguration({ Id: 'watched' }), { mode: 'detect' }),
      makeDesiredItem(makeConfiguration({ Id: 'enforced' })),
    ];

    const result = plan(makeDesiredBucket([], { mode: 'detect', items }), [], makeBucketFacts());

    expect(result.actions.map((action) => [action.key, action.mode])).toEqual([
      ['grant-destination:inventory-reports', 'detect'],
      ['create-configuration:enforced', 'detect'],
      ['create-configuration:watched', 'detect'],
    ]);
    const enforcedItems = [items[0]!, { ...items[1]!, mode: 'enforce' as const }];
    const mixed = plan(
      makeDesiredBucket([], { mode: 'detect', items: enforcedItems }),
      [],
      makeBucketFacts(),
    );
    expect(mixed.actions.map((action) => [action.key, action.mode])).toEqual([
      ['grant-destination:inventory-reports', 'enforce'],
      ['create-configuration:enforced', 'enforce'],
      ['create-configuration:watched', 'detect'],
    ]);
  });
});

describe('plan() blast-radius guard', () => {
  const threeCreates = () =>
    makeDesiredBucket([
      makeConfiguration({ Id: 'a' }),
      makeConfiguration({ Id: 'b' }),
      makeConfiguration({ Id: 'c' }),
    ]);

  it('leaves a plan within the limits alone', () => {
    const result = plan(threeCreates(), [], grantedFacts(), { remainingChanges: 3, remainingDeletes: 0 });

    expect(result.actions.every((action) => action.mode === 'enforce')).toBe(true);
    expect(result.guard).toBeUndefined();
    expect(result.findings).toEqual([]);
  });

  it('turns the whole plan report-only when it changes more than the run has left', () => {
    const result = plan(threeCreates(), [], grantedFacts(), { remainingChanges: 2 });

    expect(result.actions.map((action) => action.mode)).toEqual(['detect', 'detect', 'detect']);
    const reason = 'the plan would make 3 changes (2 left in this run), over the blast-radius limit';
    expect(result.guard).toEqual({ kind: 'blast-radius', reason });
    expect(result.findings).toEqual([
      {
        kind: 'blast-radius',
        message: `Bucket source-bucket: ${reason}; every action is report-only: needs a human`,
      },
    ]);
  });

  it('turns the whole plan report-only when it deletes more than the run has left', () => {
    const result = plan(
      makeDesiredBucket([makeConfiguration()], { prune: true }),
      [makeConfiguration(), makeConfiguration({ Id: 'x' }), makeConfiguration({ Id: 'y' })],
      grantedFacts(),
      { remainingChanges: 10, remainingDeletes: 1 },
    );

    expect(keysOf(result)).toEqual(['delete-configuration:x', 'delete-configuration:y']);
    expect(result.actions.every((action) => action.mode === 'detect')).toBe(true);
    expect(result.guard?.reason).toBe(
      'the plan would make 2 deletes (1 left in this run), over the blast-radius limit',
    );
  });

  it('counts only actions that would change something', () => {
    const result = plan(
      makeDesiredBucket([], { mode: 'detect', prune: true }),
      [makeConfiguration({ Id: 'x' }), makeConfiguration({ Id: 'y' })],
      grantedFacts(),
      { remainingChanges: 0, remainingDeletes: 0 },
    );

    expect(result.guard).toBeUndefined();
  });
});

describe('plan() purity', () => {
  it('leaves its inputs unchanged and accepts deep-frozen ones', () => {
    const desired = makeDesiredBucket(
      [makeKmsConfiguration(), withDestination(makeConfiguration({ Id: 'b' }), 'b-dest')],
      {
        prune: true,
      },
    );
    const actual = [makeConfiguration({ Id: 'gone' }), makeConfiguration({ Id: 'b', IsEnabled: false })];
    const facts = makeBucketFacts({
      destinations: [destinationWithPolicy([accountDestinationGrant()]), makeDestinationFacts('b-dest')],
      keys: [
        makeKeyFacts(KEY_ARN, {
          policy: { state: 'present', document: makePolicy([rootStatement(), ourKeyGrant(['x'])]) },
        }),
      ],
    });
    const copies = structuredClone({ desired, actual, facts });

    const first = plan(
      deepFreeze(desired),
      deepFreeze(actual),
      deepFreeze(facts),
      deepFreeze({ remainingChanges: 9 }),
    );

    expect({ desired, actual, facts }).toEqual(copies);
    expect(plan(copies.desired, copies.actual, copies.facts, { remainingChanges: 9 })).toEqual(first);
    expect(first.actions.length).toBeGreaterThan(3);
  });
});
