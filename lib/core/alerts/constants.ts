/** `S3IR_ALERT_REMINDER_HOURS` when unset: a condition left unchanged is alerted again once a day. */
export const DEFAULT_REMINDER_HOURS = 24;

/** SNS: a message of at most 262,144 bytes, attributes included (docs/aws-facts.md §5). */
export const SNS_MESSAGE_LIMIT_BYTES = 256 * 1024;

/** SNS: a Subject of fewer than 100 printable ASCII characters, no line breaks (docs/aws-facts.md §5). */
export const MAX_SUBJECT_LENGTH = 99;

/** The longest summary an alert keeps when even its detail could not make room. */
export const MAX_SUMMARY_LENGTH = 1024;

/**
 * The alert body's `version`. Amazon Q Developer in chat applications renders a custom notification only
 * when `version` is exactly "1.0" (https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html,
 * "Event schema"), so this one field serves both: it is also this body's own schema version, major 1 like the
 * CLI's `--json` outputs (`version: 1`), a string because Amazon Q requires the string. An incompatible change
 * to the body cannot bump it (Amazon Q would stop rendering): it must add fields instead.
 */
export const ALERT_BODY_VERSION = '1.0';
