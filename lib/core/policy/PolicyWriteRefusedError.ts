import { PolicyError } from './errors.js';
import type { GrantTarget } from './types.js';

const LABELS: Readonly<Record<GrantTarget, string>> = {
  'destination-policy': 'destination bucket',
  'key-policy': 'KMS key',
};

/**
 * The policy write guard refused a write: it would change a statement this service did not write, or
 * write one of ours that grants more than delivery. A bug or an attack, never a condition a retry can
 * clear: `retryable` is false, so the reconcile records it as `reconcile-failed` and stops.
 */
export class PolicyWriteRefusedError extends PolicyError {
  readonly target: GrantTarget;
  /** The destination bucket or the key ARN. */
  readonly targetName: string;
  /** Why, naming the statement concerned (its position and Sid) when there is one. */
  readonly reason: string;
  readonly retryable = false;

  constructor(options: { target: GrantTarget; name: string; reason: string }) {
    super(`Refused to write the policy of ${LABELS[options.target]} ${options.name}: ${options.reason}`);
    this.name = 'PolicyWriteRefusedError';
    this.target = options.target;
    this.targetName = options.name;
    this.reason = options.reason;
  }
}
