/** Base of the errors lib/audit raises: safe to show (they name the event, field or token at fault). */
export class AuditError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AuditError';
  }
}

/** An event cannot be stored even with its large documents moved into parts. */
export class AuditEventTooLargeError extends AuditError {
  readonly eventId: string;

  constructor(eventId: string, message: string) {
    super(`audit event ${eventId}: ${message}`);
    this.name = 'AuditEventTooLargeError';
    this.eventId = eventId;
  }
}

/** An event that cannot be recorded as it is (e.g. an id that would clash with the table's own items). */
export class InvalidAuditEventError extends AuditError {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAuditEventError';
  }
}

/** A query the audit store cannot answer as asked (e.g. a page size out of range). */
export class InvalidAuditQueryError extends AuditError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidAuditQueryError';
  }
}

/** A `next` token that is malformed, or that another query handed out: the caller should start over. */
export class InvalidPageTokenError extends InvalidAuditQueryError {
  constructor(reason: string, options?: ErrorOptions) {
    super(`invalid page token: ${reason}; start again without one`, options);
    this.name = 'InvalidPageTokenError';
  }
}

/** A time bound that is neither ISO 8601 nor a duration ago, named by the flag or parameter that gave it. */
export class TimeFormatError extends AuditError {
  readonly parameter: string;
  readonly reason: string;

  constructor(parameter: string, reason: string) {
    super(`${parameter}: ${reason}`);
    this.name = 'TimeFormatError';
    this.parameter = parameter;
    this.reason = reason;
  }
}

/**
 * A query with a filter no index serves and no time bound (e.g. `action` with `bucket`): answering it would
 * read a whole history to filter it, so it is refused rather than read silently. Give `since` as well.
 */
export class UnboundedAuditQueryError extends InvalidAuditQueryError {
  /** The query field no index serves (`action`). */
  readonly filter: string;
  /** The query field whose index would be read whole (`bucket`). */
  readonly index: string;

  constructor(filter: string, index: string) {
    super(
      `${filter} with ${index}: no index serves both, so ${index}'s whole history would be read to filter it; give since as well (a time bound, e.g. 30d)`,
    );
    this.name = 'UnboundedAuditQueryError';
    this.filter = filter;
    this.index = index;
  }
}
