/** The default sliding window of the account-wide brake, minutes (serverless param `brakeWindowMinutes`). */
export const DEFAULT_BRAKE_WINDOW_MINUTES = 60;

/** The longest window the brake keeps (one counter item per minute: at most this many are summed). */
export const MAX_BRAKE_WINDOW_MINUTES = 1_440;

/** The command that lifts a hold: named in the alert, the audit event and `s3ir hold`. */
export const RELEASE_COMMAND = 's3ir hold release';

/**
 * The audit chain hold events are recorded in (`hold-started`, `hold-released`): the service's, not a
 * bucket's (`#` never starts a bucket name). `s3ir audit --bucket '#hold'` lists them.
 */
export const HOLD_AUDIT_CHAIN = '#hold';
