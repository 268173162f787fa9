import { describe, expect, it } from 'vitest';
import { plan } from '../../../../lib/core/reconcile/plan.js';
import { makeConfiguration, makeKmsConfiguration } from '../../../helpers/factories.js';
import {
  DESTINATION_BUCKET,
  destinationWithPolicy,
  foreignStatement,
  KEY_ARN,
  makeBucketFacts,
  makeDesiredBucket,
  makeDesiredItem,
  makeKeyFacts,
  makePolicy,
  ourDestinationGrant,
  ourKeyGrant,
  rootStatement,
  withDestination,
} from '../../../helpers/reconcileFactories.js';

const OTHER = 'other-reports';
const keyWithGrant = () =>
  makeKeyFacts(KEY_ARN, {
    policy: { state: 'present', document: makePolicy([rootStatement(), ourKeyGrant()]) },
  });

describe('plan() revokes', () => {
  it('revokes our grant after deleting the last configuration delivering there, keeping foreign statements', () => {
    const facts = makeBucketFacts({
      destinations: [
        destinationWithPolicy([foreignStatement(), ourDestinationGrant(['other-source', 'source-bucket'])]),
      ],
    });

    const result = plan(makeDesiredBucket([], { prune: true }), [makeConfiguration({ Id: 'gone' })], facts);

    expect(result.actions).toEqual([
      expect.objectContaining({ key: 'delete-configuration:gone' }),
      {
        kind: 'revoke-destination',
        key: 'revoke-destination:inventory-reports',
        destinationBucket: DESTINATION_BUCKET,
        mode: 'enforce',
        dependsOn: ['delete-configuration:gone'],
        reason:
          'No configuration of source-bucket delivers to destination bucket inventory-reports once gone ran: remove our grant',
        before: makePolicy([foreignStatement(), ourDestinationGrant(['other-source', 'source-bucket'])]),
        after: makePolicy([foreignStatement(), ourDestinationGrant(['other-source'])]),
      },
    ]);
  });

  it('deletes a bucket policy that held nothing but our statement', () => {
    const facts = makeBucketFacts({ destinations: [destinationWithPolicy([ourDestinationGrant()])] });

    const result = plan(makeDesiredBucket([], { prune: true }), [makeConfiguration({ Id: 'gone' })], facts);

    expect(result.actions[1]).toMatchObject({ kind: 'revoke-destination', after: undefined });
  });

  it('keeps the grant while another configuration still delivers there', () => {
    const facts = makeBucketFacts({ destinations: [destinationWithPolicy([ourDestinationGrant()])] });

    const kept = plan(
      makeDesiredBucket([makeConfiguration({ Id: 'stays' })], { prune: true }),
      [makeConfiguration({ Id: 'stays' }), makeConfiguration({ Id: 'gone' })],
      facts,
    );
    const unpruned = plan(
      makeDesiredBucket([], { prune: false }),
      [makeConfiguration({ Id: 'gone' })],
      facts,
    );

    expect(kept.actions.map((action) => action.key)).toEqual(['delete-configuration:gone']);
    expect(unpruned.actions).toEqual([]);
  });

  it('keeps the grant of a configuration whose declaration is invalid', () => {
    const facts = makeBucketFacts({ destinations: [destinationWithPolicy([ourDestinationGrant()])] });
    const invalid = makeDesiredItem({ ...makeConfiguration({ Id: 'broken' }), Schedule: {} } as never);

    const result = plan(
      makeDesiredBucket([], { prune: true, items: [invalid] }),
      [makeConfiguration({ Id: 'broken' }), makeConfiguration({ Id: 'gone' })],
      facts,
    );

    expect(result.actions.map((action) => action.key)).toEqual(['delete-configuration:gone']);
  });

  it('revokes the old destination after an update moves a configuration to another one', () => {
    const facts = makeBucketFacts({
      destinations: [
        destinationWithPolicy([ourDestinationGrant()]),
        destinationWithPolicy([ourDestinationGrant(['source-bucket'], OTHER)], OTHER),
      ],
    });
    const moved = withDestination(makeConfiguration(), OTHER);

    const result = plan(makeDesiredBucket([moved]), [makeConfiguration()], facts);

    expect(result.actions.map((action) => [action.key, action.dependsOn])).toEqual([
      ['update-configuration:daily-csv', []],
      ['revoke-destination:inventory-reports', ['update-configuration:daily-csv']],
    ]);
  });

  it('revokes the key grant when a configuration drops SSE-KMS, and keeps the destination grant', () => {
    const facts = makeBucketFacts({
      destinations: [destinationWithPolicy([ourDestinationGrant()])],
      keys: [keyWithGrant()],
    });

    const result = plan(makeDesiredBucket([makeConfiguration()]), [makeKmsConfiguration()], facts);

    expect(result.actions).toEqual([
      expect.objectContaining({ key: 'update-configuration:daily-csv' }),
      {
        kind: 'revoke-key',
        key: `revoke-key:${KEY_ARN}`,
        keyArn: KEY_ARN,
        mode: 'enforce',
        dependsOn: ['update-configuration:daily-csv'],
        reason: `No configuration of source-bucket delivers to KMS key ${KEY_ARN} once daily-csv ran: remove our grant`,
        before: makePolicy([rootStatement(), ourKeyGrant()]),
        after: makePolicy([rootStatement()]),
      },
    ]);
  });

  it('revokes once for several configurations leaving the same destination, after all of them', () => {
    const facts = makeBucketFacts({
      destinations: [destinationWithPolicy([ourDestinationGrant()])],
      keys: [keyWithGrant()],
    });

    const result = plan(
      makeDesiredBucket([], { prune: true }),
      [makeKmsConfiguration(KEY_ARN, { Id: 'a' }), makeConfiguration({ Id: 'b' })],
      facts,
    );

    expect(result.actions.map((action) => [action.key, action.dependsOn])).toEqual([
      ['delete-configuration:a', []],
      ['delete-configuration:b', []],
      ['revoke-destination:inventory-reports', ['delete-configuration:a', 'delete-configuration:b']],
      [`revoke-key:${KEY_ARN}`, ['delete-configuration:a']],
    ]);
  });

  it('never revokes from a policy it may not change, cannot read, or that holds no grant of ours', () => {
    const cases = [
      destinationWithPolicy([ourDestinationGrant()], DESTINATION_BUCKET, { writable: false }),
      destinationWithPolicy([ourDestinationGrant()], DESTINATION_BUCKET, {
        policy: { state: 'unreadable', reason: 'AccessDenied' },
      }),
      destinationWithPolicy([foreignStatement()]),
      destinationWithPolicy([ourDestinationGrant(['other-source'])]),
    ];

    for (const destination of cases) {
      const facts = makeBucketFacts({ destinations: [destination] });
      const result = plan(makeDesiredBucket([], { prune: true }), [makeConfiguration({ Id: 'gone' })], facts);
      expect(result.actions.map((action) => action.key)).toEqual(['delete-configuration:gone']);
    }
  });

  it('plans a revoke report-only while any configuration leaving the destination is report-only', () => {
    const facts = makeBucketFacts({
      destinations: [
        destinationWithPolicy([ourDestinationGrant()]),
        destinationWithPolicy([ourDestinationGrant(['source-bucket'], OTHER)], OTHER),
      ],
    });
    const items = [
      makeDesiredItem(withDestination(makeConfiguration({ Id: 'a' }), OTHER)),
      makeDesiredItem(withDestination(makeConfiguration({ Id: 'b' }), OTHER), { mode: 'detect' }),
    ];

    const result = plan(
      makeDesiredBucket([], { items }),
      [makeConfiguration({ Id: 'a' }), makeConfiguration({ Id: 'b' })],
      facts,
    );

    expect(result.actions.map((action) => [action.key, action.mode])).toEqual([
      ['update-configuration:a', 'enforce'],
      ['update-configuration:b', 'detect'],
      ['revoke-destination:inventory-reports', 'detect'],
    ]);
  });

  it('plans a revoke report-only when the change it follows is report-only', () => {
    const facts = makeBucketFacts({
      destinations: [
        destinationWithPolicy([ourDestinationGrant()]),
        destinationWithPolicy([ourDestinationGrant(['source-bucket'], OTHER)], OTHER),
      ],
    });
    const moved = makeDesiredItem(withDestination(makeConfiguration(), OTHER), { mode: 'detect' });

    const result = plan(makeDesiredBucket([], { items: [moved] }), [makeConfiguration()], facts);

    expect(result.actions.map((action) => [action.key, action.mode])).toEqual([
      ['update-configuration:daily-csv', 'detect'],
      ['revoke-destination:inventory-reports', 'detect'],
    ]);
  });
});
