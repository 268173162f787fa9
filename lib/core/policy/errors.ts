import type { GrantTarget } from './types.js';

/** Base of every error lib/policy throws. */
export class PolicyError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PolicyError';
  }
}

/** The text is not a policy document: not JSON, or no usable `Statement`. */
export class MalformedPolicyError extends PolicyError {
  readonly reason: string;

  constructor(options: { reason: string; cause?: unknown }) {
    super(`Malformed policy: ${options.reason}`, { cause: options.cause });
    this.name = 'MalformedPolicyError';
    this.reason = options.reason;
  }
}

/** Adding our grant would make the policy larger than its target accepts. */
export class PolicySizeLimitError extends PolicyError {
  readonly target: GrantTarget;
  readonly size: number;
  readonly limit: number;

  constructor(options: { target: GrantTarget; size: number; limit: number }) {
    super(`The ${options.target} would be ${options.size} bytes, over its limit of ${options.limit} bytes`);
    this.name = 'PolicySizeLimitError';
    this.target = options.target;
    this.size = options.size;
    this.limit = options.limit;
  }
}

/** An explicit Deny matches the delivery, so adding an Allow cannot help: a human must change that statement. */
export class DeliveryDeniedError extends PolicyError {
  readonly target: GrantTarget;
  /** Sid of the denying statement, if it has one. */
  readonly sid: string | undefined;
  /** Position of the denying statement in `Statement` (0 when `Statement` is a single object). */
  readonly statementIndex: number;

  constructor(options: { target: GrantTarget; sid: string | undefined; statementIndex: number }) {
    const which = options.sid === undefined ? `#${options.statementIndex}` : `"${options.sid}"`;
    super(`Statement ${which} of the ${options.target} explicitly denies the inventory delivery`);
    this.name = 'DeliveryDeniedError';
    this.target = options.target;
    this.sid = options.sid;
    this.statementIndex = options.statementIndex;
  }
}

/** Our own statement (found by Sid) was edited so that adding this source still does not grant delivery. */
export class GrantStatementEditedError extends PolicyError {
  readonly target: GrantTarget;
  readonly sid: string;

  constructor(options: { target: GrantTarget; sid: string }) {
    super(
      `Statement "${options.sid}" of the ${options.target} was edited so that it cannot grant the delivery; ` +
        'fix or remove that statement',
    );
    this.name = 'GrantStatementEditedError';
    this.target = options.target;
    this.sid = options.sid;
  }
}
