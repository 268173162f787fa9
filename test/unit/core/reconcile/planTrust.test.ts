import { describe, expect, it } from 'vitest';
import type { InventoryConfiguration } from '../../../../lib/core/inventory/types.js';
import { plan } from '../../../../lib/core/reconcile/plan.js';
import type { DestinationFacts } from '../../../../lib/core/reconcile/types.js';
import { makeConfiguration, makeKmsConfiguration } from '../../../helpers/factories.js';
import {
  asPut,
  DESTINATION_BUCKET,
  destinationWithPolicy,
  makeBucketFacts,
  makeDesiredBucket,
  makeDestinationFacts,
  makeKeyFacts,
  ourDestinationGrant,
  SOURCE_ACCOUNT,
} from '../../../helpers/reconcileFactories.js';

const FOREIGN = '999900001111';
const PARTNER = '222233334444';
const ALLOWED = { allowedAccounts: new Set([SOURCE_ACCOUNT, PARTNER]) };
const say = (why: string) =>
  `Bucket source-bucket, configuration daily-csv: destination bucket inventory-reports ${why}`;

function withAccountId(configuration: InventoryConfiguration, accountId: string): InventoryConfiguration {
  const destination = configuration.Destination!.S3BucketDestination!;
  return { ...configuration, Destination: { S3BucketDestination: { ...destination, AccountId: accountId } } };
}

/** Plans one declared, absent configuration against one destination. */
function planOne(destination: DestinationFacts | undefined, configuration = makeConfiguration()) {
  const facts = makeBucketFacts({ destinations: destination ? [destination] : [] });
  return plan(makeDesiredBucket([configuration]), [], facts, ALLOWED);
}

describe('plan() trust boundary: what a configuration may be put for', () => {
  it('puts and grants for a verified destination of an allowed account, the owner as AccountId', () => {
    const result = planOne(makeDestinationFacts(DESTINATION_BUCKET, { account: PARTNER }));

    expect(result.findings).toEqual([]);
    const create = result.actions.find((action) => action.kind === 'create-configuration');
    expect(create && 'after' in create && create.after).toEqual(asPut(makeConfiguration(), PARTNER));
    expect(result.actions.map((action) => action.key)).toEqual([
      'grant-destination:inventory-reports',
      'create-configuration:daily-csv',
    ]);
  });

  it('refuses an AccountId outside the allowed accounts, whatever the facts say', () => {
    for (const destination of [undefined, makeDestinationFacts(DESTINATION_BUCKET, { account: FOREIGN })]) {
      const result = planOne(destination, withAccountId(makeConfiguration(), FOREIGN));

      expect(result.actions).toEqual([]);
      expect(result.findings).toEqual([
        {
          kind: 'destination-not-allowed',
          configId: 'daily-csv',
          target: DESTINATION_BUCKET,
          account: FOREIGN,
          message: say(
            `is declared in account ${FOREIGN} (AccountId), which is not in S3IR_ALLOWED_ACCOUNTS; nothing is put or granted for this configuration`,
          ),
        },
      ]);
    }
  });

  it('refuses a verified owner outside the allowed accounts when no AccountId is declared', () => {
    const result = planOne(makeDestinationFacts(DESTINATION_BUCKET, { account: FOREIGN, writable: false }));

    expect(result.actions).toEqual([]);
    expect(result.findings).toEqual([
      {
        kind: 'destination-not-allowed',
        configId: 'daily-csv',
        target: DESTINATION_BUCKET,
        account: FOREIGN,
        message: say(
          `is owned by account ${FOREIGN}, which is not in S3IR_ALLOWED_ACCOUNTS; nothing is put or granted for this configuration`,
        ),
      },
    ]);
  });

  it('refuses a destination whose owner S3 did not confirm, or whose proof is unknown', () => {
    for (const ownerVerified of [false, undefined]) {
      const result = planOne(makeDestinationFacts(DESTINATION_BUCKET, { ownerVerified }));

      expect(result.actions).toEqual([]);
      expect(result.findings).toEqual([
        {
          kind: 'destination-owner-unverified',
          configId: 'daily-csv',
          target: DESTINATION_BUCKET,
          account: SOURCE_ACCOUNT,
          message: say(
            `is not proved to be owned by account ${SOURCE_ACCOUNT} (S3 did not accept ExpectedBucketOwner); if another allowed account owns it, declare that account as AccountId; nothing is put or granted for this configuration`,
          ),
        },
      ]);
    }
  });

  it('refuses a destination whose policy lets an account outside the boundary read the reports', () => {
    const shared = destinationWithPolicy([
      {
        Sid: 'PartnerRead',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${FOREIGN}:root` },
        Action: 's3:Get*',
        Resource: `arn:aws:s3:::${DESTINATION_BUCKET}/*`,
      },
    ]);
    const result = planOne(shared);

    expect(result.actions).toEqual([]);
    expect(result.findings.map((finding) => [finding.kind, finding.account])).toEqual([
      ['destination-shared', SOURCE_ACCOUNT],
    ]);
    expect(result.findings[0]!.message).toContain(
      `lets arn:aws:iam::${FOREIGN}:root (Sid "PartnerRead") read`,
    );
  });

  it('accepts readers inside the boundary: allowed accounts, the organization, S3 itself', () => {
    const inside = destinationWithPolicy([
      {
        Sid: 'PartnerRead',
        Effect: 'Allow',
        Principal: { AWS: [`arn:aws:iam::${PARTNER}:role/analytics`, SOURCE_ACCOUNT] },
        Action: ['s3:GetObject'],
        Resource: `arn:aws:s3:::${DESTINATION_BUCKET}/*`,
      },
      {
        Sid: 'OrgRead',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${DESTINATION_BUCKET}/*`,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
      },
      ourDestinationGrant(),
    ]);

    expect(planOne(inside).findings).toEqual([]);
  });

  it('refuses a key of an account outside the boundary: no key grant, no put', () => {
    const keyArn = `arn:aws:kms:us-east-1:${FOREIGN}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const facts = makeBucketFacts({ keys: [makeKeyFacts(keyArn, { account: FOREIGN })] });
    const result = plan(makeDesiredBucket([makeKmsConfiguration(keyArn)]), [], facts, ALLOWED);

    expect(result.actions).toEqual([]);
    expect(result.findings.map((finding) => [finding.kind, finding.target, finding.account])).toEqual([
      ['key-not-allowed', keyArn, FOREIGN],
    ]);
  });

  it('allows only the source account when no allowed accounts are given', () => {
    const facts = makeBucketFacts({
      destinations: [makeDestinationFacts(DESTINATION_BUCKET, { account: PARTNER })],
    });
    const result = plan(makeDesiredBucket([makeConfiguration()]), [], facts);

    expect(result.findings.map((finding) => finding.kind)).toEqual(['destination-not-allowed']);
    expect(result.actions).toEqual([]);
  });
});

describe('plan() trust boundary: AccountId matching', () => {
  const granted = () => makeBucketFacts({ destinations: [destinationWithPolicy([ourDestinationGrant()])] });

  it('matches a declaration without AccountId to a present configuration naming the verified owner', () => {
    const result = plan(
      makeDesiredBucket([makeConfiguration()]),
      [asPut(makeConfiguration())],
      granted(),
      ALLOWED,
    );

    expect(result.drift).toEqual([]);
    expect(result.actions).toEqual([]);
  });

  it('leaves a present configuration without AccountId as it is when nothing else differs', () => {
    const result = plan(makeDesiredBucket([makeConfiguration()]), [makeConfiguration()], granted(), ALLOWED);

    expect(result.drift).toEqual([]);
    expect(result.actions).toEqual([]);
  });

  it('puts the verified owner in place of another AccountId a present configuration names', () => {
    const present = withAccountId(makeConfiguration(), PARTNER);
    const result = plan(makeDesiredBucket([makeConfiguration()]), [present], granted(), ALLOWED);

    expect(result.actions.map((action) => [action.key, 'fields' in action && action.fields])).toEqual([
      [
        'update-configuration:daily-csv',
        [{ path: 'Destination.S3BucketDestination.AccountId', desired: SOURCE_ACCOUNT, actual: PARTNER }],
      ],
    ]);
  });
});

describe('plan() trust boundary: configurations present now', () => {
  const foreignOwned = () =>
    makeBucketFacts({
      destinations: [
        makeDestinationFacts(DESTINATION_BUCKET, { account: SOURCE_ACCOUNT, ownerVerified: false }),
      ],
    });

  it('reports a present, undeclared configuration whose destination fails the boundary, once', () => {
    const present = makeConfiguration({ Id: 'stray' });
    const result = plan(makeDesiredBucket([]), [present], foreignOwned(), ALLOWED);

    expect(result.actions).toEqual([]);
    expect(result.findings).toEqual([
      {
        kind: 'destination-owner-unverified',
        configId: 'stray',
        target: DESTINATION_BUCKET,
        account: SOURCE_ACCOUNT,
        message: `Bucket source-bucket, configuration stray: destination bucket inventory-reports is not proved to be owned by account ${SOURCE_ACCOUNT} (S3 did not accept ExpectedBucketOwner); if another allowed account owns it, declare that account as AccountId; it is configured now and may be exporting there (not deleted: the bucket does not opt into prune)`,
      },
    ]);
  });

  it('reports a declared configuration present now with one finding, and deletes it only with prune', () => {
    const configuration = makeConfiguration();
    const kept = plan(makeDesiredBucket([configuration]), [configuration], foreignOwned(), ALLOWED);
    const pruned = plan(
      makeDesiredBucket([configuration], { prune: true }),
      [configuration],
      foreignOwned(),
      ALLOWED,
    );

    expect(kept.findings.map((finding) => [finding.kind, finding.configId])).toEqual([
      ['destination-owner-unverified', 'daily-csv'],
    ]);
    expect(kept.actions).toEqual([]);
    expect(pruned.findings).toEqual(kept.findings);
    expect(pruned.actions.map((action) => action.key)).toEqual(['delete-configuration:daily-csv']);
  });

  it('writes no revoke into a destination whose owner is no longer proved', () => {
    const present = makeConfiguration({ Id: 'stray' });
    const facts = makeBucketFacts({
      destinations: [
        destinationWithPolicy([ourDestinationGrant()], DESTINATION_BUCKET, { ownerVerified: false }),
      ],
    });
    const result = plan(makeDesiredBucket([], { prune: true }), [present], facts, ALLOWED);

    expect(result.actions.map((action) => action.key)).toEqual(['delete-configuration:stray']);
  });

  it('does not report a present configuration that the plan replaces with a verified one', () => {
    const present = withAccountId(makeConfiguration({ IsEnabled: false }), FOREIGN);
    const result = plan(makeDesiredBucket([makeConfiguration()]), [present], makeBucketFacts(), ALLOWED);

    expect(result.findings).toEqual([]);
    expect(result.actions.map((action) => action.key)).toEqual([
      'grant-destination:inventory-reports',
      'update-configuration:daily-csv',
    ]);
  });
});
