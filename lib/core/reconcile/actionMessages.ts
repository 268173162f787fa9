import type { AccountChange, PlanAction } from './types.js';

/**
 * `set S3 delivery on reports to accounts 111122223333, 222233334444 (added 222233334444; removed 333344445555)`.
 */
function sweepGrantPhrase(action: PlanAction, change: AccountChange): ActionPhrase {
  const on =
    'destinationBucket' in action ? action.destinationBucket : `key ${(action as { keyArn: string }).keyArn}`;
  const named = change.accounts.length === 0 ? 'no account' : `accounts ${change.accounts.join(', ')}`;
  const parts = [
    change.added.length > 0 ? `added ${change.added.join(', ')}` : undefined,
    change.removed.length > 0 ? `removed ${change.removed.join(', ')}` : undefined,
  ].filter((part) => part !== undefined);
  const deleted =
    'after' in action && action.after === undefined ? '; the policy held only that grant: deleted it' : '';
  const detail = parts.length === 0 && deleted === '' ? '' : ` (${parts.join('; ')}${deleted})`;
  return { done: 'set', todo: 'set', object: `S3 delivery on ${on} to ${named}`, detail };
}

/** An action said as a verb (past and base form), its object and a detail, for audit messages. */
interface ActionPhrase {
  done: string;
  todo: string;
  object: string;
  detail: string;
}

function phraseOf(action: PlanAction, bucket: string): ActionPhrase {
  // A sweep-level grant (#18) sets our statement's accounts: it is about accounts, not one source bucket.
  if ('accounts' in action && action.accounts) return sweepGrantPhrase(action, action.accounts);
  const delivery = (on: string) => `S3 delivery from ${bucket} on ${on}`;
  switch (action.kind) {
    case 'create-configuration':
      return { done: 'created', todo: 'create', object: `inventory ${action.id} on ${bucket}`, detail: '' };
    case 'update-configuration': {
      const paths = action.fields.map((field) => field.path).join(', ');
      const detail = paths === '' ? '' : ` (${paths})`;
      return { done: 'updated', todo: 'update', object: `inventory ${action.id} on ${bucket}`, detail };
    }
    case 'delete-configuration':
      return { done: 'deleted', todo: 'delete', object: `inventory ${action.id} on ${bucket}`, detail: '' };
    case 'grant-destination':
      return { done: 'granted', todo: 'grant', object: delivery(action.destinationBucket), detail: '' };
    case 'grant-key':
      return { done: 'granted', todo: 'grant', object: delivery(`key ${action.keyArn}`), detail: '' };
    case 'revoke-destination': {
      // Removing our statement from a policy that held only it deletes the policy (lib/core/policy/removeDelivery).
      const detail = action.after === undefined ? ' (the policy held only that grant: deleted it)' : '';
      return { done: 'revoked', todo: 'revoke', object: delivery(action.destinationBucket), detail };
    }
    case 'revoke-key':
      return { done: 'revoked', todo: 'revoke', object: delivery(`key ${action.keyArn}`), detail: '' };
  }
}

/**
 * What a change did, in the past tense: `granted S3 delivery from photos-5 on reports-dst`,
 * `created inventory daily on photos-5`, `updated inventory daily on photos-5 (Schedule.Frequency)`.
 */
export function appliedMessage(action: PlanAction, bucket: string): string {
  const phrase = phraseOf(action, bucket);
  return `${phrase.done} ${phrase.object}${phrase.detail}`;
}

/** Drift left in place, and why: `did not create inventory daily on photos-5 (report-only)`. */
export function notAppliedMessage(action: PlanAction, bucket: string, why: string): string {
  const phrase = phraseOf(action, bucket);
  return `did not ${phrase.todo} ${phrase.object}${phrase.detail} (${why})`;
}

/** A change that failed: `could not grant S3 delivery from photos-5 on reports-dst: AccessDenied …`. */
export function failedMessage(action: PlanAction, bucket: string, error: string): string {
  const phrase = phraseOf(action, bucket);
  return `could not ${phrase.todo} ${phrase.object}${phrase.detail}: ${error}`;
}

/** An undeclared configuration found and kept: the bucket does not opt into prune. */
export function unmanagedMessage(id: string, bucket: string): string {
  return `found inventory ${id} on ${bucket}, which is not declared: left it in place (the bucket does not opt into prune)`;
}
