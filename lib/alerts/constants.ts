/** `S3IR_ALERT_REMINDER_HOURS` when unset: a condition left unchanged is alerted again once a day. */
export const DEFAULT_REMINDER_HOURS = 24;

/** SNS: a message of at most 262,144 bytes, attributes included (reference §5). */
export const SNS_MESSAGE_LIMIT_BYTES = 256 * 1024;

/** SNS: a Subject of fewer than 100 printable ASCII characters, no line breaks (reference §5). */
export const MAX_SUBJECT_LENGTH = 99;

/** The longest summary an alert keeps when even its detail could not make room. */
export const MAX_SUMMARY_LENGTH = 1024;
