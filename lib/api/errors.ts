/**
 * A request parameter the API cannot accept: answered 400 with `{ "error": "<param>: <reason>" }`.
 * Its message is safe to show; every other error is a bug, answered 500 without details and logged.
 */
export class BadParameterError extends Error {
  readonly param: string;
  readonly reason: string;

  constructor(param: string, reason: string, options?: ErrorOptions) {
    super(`${param}: ${reason}`, options);
    this.name = 'BadParameterError';
    this.param = param;
    this.reason = reason;
  }
}
