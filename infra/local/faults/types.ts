/**
 * One rule of `POST /_local/faults` as sent (DESIGN.md, Contract). Omitted matchers match every
 * call; a rule adds latency, injects errors, or both.
 */
export interface FaultRuleInput {
  /** Service of the SigV4 scope (`s3`, `kms`, `dynamodb`, `sns`, `sqs`, `sts`); omitted: every service. */
  service?: string;
  /** Operation as `/_local/calls` names it (`PutBucketInventoryConfiguration`, `PutItem`…). */
  operation?: string;
  /** S3 only: the bucket the request names. */
  bucket?: string;
  /** Added before the call is answered; latencies of matching rules add up. */
  latencyMs?: number;
  /** Chance (0–1) that a matching call fails; default 1 once any error field is given. */
  errorRate?: number;
  /** HTTP status; default the code's usual status (see knownErrors.ts). */
  status?: number;
  /** Wire error code; default the service's internal error. */
  code?: string;
  /** Error message; default the message AWS sends for that code. */
  message?: string;
  /** At most this many errors from this rule; omitted: unlimited. */
  count?: number;
  /** Seed for `errorRate` draws, so a run is repeatable; omitted: Math.random. */
  seed?: number;
  /**
   * The rule lasts this many milliseconds from when it was added, then matches nothing (no latency, no
   * errors): "SNS unavailable for a while", or latency that outlasts a client timeout only once.
   */
  forMs?: number;
}

/** The error a rule injects, with its defaults filled in. */
export interface FaultError {
  rate: number;
  status: number;
  code: string;
  message: string;
}

/** A validated rule as the injector keeps it. */
export interface FaultRule {
  /** 1, 2, 3… in the order rules were added; never reused until the gateway restarts. */
  id: number;
  service?: string;
  operation?: string;
  bucket?: string;
  latencyMs: number;
  error?: FaultError;
  /** `count` as given: at most this many errors; undefined: unlimited. */
  count?: number;
  seed?: number;
  /** `forMs` as given. */
  forMs?: number;
}

/** What the injector needs to know about a call. */
export interface FaultCall {
  service: string | undefined;
  operation: string;
  bucket: string | undefined;
}

/** What to do to one call: wait, then maybe answer with an error instead of the backend. */
export interface FaultDecision {
  latencyMs: number;
  error?: { ruleId: number; status: number; code: string; message: string };
}

/** A rule as `GET /_local/faults` lists it: its fields as given, plus `remaining` and `injected`. */
export interface FaultRuleView {
  id: number;
  service?: string;
  operation?: string;
  bucket?: string;
  latencyMs?: number;
  errorRate?: number;
  status?: number;
  code?: string;
  message?: string;
  count?: number;
  seed?: number;
  forMs?: number;
  /** With `forMs`: ISO 8601 time the rule stops matching. */
  until?: string;
  /** Errors `count` still allows; null when the rule has no count (or injects no errors). */
  remaining: number | null;
  /** Errors this rule has injected so far. */
  injected: number;
}
