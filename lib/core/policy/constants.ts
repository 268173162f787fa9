import type { GrantTarget } from './types.js';

/** Sid of the destination bucket policy statement this service owns; alphanumeric, as IAM, S3 and KMS all accept. */
export const DESTINATION_GRANT_SID = 'S3irInventoryDelivery';

/** Sid of the KMS key policy statement this service owns. */
export const KEY_GRANT_SID = 'S3irInventoryKeyGrant';

/** Largest serialized policy (UTF-8 bytes) each target accepts (docs/aws-facts.md §2: 20 KB, §3: 32,768 bytes). */
export const POLICY_SIZE_LIMITS = { 'destination-policy': 20 * 1024, 'key-policy': 32 * 1024 } as const;

/** The Sid this service owns in each kind of policy. */
export const GRANT_SIDS: Readonly<Record<GrantTarget, string>> = {
  'destination-policy': DESTINATION_GRANT_SID,
  'key-policy': KEY_GRANT_SID,
};

/** The policy language version that enables policy variables; the one we write. */
export const POLICY_VERSION = '2012-10-17';

/** The principal S3 acts as when it delivers inventory reports. */
export const S3_SERVICE_PRINCIPAL = 's3.amazonaws.com';

/**
 * The tag a KMS key must carry (value `true`) before the service may change its policy: IAM allows
 * PutKeyPolicy only on keys tagged so (`aws:ResourceTag`), and the facts say `writable: false` without it.
 */
export const INVENTORY_KEY_TAG = { key: 's3ir:inventory-key', value: 'true' } as const;
