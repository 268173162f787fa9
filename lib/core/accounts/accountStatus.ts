/**
 * What the service knows is wrong with a member account (#18), kept so that a failing or departed account is
 * said once (status, one alert, one audit event) and its recovery once, not at every sweep. Only an account
 * that something happened to has one: a healthy account that never failed has none.
 */
export const AccountState = {
  /** Discovery works again, or the account is allowed again: kept so that `s3ir status` can say since when. */
  Ok: 'ok',
  /** Its last discovery failed (the role could not be assumed, its buckets could not be listed). */
  DiscoveryFailed: 'discovery-failed',
  /** It left the allowed organization or OUs (suspended, closed, removed, moved): no longer reconciled. */
  LeftOrganization: 'left-organization',
} as const;
export type AccountState = (typeof AccountState)[keyof typeof AccountState];

/** What can be wrong with an account; each has its own alert lifecycle, as a bucket's conditions do. */
export type AccountCondition = 'discovery-failed' | 'left-organization';

/** One condition that holds. */
export interface AccountConditionStatus {
  /** What exactly is wrong (the failed step and its error code, not the message): a change re-alerts. */
  fingerprint: string;
  /** ISO 8601 UTC: since when the condition holds unchanged. */
  since: string;
  /** ISO 8601 UTC: when its last alert was sent. */
  lastAlertAt: string;
  /** One line, as the alert said it. */
  summary: string;
  /** For `discovery-failed`: the call that failed (`AssumeRole`, `ListBuckets`, …) and its error code. */
  step?: string;
  code?: string;
}

/** One member account's status (the state table's `{bucket: '#account-status', id: <account>}` item). */
export interface AccountStatus {
  account: string;
  /** The worst condition that holds: left-organization > discovery-failed > ok. */
  state: AccountState;
  /** ISO 8601 UTC: since when `state` holds. */
  since: string;
  conditions: Partial<Record<AccountCondition, AccountConditionStatus>>;
  /** The run that last changed it. */
  runId: string;
  /** Optimistic concurrency, as a bucket's status: written only if the stored version is `version - 1`. */
  version: number;
}

/** Where account statuses live. */
export interface AccountStatusStore {
  get(account: string): Promise<AccountStatus | undefined>;
  /** Writes `status` if the stored version is still `status.version - 1` (absent for 1); false if not. */
  put(status: AccountStatus): Promise<boolean>;
  /** Every account's status, sorted by account. */
  list(): Promise<AccountStatus[]>;
}

/** What one failed discovery says: which call failed, its error code and message. */
export interface DiscoveryFailure {
  step: string;
  code: string;
  message: string;
}

/**
 * The audit chain and alert `bucket` of an account's events: `#account:<id>`. `#` never starts a bucket
 * name, so it never shares a chain with a bucket (as `#templates` and `#hold` do not).
 */
export function accountSubject(account: string): string {
  return `#account:${account}`;
}

/** The operations discovery calls, as adapter errors name them first in their message (`AssumeRole arn:…: …`). */
const DISCOVERY_STEPS = ['AssumeRole', 'ListBuckets', 'GetResources', 'HeadBucket'] as const;

/**
 * A discovery error as a {@link DiscoveryFailure}: the step from the message's first word when it is one of
 * discovery's calls (else `discovery`), the code from the error (`code`, else its name). Pure.
 */
export function discoveryFailureOf(error: unknown): DiscoveryFailure {
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split(/[\s:]/, 1)[0] ?? '';
  const step = (DISCOVERY_STEPS as readonly string[]).includes(first) ? first : 'discovery';
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  const text = typeof code === 'string' && code !== '' ? code : typeof name === 'string' ? name : 'Error';
  return { step, code: text, message: message.replace(/\s*\n\s*/g, ' ') };
}
