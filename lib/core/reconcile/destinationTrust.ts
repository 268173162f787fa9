import type { InventoryConfiguration } from '../inventory/types.js';
import { sameRegion } from './deliveryTargets.js';
import { foreignReaders } from './foreignReaders.js';
import type { BucketFacts, Finding, FindingKind } from './types.js';

/** Whether a configuration may deliver to its destination: the verified owner, or why not. */
export type DestinationVerdict = { usable: true; owner: string } | { usable: false; finding: Finding };

const ALLOWED_SETTING = 'S3IR_ALLOWED_ACCOUNTS';

/**
 * The trust boundary for one configuration's destination (issue 13): reports may go only to a bucket that
 * exists, is in the source's region, whose owner S3 itself confirmed (`ownerVerified`: a call with
 * ExpectedBucketOwner was accepted), whose owner is an allowed account, matches the configuration's
 * AccountId when it names one, and whose policy lets nobody outside the allowed accounts read the reports.
 * An AccountId naming an account that is not allowed is refused before anything else: where the bucket is
 * and who owns it then no longer matter. Returns the verified owner, or the one finding that says why not;
 * `consequence` ends its message (what the service does about it).
 */
export function destinationVerdict(
  configId: string,
  destinationBucket: string,
  configuration: InventoryConfiguration,
  facts: BucketFacts,
  allowed: ReadonlySet<string>,
  consequence: string,
): DestinationVerdict {
  const destination = facts.destinations[destinationBucket];
  const declared = configuration.Destination?.S3BucketDestination?.AccountId;
  const say = (why: string) =>
    `Bucket ${facts.bucket}, configuration ${configId}: destination bucket ${destinationBucket} ${why}; ${consequence}`;
  const refuse = (kind: FindingKind, why: string, account?: string): DestinationVerdict => ({
    usable: false,
    finding: {
      kind,
      configId,
      target: destinationBucket,
      ...(account !== undefined && { account }),
      message: say(why),
    },
  });
  if (declared !== undefined && !allowed.has(declared)) {
    return refuse(
      'destination-not-allowed',
      `is declared in account ${declared} (AccountId), which is not in ${ALLOWED_SETTING}`,
      declared,
    );
  }
  if (!destination?.exists) {
    // Its account: the one that would have to own it (AccountId, else the source's).
    const expected = declared ?? facts.account;
    return refuse('destination-missing', `does not exist (expected owner: account ${expected})`, expected);
  }
  const account = destination.account;
  if (destination.region !== undefined && !sameRegion(destination.region, facts.region)) {
    const why = `is in ${destination.region}, not in the source's region ${facts.region}`;
    return refuse('destination-region-mismatch', why, account);
  }
  if (declared !== undefined && account !== undefined && declared !== account) {
    // S3 checks AccountId against the destination's owner before it exports:
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_S3BucketDestination.html
    const why =
      `is owned by account ${account}, not AccountId ${declared}; ` +
      'S3 refuses to export when AccountId does not match the destination owner';
    return refuse('destination-account-mismatch', why, account);
  }
  if (destination.ownerVerified !== true || account === undefined) {
    const whose = account === undefined ? 'an account we know' : `account ${account}`;
    const why =
      `is not proved to be owned by ${whose} (S3 did not accept ExpectedBucketOwner); ` +
      'if another allowed account owns it, declare that account as AccountId';
    return refuse('destination-owner-unverified', why, account);
  }
  if (!allowed.has(account)) {
    const why = `is owned by account ${account}, which is not in ${ALLOWED_SETTING}`;
    return refuse('destination-not-allowed', why, account);
  }
  const document = destination.policy.state === 'present' ? destination.policy.document : undefined;
  const readers = foreignReaders(document, allowed);
  if (readers.length > 0) {
    const named = readers
      .map((reader) =>
        reader.sid === undefined ? reader.principal : `${reader.principal} (Sid "${reader.sid}")`,
      )
      .join(', ');
    const why =
      `(account ${account}) has a policy that lets ${named} read its objects, outside ${ALLOWED_SETTING}; ` +
      'reports delivered there would leave the allowed accounts';
    return refuse('destination-shared', why, account);
  }
  return { usable: true, owner: account };
}

/** The allowed accounts of a plan: as given, else the source bucket's own account alone. */
export function allowedOf(options: { allowedAccounts?: ReadonlySet<string> }, facts: BucketFacts) {
  return options.allowedAccounts ?? new Set([facts.account]);
}
