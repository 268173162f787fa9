import { describe, expect, it } from 'vitest';
import { plan } from '../../../../lib/core/reconcile/plan.js';
import type { DestinationFacts, KeyFacts } from '../../../../lib/core/reconcile/types.js';
import { makeConfiguration, makeKmsConfiguration } from '../../../helpers/factories.js';
import {
  accountDestinationGrant,
  accountKeyGrant,
  broadDeliveryStatement,
  DESTINATION_BUCKET,
  denyServiceStatement,
  destinationWithPolicy,
  foreignStatement,
  KEY_ARN,
  makeBucketFacts,
  makeDesiredBucket,
  makeDestinationFacts,
  makeKeyFacts,
  makePolicy,
  ourDestinationGrant,
  ourKeyGrant,
  rootStatement,
  SOURCE_ACCOUNT,
  withDestination,
} from '../../../helpers/reconcileFactories.js';

/** The source's account and another one, 444455556666, that the cross-account cases deliver to. */
const OTHER_ACCOUNT = '444455556666';
const ALLOWED = { allowedAccounts: new Set([SOURCE_ACCOUNT, OTHER_ACCOUNT]) };

const grantedDestination = () => destinationWithPolicy([accountDestinationGrant()]);

/** Plans one declared configuration (missing on the bucket) against the given destination and key facts. */
function planOne(
  options: {
    destination?: DestinationFacts;
    key?: KeyFacts;
    configuration?: ReturnType<typeof makeConfiguration>;
  } = {},
) {
  const configuration = options.configuration ?? makeConfiguration();
  const facts = makeBucketFacts({
    destinations: options.destination ? [options.destination] : [],
    keys: options.key ? [options.key] : [],
  });
  return plan(makeDesiredBucket([configuration]), [], facts, ALLOWED);
}

describe('plan() destination checks', () => {
  it('reports a destination it has no facts about as missing, and neither creates nor grants anything', () => {
    const result = planOne();

    expect(result.findings).toEqual([
      {
        kind: 'destination-missing',
        configId: 'daily-csv',
        target: DESTINATION_BUCKET,
        account: SOURCE_ACCOUNT,
        message:
          'Bucket source-bucket, configuration daily-csv: destination bucket inventory-reports does not exist (expected owner: account 111122223333); nothing is put or granted for this configuration',
      },
    ]);
    expect(result.actions).toEqual([]);
  });

  it('reports a destination that does not exist', () => {
    const result = planOne({ destination: makeDestinationFacts(DESTINATION_BUCKET, { exists: false }) });

    expect(result.findings.map((finding) => finding.kind)).toEqual(['destination-missing']);
  });

  it("reports a destination outside the source's region", () => {
    const result = planOne({
      destination: makeDestinationFacts(DESTINATION_BUCKET, { region: 'eu-west-1' }),
    });

    expect(result.findings).toEqual([
      {
        kind: 'destination-region-mismatch',
        configId: 'daily-csv',
        target: DESTINATION_BUCKET,
        account: SOURCE_ACCOUNT,
        message:
          "Bucket source-bucket, configuration daily-csv: destination bucket inventory-reports is in eu-west-1, not in the source's region us-east-1; nothing is put or granted for this configuration",
      },
    ]);
    expect(result.actions).toEqual([]);
  });

  it('reads the legacy region names EU and "" as eu-west-1 and us-east-1', () => {
    const facts = makeBucketFacts({
      region: '',
      destinations: [
        destinationWithPolicy([accountDestinationGrant()], DESTINATION_BUCKET, { region: 'us-east-1' }),
      ],
    });
    const eu = makeBucketFacts({
      region: 'eu-west-1',
      destinations: [
        destinationWithPolicy([accountDestinationGrant()], DESTINATION_BUCKET, { region: 'EU' }),
      ],
    });

    expect(plan(makeDesiredBucket([makeConfiguration()]), [], facts, ALLOWED).findings).toEqual([]);
    expect(plan(makeDesiredBucket([makeConfiguration()]), [], eu, ALLOWED).findings).toEqual([]);
  });

  it('knows no US alias: GetBucketLocation answers empty for us-east-1, never US (docs/aws-facts.md §2)', () => {
    const result = planOne({
      destination: destinationWithPolicy([accountDestinationGrant()], DESTINATION_BUCKET, { region: 'US' }),
    });

    expect(result.findings.map((finding) => finding.kind)).toEqual(['destination-region-mismatch']);
  });

  it('skips the region check when the destination region is unknown', () => {
    const result = planOne({ destination: { ...grantedDestination(), region: undefined } });

    expect(result.findings).toEqual([]);
  });

  it('asks the owner of a cross-account destination for the exact statement when its policy is unreadable', () => {
    const destination = makeDestinationFacts(DESTINATION_BUCKET, {
      account: '444455556666',
      policy: { state: 'unreadable', reason: 'AccessDenied' },
      writable: false,
    });

    const result = planOne({ destination });

    expect(result.findings).toEqual([
      {
        kind: 'destination-grant-required',
        configId: 'daily-csv',
        target: DESTINATION_BUCKET,
        message:
          'Bucket source-bucket, configuration daily-csv: destination bucket inventory-reports policy cannot be read (AccessDenied); its owner must add the statement',
        statement: {
          Sid: 'S3irInventoryDelivery',
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: ['arn:aws:s3:::inventory-reports/*'],
          Condition: {
            ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::*' },
            StringEquals: {
              'aws:SourceAccount': '111122223333',
              's3:x-amz-acl': 'bucket-owner-full-control',
            },
          },
        },
      },
    ]);
    expect(result.actions.map((action) => action.key)).toEqual(['create-configuration:daily-csv']);
  });

  it('asks for the statement when a readable policy does not allow delivery and may not be changed', () => {
    const destination = destinationWithPolicy([foreignStatement()], DESTINATION_BUCKET, {
      account: '444455556666',
      writable: false,
    });

    const [finding] = planOne({ destination }).findings;

    expect(finding).toMatchObject({
      kind: 'destination-grant-required',
      statement: accountDestinationGrant(),
    });
    expect(finding!.message).toBe(
      'Bucket source-bucket, configuration daily-csv: destination bucket inventory-reports policy does not allow the delivery and this service may not change it; its owner must add the statement',
    );
  });

  it('needs no action where a broader grant already allows delivery, even in another account', () => {
    const destination = destinationWithPolicy([broadDeliveryStatement()], DESTINATION_BUCKET, {
      account: '444455556666',
      writable: false,
    });

    const result = planOne({ destination });

    expect(result.findings).toEqual([]);
    expect(result.actions.map((action) => action.key)).toEqual(['create-configuration:daily-csv']);
  });

  it('reports an explicit deny instead of adding an Allow', () => {
    const destination = destinationWithPolicy([denyServiceStatement()]);

    const result = planOne({ destination });

    expect(result.findings).toEqual([
      {
        kind: 'destination-denied',
        configId: 'daily-csv',
        target: DESTINATION_BUCKET,
        message:
          'Bucket source-bucket, configuration daily-csv: destination bucket inventory-reports policy explicitly denies the delivery',
      },
    ]);
    expect(result.actions.map((action) => action.key)).toEqual(['create-configuration:daily-csv']);
  });

  it('grants a disabled configuration too: the grant is part of the unit', () => {
    const result = planOne({
      destination: makeDestinationFacts(),
      configuration: makeConfiguration({ IsEnabled: false }),
    });

    expect(result.actions.map((action) => action.key)).toEqual([
      'grant-destination:inventory-reports',
      'create-configuration:daily-csv',
    ]);
  });

  it('grants a configuration that is in sync when its grant went missing', () => {
    const configuration = makeConfiguration();
    const facts = makeBucketFacts({ destinations: [destinationWithPolicy([foreignStatement()])] });

    const result = plan(makeDesiredBucket([configuration]), [configuration], facts, ALLOWED);

    expect(result.drift).toEqual([]);
    expect(result.actions).toEqual([
      expect.objectContaining({
        key: 'grant-destination:inventory-reports',
        before: makePolicy([foreignStatement()]),
        after: makePolicy([foreignStatement(), accountDestinationGrant()]),
      }),
    ]);
  });

  it('folds two configurations to one destination into one grant', () => {
    const desired = makeDesiredBucket([
      makeConfiguration({ Id: 'weekly', Schedule: { Frequency: 'Weekly' } }),
      makeConfiguration({ Id: 'daily' }),
    ]);

    const result = plan(desired, [], makeBucketFacts(), ALLOWED);

    expect(result.actions.map((action) => [action.key, action.dependsOn])).toEqual([
      ['grant-destination:inventory-reports', []],
      ['create-configuration:daily', ['grant-destination:inventory-reports']],
      ['create-configuration:weekly', ['grant-destination:inventory-reports']],
    ]);
    expect(result.actions[0]).toMatchObject({
      reason:
        'The policy of destination bucket inventory-reports must allow S3 Inventory delivery from source-bucket (daily, weekly)',
      after: makePolicy([accountDestinationGrant()]),
    });
  });

  it('migrates our statement that lists another source to the account-keyed one, in the same write', () => {
    const destination = destinationWithPolicy([foreignStatement(), ourDestinationGrant(['other-source'])]);

    const [grant] = planOne({ destination }).actions;

    expect(grant).toMatchObject({
      before: makePolicy([foreignStatement(), ourDestinationGrant(['other-source'])]),
      after: makePolicy([foreignStatement(), accountDestinationGrant()]),
    });
  });

  it('reports a grant that would push the policy over its size limit', () => {
    const bulky = Array.from({ length: 91 }, (_, index) => foreignStatement(`Foreign${index}`));
    const destination = destinationWithPolicy(bulky);

    const result = planOne({ destination });

    expect(result.actions.map((action) => action.key)).toEqual(['create-configuration:daily-csv']);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ kind: 'policy-too-large', target: DESTINATION_BUCKET });
    expect(result.findings[0]!.message).toMatch(
      /^Bucket source-bucket: the grant for daily-csv would make the policy of destination bucket inventory-reports \d+ bytes, over its limit of 20480; a human must make room$/,
    );
  });

  it('asks a human when our own statement was edited so that it cannot grant the delivery', () => {
    const edited = { ...ourDestinationGrant(['other-source']), Action: 's3:GetObject' };
    const destination = destinationWithPolicy([edited]);

    const result = planOne({ destination });

    expect(result.actions.map((action) => action.key)).toEqual(['create-configuration:daily-csv']);
    expect(result.findings).toEqual([
      expect.objectContaining({
        kind: 'destination-grant-required',
        configId: 'daily-csv',
        statement: accountDestinationGrant(),
      }),
    ]);
    expect(result.findings[0]!.message).toContain(
      'policy cannot take our grant: Statement "S3irInventoryDelivery"',
    );
  });
});

describe('plan() destination AccountId', () => {
  const crossAccount = (accountId: string) =>
    makeConfiguration({
      Destination: {
        S3BucketDestination: {
          ...makeConfiguration().Destination!.S3BucketDestination!,
          AccountId: accountId,
        },
      },
    });

  it('reports an AccountId that is not the destination owner: S3 refuses to export', () => {
    const result = planOne({
      destination: grantedDestination(),
      configuration: crossAccount('444455556666'),
    });

    expect(result.findings).toEqual([
      {
        kind: 'destination-account-mismatch',
        configId: 'daily-csv',
        target: DESTINATION_BUCKET,
        account: SOURCE_ACCOUNT,
        message:
          'Bucket source-bucket, configuration daily-csv: destination bucket inventory-reports is owned by account 111122223333, not AccountId 444455556666; S3 refuses to export when AccountId does not match the destination owner; nothing is put or granted for this configuration',
      },
    ]);
    expect(result.actions).toEqual([]);
  });

  it("neither grants nor puts for a mismatched AccountId, yet grants the destination's other configurations", () => {
    const other = withDestination(makeConfiguration({ Id: 'other' }), DESTINATION_BUCKET);
    const facts = makeBucketFacts({ destinations: [makeDestinationFacts()] });
    const result = plan(makeDesiredBucket([crossAccount('444455556666'), other]), [], facts, ALLOWED);

    expect(result.findings.map((finding) => finding.kind)).toEqual(['destination-account-mismatch']);
    expect(result.actions.map((action) => [action.key, action.reason])).toEqual([
      [
        'grant-destination:inventory-reports',
        'The policy of destination bucket inventory-reports must allow S3 Inventory delivery from source-bucket (other)',
      ],
      ['create-configuration:other', 'Configuration other is declared for source-bucket but not present'],
    ]);
  });

  it('accepts an AccountId that names the verified owner, and puts it as declared', () => {
    const owner = planOne({ destination: grantedDestination(), configuration: crossAccount('111122223333') });

    expect(owner.findings).toEqual([]);
    expect(owner.actions.map((action) => action.key)).toEqual(['create-configuration:daily-csv']);
  });

  it('refuses a destination whose owner it cannot name, even when AccountId names an allowed account', () => {
    const unknownOwner = planOne({
      destination: { ...grantedDestination(), account: undefined },
      configuration: crossAccount('444455556666'),
    });

    expect(unknownOwner.findings.map((finding) => finding.kind)).toEqual(['destination-owner-unverified']);
    expect(unknownOwner.actions).toEqual([]);
  });
});

describe('plan() statements for a policy this service may not change', () => {
  const readOnly = (statements: Parameters<typeof makePolicy>[0]) =>
    destinationWithPolicy(statements, DESTINATION_BUCKET, { account: '444455556666', writable: false });

  it('carries our statement extended with this source when the policy already holds our Sid, to replace it', () => {
    const destination = readOnly([foreignStatement(), ourDestinationGrant(['other-source'])]);

    const result = planOne({ destination });

    expect(result.findings).toEqual([
      {
        kind: 'destination-grant-required',
        configId: 'daily-csv',
        target: DESTINATION_BUCKET,
        message:
          'Bucket source-bucket, configuration daily-csv: destination bucket inventory-reports policy does not allow the delivery and this service may not change it; its owner must put this statement in place of the one with Sid "S3irInventoryDelivery"',
        statement: accountDestinationGrant(),
        replacesSid: 'S3irInventoryDelivery',
      },
    ]);
    expect(result.actions.map((action) => action.key)).toEqual(['create-configuration:daily-csv']);
  });

  it('gives every configuration of the bucket the same merged statement', () => {
    const destination = readOnly([ourDestinationGrant(['other-source'])]);
    const facts = makeBucketFacts({ destinations: [destination] });
    const desired = makeDesiredBucket([makeConfiguration({ Id: 'a' }), makeConfiguration({ Id: 'b' })]);

    const result = plan(desired, [], facts, ALLOWED);

    expect(result.findings.map((finding) => [finding.configId, finding.statement])).toEqual([
      ['a', accountDestinationGrant()],
      ['b', accountDestinationGrant()],
    ]);
  });

  it('extends our key statement the same way', () => {
    const key = makeKeyFacts(KEY_ARN, {
      account: '444455556666',
      writable: false,
      policy: { state: 'present', document: makePolicy([rootStatement(), ourKeyGrant(['other-source'])]) },
    });

    const result = planOne({ destination: grantedDestination(), key, configuration: makeKmsConfiguration() });

    expect(result.findings).toEqual([
      {
        kind: 'key-grant-required',
        configId: 'daily-csv',
        target: KEY_ARN,
        message: `Bucket source-bucket, configuration daily-csv: KMS key ${KEY_ARN} policy does not allow the delivery and this service may not change it; its owner must put this statement in place of the one with Sid "S3irInventoryKeyGrant"`,
        statement: accountKeyGrant(),
        replacesSid: 'S3irInventoryKeyGrant',
      },
    ]);
  });

  it('names the tag to add when the key is ours but not tagged for the service', () => {
    const key = makeKeyFacts(KEY_ARN, {
      writable: false,
      inventoryKeyTag: false,
      policy: { state: 'present', document: makePolicy([rootStatement()]) },
    });

    const result = planOne({ destination: grantedDestination(), key, configuration: makeKmsConfiguration() });

    expect(result.actions.filter((action) => action.kind === 'grant-key')).toEqual([]);
    expect(result.findings).toEqual([
      {
        kind: 'key-grant-required',
        configId: 'daily-csv',
        target: KEY_ARN,
        message: `Bucket source-bucket, configuration daily-csv: KMS key ${KEY_ARN} policy does not allow the delivery and this service may not change it; the key lacks the tag s3ir:inventory-key = true (tag it and the service adds its grant), or its owner must add the statement`,
        statement: accountKeyGrant(),
      },
    ]);
  });

  it('asks to fix or remove our statement when it was edited so that even extended it cannot grant', () => {
    const edited = { ...ourDestinationGrant(['other-source']), Action: 's3:GetObject' };

    const [finding] = planOne({ destination: readOnly([edited]) }).findings;

    expect(finding).toEqual({
      kind: 'destination-grant-required',
      configId: 'daily-csv',
      target: DESTINATION_BUCKET,
      message:
        'Bucket source-bucket, configuration daily-csv: destination bucket inventory-reports policy cannot take our grant: Statement "S3irInventoryDelivery" of the destination-policy was edited so that it cannot grant the delivery; fix or remove that statement',
      statement: accountDestinationGrant(),
    });
  });

  it('reports a statement the policy has no room for instead of asking for it', () => {
    const bulky = Array.from({ length: 91 }, (_, index) => foreignStatement(`Foreign${index}`));

    const result = planOne({ destination: readOnly(bulky) });

    expect(result.findings.map((finding) => finding.kind)).toEqual(['policy-too-large']);
  });
});

describe('plan() key checks', () => {
  const planKey = (key: KeyFacts | undefined) =>
    planOne({ destination: grantedDestination(), key, configuration: makeKmsConfiguration() });
  const findingOf = (key: KeyFacts | undefined) => {
    const result = planKey(key);
    expect(result.actions.map((action) => action.key)).toEqual(['create-configuration:daily-csv']);
    return result.findings;
  };
  const message = (why: string) => `Bucket source-bucket, configuration daily-csv: KMS key ${KEY_ARN} ${why}`;

  it('grants the key policy, keeping every other statement', () => {
    const result = planKey(makeKeyFacts());

    expect(result.findings).toEqual([]);
    expect(result.actions).toEqual([
      {
        kind: 'grant-key',
        key: `grant-key:${KEY_ARN}`,
        keyArn: KEY_ARN,
        mode: 'enforce',
        dependsOn: [],
        reason: `The policy of KMS key ${KEY_ARN} must allow S3 Inventory delivery from source-bucket (daily-csv)`,
        before: makePolicy([rootStatement()]),
        after: makePolicy([rootStatement(), accountKeyGrant()]),
      },
      expect.objectContaining({ key: 'create-configuration:daily-csv', dependsOn: [`grant-key:${KEY_ARN}`] }),
    ]);
  });

  it('needs nothing when the key already grants S3', () => {
    const key = makeKeyFacts(KEY_ARN, {
      policy: { state: 'present', document: makePolicy([rootStatement(), accountKeyGrant()]) },
    });

    expect(findingOf(key)).toEqual([]);
  });

  it('reports a key it has no facts about, or that does not exist', () => {
    const missing = {
      kind: 'key-missing',
      configId: 'daily-csv',
      target: KEY_ARN,
      message: message('does not exist'),
    };

    expect(findingOf(undefined)).toEqual([missing]);
    expect(findingOf(makeKeyFacts(KEY_ARN, { exists: false }))).toEqual([missing]);
  });

  it('reports an AWS managed key', () => {
    expect(findingOf(makeKeyFacts(KEY_ARN, { keyManager: 'AWS' }))).toEqual([
      {
        kind: 'key-aws-managed',
        configId: 'daily-csv',
        target: KEY_ARN,
        message: message('is AWS managed; S3 Inventory needs a customer managed key'),
      },
    ]);
  });

  it('reports a key that is not enabled', () => {
    expect(findingOf(makeKeyFacts(KEY_ARN, { keyState: 'PendingDeletion' }))).toEqual([
      expect.objectContaining({
        kind: 'key-not-enabled',
        message: message('is PendingDeletion, not Enabled'),
      }),
    ]);
    expect(findingOf(makeKeyFacts(KEY_ARN, { keyState: undefined }))).toEqual([
      expect.objectContaining({
        kind: 'key-not-enabled',
        message: message('is in an unknown state, not Enabled'),
      }),
    ]);
  });

  it('reports an asymmetric key', () => {
    expect(findingOf(makeKeyFacts(KEY_ARN, { keySpec: 'RSA_2048' }))).toEqual([
      expect.objectContaining({
        kind: 'key-not-symmetric',
        message: message('has spec RSA_2048; S3 Inventory needs SYMMETRIC_DEFAULT'),
      }),
    ]);
  });

  it('reports a key whose usage is not ENCRYPT_DECRYPT, even when its spec is unknown', () => {
    const hmac = makeKeyFacts(KEY_ARN, { keySpec: undefined, keyUsage: 'GENERATE_VERIFY_MAC' });

    expect(findingOf(hmac)).toEqual([
      {
        kind: 'key-wrong-usage',
        configId: 'daily-csv',
        target: KEY_ARN,
        message: message('has usage GENERATE_VERIFY_MAC; S3 Inventory needs ENCRYPT_DECRYPT'),
      },
    ]);
  });

  it('accepts a key whose usage is not reported (moto omits KeyUsage)', () => {
    const key = makeKeyFacts(KEY_ARN, {
      keyUsage: undefined,
      policy: { state: 'present', document: makePolicy([rootStatement(), accountKeyGrant()]) },
    });

    expect(findingOf(key)).toEqual([]);
  });

  it("reports a key outside the source's region, from its facts or else from its ARN", () => {
    const expected = [
      expect.objectContaining({
        kind: 'key-region-mismatch',
        message: message("is in eu-west-1, not in the source's region us-east-1"),
      }),
    ];
    expect(findingOf(makeKeyFacts(KEY_ARN, { region: 'eu-west-1' }))).toEqual(expected);

    const euArn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const result = planOne({
      destination: grantedDestination(),
      key: makeKeyFacts(euArn, { region: undefined }),
      configuration: makeKmsConfiguration(euArn),
    });
    expect(result.findings.map((finding) => finding.kind)).toEqual(['key-region-mismatch']);
  });

  it("asks the owner of another account's key for the exact statement", () => {
    const key = makeKeyFacts(KEY_ARN, { account: '444455556666', writable: false });

    expect(findingOf(key)).toEqual([
      {
        kind: 'key-grant-required',
        configId: 'daily-csv',
        target: KEY_ARN,
        message: message(
          'policy does not allow the delivery and this service may not change it; its owner must add the statement',
        ),
        statement: {
          Sid: 'S3irInventoryKeyGrant',
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: ['kms:GenerateDataKey'],
          Resource: '*',
          Condition: {
            StringEquals: { 'aws:SourceAccount': '111122223333' },
            ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::*' },
          },
        },
      },
    ]);
  });

  it('asks for the statement when the key policy cannot be read', () => {
    const unreadable = makeKeyFacts(KEY_ARN, {
      policy: { state: 'unreadable', reason: 'AccessDeniedException' },
    });
    const unseen = makeKeyFacts(KEY_ARN, { policy: { state: 'none' } });

    expect(findingOf(unreadable)).toEqual([
      expect.objectContaining({
        kind: 'key-grant-required',
        message: message('policy cannot be read (AccessDeniedException); its owner must add the statement'),
        statement: accountKeyGrant(),
      }),
    ]);
    expect(findingOf(unseen)).toEqual([
      expect.objectContaining({
        kind: 'key-grant-required',
        message: message('policy cannot be read (no policy); its owner must add the statement'),
      }),
    ]);
  });

  it('reports a key policy that explicitly denies S3', () => {
    const deny = {
      Sid: 'NoS3',
      Effect: 'Deny',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'kms:*',
      Resource: '*',
    };
    const key = makeKeyFacts(KEY_ARN, {
      policy: { state: 'present', document: makePolicy([rootStatement(), deny]) },
    });

    expect(findingOf(key)).toEqual([
      expect.objectContaining({
        kind: 'key-denied',
        message: message('policy explicitly denies the delivery'),
      }),
    ]);
  });

  it('checks no key for a configuration whose destination is refused', () => {
    const result = planOne({
      destination: makeDestinationFacts(DESTINATION_BUCKET, { region: 'eu-west-1' }),
      key: makeKeyFacts(KEY_ARN, { keyState: 'Disabled' }),
      configuration: makeKmsConfiguration(),
    });

    // A refused destination stops the configuration there: its key is neither checked nor granted.
    expect(result.findings.map((finding) => finding.kind)).toEqual(['destination-region-mismatch']);
    expect(result.actions).toEqual([]);
  });

  it('folds every configuration using a key into one key grant', () => {
    const configurations = [
      makeKmsConfiguration(KEY_ARN, { Id: 'one' }),
      withDestination(makeKmsConfiguration(KEY_ARN, { Id: 'two' }), 'other-reports'),
    ];
    const facts = makeBucketFacts({
      destinations: [
        grantedDestination(),
        destinationWithPolicy([ourDestinationGrant(['source-bucket'], 'other-reports')], 'other-reports'),
      ],
      keys: [makeKeyFacts()],
    });

    const result = plan(makeDesiredBucket(configurations), [], facts, ALLOWED);

    expect(result.findings).toEqual([]);
    expect(result.actions.map((action) => [action.key, action.dependsOn])).toEqual([
      [`grant-key:${KEY_ARN}`, []],
      ['create-configuration:one', [`grant-key:${KEY_ARN}`]],
      ['create-configuration:two', [`grant-key:${KEY_ARN}`]],
    ]);
  });
});
