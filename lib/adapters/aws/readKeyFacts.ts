import type { KeyMetadata, KMSClient } from '@aws-sdk/client-kms';
import { INVENTORY_KEY_TAG } from '../../core/policy/constants.js';
import type { KeyFacts, ObservedPolicy } from '../../core/reconcile/types.js';
import { AccessDeniedError, AwsAdapterError, NotFoundError } from './errors.js';
import { KmsKeyPolicyAdapter } from './KmsKeyPolicyAdapter.js';
import { loadSdk } from './loadSdk.js';
import { observePolicy, unreadable } from './observePolicy.js';
import { kmsKeyScope } from './scopes.js';
import { callAws } from './toAdapterError.js';

export interface ReadKeyFactsOptions {
  /** A KMS client in the key's region: with the key account's credentials when `readPolicy`. */
  client: Pick<KMSClient, 'send'>;
  /**
   * False when we hold no credentials of the key's account: GetKeyPolicy and ListResourceTags do not work
   * across accounts.
   */
  readPolicy: boolean;
  /** Whether this service may change the key policy (an account it manages). */
  writable: boolean;
}

/**
 * What a reconcile needs to know about one KMS key: DescribeKey, GetKeyPolicy and ListResourceTags, in
 * parallel (the tags only with the key account's credentials). NotFoundException means the key does not
 * exist; AccessDenied leaves the metadata, the tag or the policy unknown (`unreadable`). A key is writable
 * only when its policy may be changed by us at all (`options.writable`, not AWS managed) and it carries the
 * tag `s3ir:inventory-key` = `true`: IAM allows PutKeyPolicy only then, so without it (or when the tag could
 * not be read) the grant is a finding naming the tag, not a write IAM would refuse.
 */
export async function readKeyFacts(keyArn: string, options: ReadKeyFactsOptions): Promise<KeyFacts> {
  const [metadata, policy, tagged] = await Promise.all([
    describeKey(options.client, keyArn),
    options.readPolicy
      ? observePolicy(() => new KmsKeyPolicyAdapter({ client: options.client }).get(keyArn))
      : Promise.resolve(
          unreadable('GetKeyPolicy does not work across accounts and no role could be assumed'),
        ),
    options.readPolicy ? hasInventoryKeyTag(options.client, keyArn) : Promise.resolve(undefined),
  ]);
  if (metadata === 'missing' || tagged === 'missing' || policy.state === 'holder-missing') {
    return { keyArn, exists: false, policy: { state: 'none' }, writable: false };
  }
  const scope = kmsKeyScope(metadata?.Arn ?? keyArn);
  const facts: KeyFacts = {
    keyArn,
    exists: true,
    policy: policy as ObservedPolicy,
    writable: options.writable && metadata?.KeyManager !== 'AWS' && tagged === true,
  };
  if (tagged !== undefined) facts.inventoryKeyTag = tagged;
  const fields: Partial<KeyFacts> = {
    region: scope.region,
    account: metadata?.AWSAccountId ?? scope.account,
    keyState: metadata?.KeyState,
    keyManager: metadata?.KeyManager,
    keySpec: metadata?.KeySpec ?? metadata?.CustomerMasterKeySpec,
    keyUsage: metadata?.KeyUsage,
  };
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined) Object.assign(facts, { [name]: value });
  }
  return facts;
}

/** KeyMetadata; `missing` for NotFoundException; `undefined` when we may not describe it. */
async function describeKey(
  client: Pick<KMSClient, 'send'>,
  keyArn: string,
): Promise<KeyMetadata | 'missing' | undefined> {
  const { DescribeKeyCommand } = await loadSdk('kms');
  try {
    const output = await callAws(`DescribeKey ${keyArn}`, () =>
      client.send(new DescribeKeyCommand({ KeyId: keyArn })),
    );
    return output.KeyMetadata;
  } catch (error) {
    if (error instanceof NotFoundError) return 'missing';
    if (error instanceof AccessDeniedError) return undefined;
    throw error;
  }
}

/** KMS returns at most 50 tags a page and a key holds at most 50 (AWS KMS quotas): one call, in practice. */
const TAGS_PER_PAGE = 50;

/**
 * Whether the key carries `s3ir:inventory-key` = `true` (ListResourceTags, every page; tag keys and values
 * are case-sensitive); `missing` for NotFoundException; `undefined` when we may not list its tags.
 */
async function hasInventoryKeyTag(
  client: Pick<KMSClient, 'send'>,
  keyArn: string,
): Promise<boolean | 'missing' | undefined> {
  const { ListResourceTagsCommand } = await loadSdk('kms');
  const seen = new Set<string>();
  let marker: string | undefined;
  try {
    do {
      const page = await callAws(`ListResourceTags ${keyArn}`, () =>
        client.send(
          new ListResourceTagsCommand({
            KeyId: keyArn,
            Limit: TAGS_PER_PAGE,
            ...(marker !== undefined && { Marker: marker }),
          }),
        ),
      );
      const found = (page.Tags ?? []).some(
        (tag) => tag.TagKey === INVENTORY_KEY_TAG.key && tag.TagValue === INVENTORY_KEY_TAG.value,
      );
      if (found) return true;
      marker = page.Truncated ? page.NextMarker : undefined;
      if (page.Truncated && (marker === undefined || seen.has(marker))) {
        throw new AwsAdapterError({
          code: 'InvalidPagination',
          message: `ListResourceTags ${keyArn}: a truncated page gave ${marker === undefined ? 'no' : 'a repeated'} NextMarker`,
        });
      }
      if (marker !== undefined) seen.add(marker);
    } while (marker !== undefined);
    return false;
  } catch (error) {
    if (error instanceof NotFoundError) return 'missing';
    if (error instanceof AccessDeniedError) return undefined;
    throw error;
  }
}
