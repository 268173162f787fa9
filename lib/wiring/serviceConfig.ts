import { AWS_DEFAULTS } from '../adapters/aws/constants.js';
import { isOrganizationUnitId } from '../core/organization/organizationIds.js';

/** The service's settings, read from the Lambda environment once per cold start. */
export interface ServiceConfig {
  desiredTable: string;
  /** The service's own bookkeeping (statuses, delivery health, leases, the brake's window and hold, outbox): `S3IR_STATE_TABLE`. */
  stateTable: string;
  auditTable: string;
  alertTopicArn?: string;
  /** Hours before an unchanged condition is alerted again (`S3IR_ALERT_REMINDER_HOURS`; 0: never; unset: 24). */
  alertReminderHours?: number;
  queueUrl?: string;
  crossAccountRoleName: string;
  /** Do not start a bucket with less than this many ms before the Lambda deadline (`S3IR_DEADLINE_MARGIN_MS`). */
  deadlineMarginMs?: number;
  /** The reconcile queue's redrive `maxReceiveCount` (`S3IR_MAX_RECEIVE_COUNT`): the last receive alerts. */
  maxReceiveCount?: number;
  /** Cap on every quick-retry delay, seconds (`S3IR_RETRY_DELAY_MAX_SECONDS`; 0 retries at once). */
  retryDelayMaxSeconds?: number;
  /** Blast-radius limits: over the account-wide brake's window (lib/usecases/brake/accountBrake), and per bucket. */
  maxChanges?: number;
  maxDeletes?: number;
  /** Days audit events are kept (DynamoDB TTL, `S3IR_AUDIT_RETENTION_DAYS`); absent: for ever (the default). */
  auditRetentionDays?: number;
  /** The reconcile function's own role: its CloudTrail calls are ignored, and it is the audit actor. */
  reconcileRoleArn?: string;
  /**
   * Accounts whose buckets the service may deliver to and act in (`S3IR_ALLOWED_ACCOUNTS`, comma-separated
   * 12-digit ids). Undefined: the home account alone. Set at deploy time only: never read from the table.
   */
  allowedAccounts?: string[];
  /** Read-only role the delivery check assumes in other accounts (`S3IR_READ_ROLE`; unset: `s3ir-read`). */
  readRoleName?: string;
  /**
   * Destination buckets whose policy the service may write (`S3IR_DESTINATION_BUCKETS`): names, or name
   * prefixes ending in `*`. Undefined (the variable is absent): no restriction; empty: none.
   */
  destinationBuckets?: string[];

  // Intents (issue 17, "no change without its record"): lib/wiring/intentWiring.ts.
  /**
   * Seconds an unfinished intent is left to its worker before a reconcile resolves it
   * (`S3IR_INTENT_GRACE_SECONDS`, 0–3600; unset: lib/usecases/reconcileBucket/resolveIntents INTENT_GRACE_MS).
   */
  intentGraceSeconds?: number;
  // Organization scale (#18): accounts resolved from AWS Organizations.
  /**
   * The organization (`o-…`) and OU (`ou-…`) ids of `S3IR_ALLOWED_ACCOUNTS`: every ACTIVE account in them is
   * allowed too, resolved through the Organizations API (lib/adapters/aws/OrganizationAccountDirectory).
   */
  allowedOrganizationUnits?: string[];
  /**
   * The role assumed for Organizations calls (`S3IR_ORGANIZATION_ROLE_ARN`): a role in the management or
   * delegated-administrator account. Unset: the service's own credentials ask (the home account is then that
   * account).
   */
  organizationRoleArn?: string;
  /** The discovery queue (`S3IR_DISCOVERY_QUEUE_URL`): one message per member account a sweep discovers. */
  discoveryQueueUrl?: string;
  // Audit anchors (issue 16): signed digests of the chain heads in an Object Lock bucket.
  /** The digest bucket (`S3IR_DIGEST_BUCKET`); absent: no anchors, verify checks the table alone. */
  digestBucket?: string;
  /** The asymmetric KMS key that signs digests (`S3IR_DIGEST_KEY_ID`): id, ARN or alias. */
  digestKeyId?: string;
  /** Days each digest stays locked (`S3IR_DIGEST_RETENTION_DAYS`; unset: 400). */
  digestRetentionDays?: number;
  // The account-wide brake (issue 17; lib/usecases/brake/accountBrake): `maxChanges` / `maxDeletes` above
  // count over this sliding window, across every run and writer.
  /** Minutes of the brake's window (`S3IR_BRAKE_WINDOW_MINUTES`, 1 to 1440; unset: 60). */
  brakeWindowMinutes?: number;
  // The first sweep's alerts summarised (#18 point 4): lib/usecases/recordTransition/summariseFirstAlerts.
  /**
   * First reconciles per run and account still alerted one by one before the rest are summarised
   * (`S3IR_ADOPTION_SINGLE_ALERTS`, 0 to 10000; unset: 0, every first reconcile summarised; `all`: none is,
   * and nothing is written for them).
   */
  adoptionSingleAlerts?: number | 'all';
}

/** A setting the function needs is missing or malformed: a deployment bug, reported at cold start. */
export class ServiceConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads `S3IR_*` (agreed with serverless.yml) with the Contract's defaults; `require` names the settings
 * this function cannot work without, so a bad deployment fails at start-up, not on the first message.
 */
export function readServiceConfig(
  env: Env,
  require: readonly ('alertTopicArn' | 'queueUrl')[] = [],
): ServiceConfig {
  const config: ServiceConfig = {
    desiredTable: env.S3IR_DESIRED_TABLE || 's3ir-desired-state',
    stateTable: env.S3IR_STATE_TABLE || 's3ir-state',
    auditTable: env.S3IR_AUDIT_TABLE || 's3ir-audit',
    crossAccountRoleName: env.S3IR_CROSS_ACCOUNT_ROLE || AWS_DEFAULTS.crossAccountRoleName,
  };
  if (env.S3IR_READ_ROLE) config.readRoleName = env.S3IR_READ_ROLE;
  const destinationBuckets = bucketPatterns(env, 'S3IR_DESTINATION_BUCKETS');
  if (destinationBuckets !== undefined) config.destinationBuckets = destinationBuckets;
  if (env.S3IR_ALERT_TOPIC_ARN) config.alertTopicArn = env.S3IR_ALERT_TOPIC_ARN;
  const reminderHours = hours(env, 'S3IR_ALERT_REMINDER_HOURS');
  if (reminderHours !== undefined) config.alertReminderHours = reminderHours;
  if (env.S3IR_QUEUE_URL) config.queueUrl = env.S3IR_QUEUE_URL;
  if (env.S3IR_RECONCILE_ROLE_ARN) config.reconcileRoleArn = env.S3IR_RECONCILE_ROLE_ARN;
  const maxChanges = limit(env, 'S3IR_MAX_CHANGES');
  const maxDeletes = limit(env, 'S3IR_MAX_DELETES');
  if (maxChanges !== undefined) config.maxChanges = maxChanges;
  if (maxDeletes !== undefined) config.maxDeletes = maxDeletes;
  const retention = env.S3IR_AUDIT_RETENTION_DAYS;
  // Off by default: unset, empty or 0 keeps events forever (serverless.yml passes 0 unless a stage sets it).
  if (retention !== undefined && retention !== '' && retention !== '0') {
    const days = Number(retention);
    if (!Number.isInteger(days) || days < 1)
      throw new ServiceConfigError(
        `S3IR_AUDIT_RETENTION_DAYS must be a whole number of days (1 or more; 0 = keep forever), not ${JSON.stringify(retention)}`,
      );
    config.auditRetentionDays = days;
  }
  const margin = wholeNumber(env, 'S3IR_DEADLINE_MARGIN_MS', 0, 900_000, 'milliseconds');
  if (margin !== undefined) config.deadlineMarginMs = margin;
  const receives = wholeNumber(env, 'S3IR_MAX_RECEIVE_COUNT', 1, 1_000, 'receives');
  if (receives !== undefined) config.maxReceiveCount = receives;
  // SQS takes a visibility timeout of at most 12 hours (ChangeMessageVisibility).
  const retryCap = wholeNumber(env, 'S3IR_RETRY_DELAY_MAX_SECONDS', 0, 43_200, 'seconds');
  if (retryCap !== undefined) config.retryDelayMaxSeconds = retryCap;
  Object.assign(config, digestSettings(env));
  // The account-wide brake's window (one counter item per minute: lib/core/brake/constants MAX_BRAKE_WINDOW_MINUTES).
  const brakeWindow = wholeNumber(env, 'S3IR_BRAKE_WINDOW_MINUTES', 1, 1_440, 'minutes');
  if (brakeWindow !== undefined) config.brakeWindowMinutes = brakeWindow;
  const allowed = allowedAccounts(env.S3IR_ALLOWED_ACCOUNTS);
  // Intents (issue 17): a grace below the reconcile timeout would resolve a live worker's intent.
  const intentGrace = wholeNumber(env, 'S3IR_INTENT_GRACE_SECONDS', 0, 3_600, 'seconds');
  if (intentGrace !== undefined) config.intentGraceSeconds = intentGrace;
  if (allowed.accounts !== undefined) config.allowedAccounts = allowed.accounts;
  if (allowed.units !== undefined) config.allowedOrganizationUnits = allowed.units;
  const organizationRole = env.S3IR_ORGANIZATION_ROLE_ARN;
  if (organizationRole) {
    if (!/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(organizationRole))
      throw new ServiceConfigError(
        `S3IR_ORGANIZATION_ROLE_ARN must be an IAM role ARN (arn:aws:iam::123456789012:role/name), not ${JSON.stringify(organizationRole)}`,
      );
    config.organizationRoleArn = organizationRole;
  }
  if (env.S3IR_DISCOVERY_QUEUE_URL) config.discoveryQueueUrl = env.S3IR_DISCOVERY_QUEUE_URL;
  // #18 point 4: how many first reconciles of a run and account alert one by one before the summary.
  const singleAlerts =
    env.S3IR_ADOPTION_SINGLE_ALERTS === 'all'
      ? 'all'
      : wholeNumber(env, 'S3IR_ADOPTION_SINGLE_ALERTS', 0, 10_000, 'buckets (or all)');
  if (singleAlerts !== undefined) config.adoptionSingleAlerts = singleAlerts;
  const names = { alertTopicArn: 'S3IR_ALERT_TOPIC_ARN', queueUrl: 'S3IR_QUEUE_URL' } as const;
  const missing = require.filter((key) => config[key] === undefined).map((key) => names[key]);
  if (missing.length > 0) throw new ServiceConfigError(`missing environment: ${missing.join(', ')}`);
  return config;
}

/**
 * `S3IR_ALLOWED_ACCOUNTS`: unset or empty (blanks and stray commas aside) means the home account alone.
 * Entries are 12-digit account ids, the organization's id (`o-…`) or OU ids (`ou-…`), in the formats the
 * Organizations API documents; the last two are resolved to their ACTIVE accounts at run time.
 */
function allowedAccounts(text: string | undefined): { accounts?: string[]; units?: string[] } {
  const entries = (text ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) return {};
  const bad = entries.find((entry) => !/^\d{12}$/.test(entry) && !isOrganizationUnitId(entry));
  if (bad !== undefined) {
    const why = /^(o|ou)-/.test(bad)
      ? `${JSON.stringify(bad)} is not an organization id (o- and 10 to 32 lowercase letters or digits) or an OU id (ou-, 4 to 32, -, 8 to 32)`
      : `${JSON.stringify(bad)} is not a 12-digit account id, an organization id (o-…) or an OU id (ou-…)`;
    throw new ServiceConfigError(
      `S3IR_ALLOWED_ACCOUNTS must be comma-separated account, organization or OU ids, not ${JSON.stringify(text)}: ${why}`,
    );
  }
  const accounts = [...new Set(entries.filter((entry) => /^\d{12}$/.test(entry)))];
  const units = [...new Set(entries.filter(isOrganizationUnitId))];
  return {
    ...(accounts.length > 0 && { accounts }),
    ...(units.length > 0 && { units }),
  };
}

/** A whole number from `min` to `max`; unset or empty: undefined (the caller's default). */
function wholeNumber(env: Env, name: string, min: number, max: number, unit: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new ServiceConfigError(
      `${name} must be a whole number of ${unit} from ${min} to ${max}, not ${JSON.stringify(text)}`,
    );
  }
  return value;
}

function limit(env: Env, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    throw new ServiceConfigError(`${name} must be a whole number of changes, not ${JSON.stringify(text)}`);
  }
  return value;
}

/** A number of hours, fractions allowed (`0.5`), 0 or more. */
function hours(env: Env, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    throw new ServiceConfigError(
      `${name} must be a number of hours (0 or more), not ${JSON.stringify(text)}`,
    );
  }
  return value;
}

/**
 * Comma-separated bucket names or name prefixes ending in `*` (`photos-*`; `*` alone: every bucket). Absent:
 * undefined; present but empty: `[]` (deliberately none). A `*` anywhere but at the end, or a character no
 * bucket name has, is refused.
 */
function bucketPatterns(env: Env, name: string): string[] | undefined {
  const text = env[name];
  if (text === undefined) return undefined;
  const patterns = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const bad = patterns.find((pattern) => !/^(\*|[a-z0-9][a-z0-9.-]{0,62}\*?)$/.test(pattern));
  if (bad !== undefined) {
    throw new ServiceConfigError(
      `${name} must list bucket names or name prefixes ending in * (comma-separated), not ${JSON.stringify(bad)} in ${JSON.stringify(text)}`,
    );
  }
  return patterns;
}

/** `S3IR_DIGEST_BUCKET` and `S3IR_DIGEST_KEY_ID` come together (a digest is useless unsigned); retention days. */
function digestSettings(
  env: Env,
): Pick<ServiceConfig, 'digestBucket' | 'digestKeyId' | 'digestRetentionDays'> {
  const bucket = env.S3IR_DIGEST_BUCKET || undefined;
  const keyId = env.S3IR_DIGEST_KEY_ID || undefined;
  if ((bucket === undefined) !== (keyId === undefined)) {
    const [set, unset] = bucket
      ? ['S3IR_DIGEST_BUCKET', 'S3IR_DIGEST_KEY_ID']
      : ['S3IR_DIGEST_KEY_ID', 'S3IR_DIGEST_BUCKET'];
    throw new ServiceConfigError(
      `${set} is set but ${unset} is not: audit anchors need both (${set}=${JSON.stringify(bucket ?? keyId)})`,
    );
  }
  // S3 Object Lock takes a retention of up to 100 years.
  const days = wholeNumber(env, 'S3IR_DIGEST_RETENTION_DAYS', 1, 36_500, 'days');
  return {
    ...(bucket !== undefined && { digestBucket: bucket }),
    ...(keyId !== undefined && { digestKeyId: keyId }),
    ...(days !== undefined && { digestRetentionDays: days }),
  };
}
