import { explainDelivery } from '../../../lib/core/policy/allowsDelivery.js';
import type { Evaluation } from '../../../lib/core/policy/evaluate/evaluateStatements.js';
import { parsePolicy } from '../../../lib/core/policy/parsePolicy.js';
import type { DeliverySource, PolicyDocument } from '../../../lib/core/policy/types.js';
import type { StoredInventoryConfiguration } from '../s3Inventory/types.js';
import type { DeliveryFactsReader } from './DeliveryFactsReader.js';
import type { BucketFacts, DeliveryPlan, KeyFacts } from './types.js';

/** Why a delivery would not happen, or the facts to deliver with. `source-gone`: nothing to report on. */
export type DeliveryDecision = { refused: string } | { plan: DeliveryPlan } | 'source-gone';

const keyStates: Record<string, string> = { Disabled: 'disabled', PendingDeletion: 'pending deletion' };

/** Parses a policy; the reason why not as a string. */
function policyDocument(text: string, what: string): PolicyDocument | string {
  try {
    return parsePolicy(text);
  } catch (error) {
    return `${what} is not a policy document: ${(error as Error).message}`;
  }
}

/** Reason for a verdict that is not `allowed`, naming the statement that denies; undefined when allowed. */
function verdictReason({ verdict, denying }: Evaluation, subject: string, action: string, source: string) {
  if (verdict === 'explicit-deny') {
    const which = denying?.sid === undefined ? `#${denying?.index ?? 0}` : `"${denying.sid}"`;
    return `${subject} explicitly denies ${action} from ${source} (statement ${which})`;
  }
  if (verdict === 'implicit-deny') return `${subject} does not allow ${action} from ${source}`;
  return undefined;
}

function refuseForDestination(
  source: BucketFacts & { owner: string },
  destination: BucketFacts | undefined,
  destinationName: string,
  configuration: StoredInventoryConfiguration,
): string | undefined {
  if (!destination) return `destination bucket ${destinationName} does not exist`;
  const accountId = configuration.Destination.S3BucketDestination.AccountId;
  if (accountId !== undefined && accountId !== destination.owner)
    return `AccountId ${accountId} is not the owner of ${destinationName} (${destination.owner ?? 'an unknown account'})`;
  if (destination.region !== source.region)
    return `destination in ${destination.region}, source in ${source.region}`;
  return undefined;
}

function refuseForKey(
  key: KeyFacts | undefined,
  keyId: string,
  deliverySource: DeliverySource,
  sourceRegion: string,
) {
  if (!key) return `key not found (${keyId})`;
  if (key.awsManagedAlias)
    return `key is AWS managed (${key.awsManagedAlias}); S3 Inventory needs a customer managed key`;
  if (key.state !== 'Enabled') return `key ${keyStates[key.state] ?? `in state ${key.state}`} (${key.arn})`;
  if (key.region !== sourceRegion) return `key in ${key.region}, source in ${sourceRegion}`;
  if (key.policy === undefined)
    return `key policy does not allow kms:GenerateDataKey for ${deliverySource.sourceBucket} (no policy)`;
  const document = policyDocument(key.policy, 'key policy');
  if (typeof document === 'string') return document;
  const evaluation = explainDelivery(document, { ...deliverySource, keyArn: key.arn }, 'key-policy');
  return verdictReason(evaluation, 'key policy', 'kms:GenerateDataKey', deliverySource.sourceBucket);
}

/**
 * Decides whether S3 would deliver this configuration's report now, as docs/aws-facts.md §2–§4 say: the
 * destination exists, AccountId (if set) names its owner, it is in the source's region, its policy
 * lets s3.amazonaws.com put this source's reports, and for SSE-KMS the key exists, is customer
 * managed, enabled, in the region, and its policy allows kms:GenerateDataKey for this source. The
 * policies are judged by lib/policy's evaluator: the semantics the reconciler relies on.
 */
export async function decideDelivery(
  sourceBucket: string,
  configuration: StoredInventoryConfiguration,
  facts: DeliveryFactsReader,
): Promise<DeliveryDecision> {
  const destinationArn = configuration.Destination.S3BucketDestination.Bucket;
  const [, partition = 'aws', , , , destinationName = ''] = destinationArn.split(':');
  const [source, destination] = await Promise.all([
    facts.bucket(sourceBucket),
    facts.bucket(destinationName),
  ]);
  if (!source) return 'source-gone';
  if (!source.owner)
    return { refused: `the owner of source bucket ${sourceBucket} is not known to the local AWS` };
  const owned = { ...source, owner: source.owner };
  const destinationRefusal = refuseForDestination(owned, destination, destinationName, configuration);
  if (destinationRefusal || !destination) return { refused: destinationRefusal ?? 'unreachable' };
  const { Prefix: prefix, Encryption: encryption } = configuration.Destination.S3BucketDestination;
  const deliverySource: DeliverySource = {
    sourceBucket,
    sourceAccount: owned.owner,
    partition,
    destinationBucket: destinationName,
    ...(prefix ? { destinationPrefix: prefix } : {}),
    configurationId: configuration.Id,
  };
  const policy = await facts.bucketPolicy(destinationName);
  if (policy === undefined)
    return {
      refused: `destination policy does not allow delivery from ${sourceBucket} (${destinationName} has no bucket policy)`,
    };
  const document = policyDocument(policy, 'destination policy');
  if (typeof document === 'string') return { refused: document };
  const evaluation = explainDelivery(document, deliverySource, 'destination-policy');
  const policyRefusal = verdictReason(evaluation, 'destination policy', 'delivery', sourceBucket);
  if (policyRefusal) return { refused: policyRefusal };
  const plan: DeliveryPlan = { source: owned, destination, configuration, destinationArn, partition };
  if (!encryption || !('SSEKMS' in encryption)) return { plan };
  const keyId = encryption.SSEKMS.KeyId;
  const key = await facts.key(keyId, { account: owned.owner, region: owned.region });
  const keyRefusal = refuseForKey(key, keyId, deliverySource, owned.region);
  return keyRefusal || !key ? { refused: keyRefusal ?? 'unreachable' } : { plan: { ...plan, key } };
}
