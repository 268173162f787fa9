import { MalformedPolicyError } from '../../core/policy/errors.js';
import type { PolicyDocument } from '../../core/policy/types.js';
import type { ObservedPolicy } from '../../core/reconcile/types.js';
import { AccessDeniedError, NotFoundError } from './errors.js';

/** An observed policy, or word that its holder (bucket or key) does not exist. */
export type PolicyObservation = ObservedPolicy | { state: 'holder-missing' };

/**
 * Runs a policy read and says what was seen: `none`, `present`, `unreadable` (access denied, or text
 * that is not a policy), or `holder-missing` (the bucket or key itself is gone).
 * @throws whatever else the read threw (throttling, network): worth a retry, not a verdict.
 */
export async function observePolicy(
  read: () => Promise<PolicyDocument | undefined>,
): Promise<PolicyObservation> {
  try {
    const document = await read();
    return document === undefined ? { state: 'none' } : { state: 'present', document };
  } catch (error) {
    if (error instanceof AccessDeniedError)
      return { state: 'unreadable', reason: `${error.code}: ${error.message}` };
    if (error instanceof MalformedPolicyError) return { state: 'unreadable', reason: error.message };
    if (error instanceof NotFoundError && (error.resource === 'bucket' || error.resource === 'key')) {
      return { state: 'holder-missing' };
    }
    throw error;
  }
}

/** A policy nobody could read, with the reason. */
export function unreadable(reason: string): ObservedPolicy {
  return { state: 'unreadable', reason };
}
