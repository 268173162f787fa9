import { defaultCode, defaultMessage, defaultStatus } from './knownErrors.js';
import type { FaultRule, FaultRuleInput } from './types.js';

/** A `POST /_local/faults` body that cannot be used; the message says which field and why. */
export class FaultRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultRuleError';
  }
}

const allowedFields = new Set<string>([
  'service',
  'operation',
  'bucket',
  'latencyMs',
  'errorRate',
  'status',
  'code',
  'message',
  'count',
  'seed',
  'forMs',
] satisfies Array<keyof FaultRuleInput>);

/** Longest latency a rule may add: long enough for any timeout test, short enough not to hang a run. */
const MAX_LATENCY_MS = 120_000;
/** Longest `forMs`: an hour, longer than any test runs. */
const MAX_DURATION_MS = 3_600_000;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function text(
  rule: Record<string, unknown>,
  field: string,
  at: string,
  pattern?: RegExp,
): string | undefined {
  const value = rule[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '')
    throw new FaultRuleError(`${at}.${field} must be a non-empty string`);
  if (pattern && !pattern.test(value)) throw new FaultRuleError(`${at}.${field} must match ${pattern}`);
  return value;
}

function integer(rule: Record<string, unknown>, field: string, at: string, min: number, max: number) {
  const value = rule[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new FaultRuleError(`${at}.${field} must be an integer from ${min} to ${max}`);
  return value;
}

function errorRate(rule: Record<string, unknown>, at: string): number | undefined {
  const value = rule.errorRate;
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1))
    throw new FaultRuleError(`${at}.errorRate must be a number from 0 to 1`);
  return value;
}

/** Fills the defaults of one rule (DESIGN.md, Contract) and checks that they make sense together. */
function parseRule(raw: unknown, at: string, id: number): FaultRule {
  if (!isRecord(raw)) throw new FaultRuleError(`${at} must be an object`);
  const unknown = Object.keys(raw).filter((field) => !allowedFields.has(field));
  if (unknown.length > 0)
    throw new FaultRuleError(
      `${at} has unknown field(s) ${unknown.join(', ')}; known: ${[...allowedFields].join(', ')}`,
    );
  const service = text(raw, 'service', at, /^[a-z0-9-]+$/);
  const operation = text(raw, 'operation', at, /^[A-Za-z0-9]+$/);
  const bucket = text(raw, 'bucket', at);
  if (bucket !== undefined && service !== undefined && service !== 's3')
    throw new FaultRuleError(`${at}.bucket applies to s3 only, not to ${service}`);
  const latencyMs = integer(raw, 'latencyMs', at, 0, MAX_LATENCY_MS) ?? 0;
  const rate = errorRate(raw, at);
  const status = integer(raw, 'status', at, 400, 599);
  const code = text(raw, 'code', at, /^[A-Za-z0-9._-]+$/);
  const message = text(raw, 'message', at);
  const count = integer(raw, 'count', at, 1, Number.MAX_SAFE_INTEGER);
  const seed = integer(raw, 'seed', at, 0, 2 ** 32 - 1);
  const forMs = integer(raw, 'forMs', at, 1, MAX_DURATION_MS);
  const injectsErrors = [rate, status, code, message, count].some((value) => value !== undefined);
  if (!injectsErrors && raw.latencyMs === undefined)
    throw new FaultRuleError(
      `${at} does nothing: give latencyMs, or an error (errorRate, status, code or count)`,
    );
  const matchers = {
    ...(service !== undefined ? { service } : {}),
    ...(operation !== undefined ? { operation } : {}),
    ...(bucket !== undefined ? { bucket } : {}),
  };
  const base = {
    id,
    ...matchers,
    latencyMs,
    ...(seed !== undefined ? { seed } : {}),
    ...(forMs !== undefined ? { forMs } : {}),
  };
  if (!injectsErrors) return base;
  if (code === undefined && status !== undefined && status < 500)
    throw new FaultRuleError(
      `${at}.status ${status} needs a code (without one the rule injects ${defaultCode(service)})`,
    );
  const errorCode = code ?? defaultCode(service);
  const errorStatus = status ?? (code === undefined ? 500 : defaultStatus(service, code));
  if (errorStatus === undefined)
    throw new FaultRuleError(
      `${at}.code ${code} has no known status${service ? ` in ${service}` : ''}: give status`,
    );
  return {
    ...base,
    error: {
      rate: rate ?? 1,
      status: errorStatus,
      code: errorCode,
      message: message ?? defaultMessage(errorCode),
    },
    ...(count !== undefined ? { count } : {}),
  };
}

/**
 * Reads a `POST /_local/faults` body, `{"rules": [...]}`, into rules numbered from `firstId`.
 * All or nothing: one bad rule refuses the whole body.
 * @throws FaultRuleError naming the field (`rules[1].errorRate`) and the reason.
 */
export function parseFaultRules(body: unknown, firstId: number): FaultRule[] {
  if (!isRecord(body)) throw new FaultRuleError('the body must be a JSON object {"rules": [...]}');
  const extra = Object.keys(body).filter((field) => field !== 'rules');
  if (extra.length > 0)
    throw new FaultRuleError(`unknown field(s) ${extra.join(', ')}; the body holds only "rules"`);
  if (!Array.isArray(body.rules) || body.rules.length === 0)
    throw new FaultRuleError('"rules" must be a non-empty array');
  return body.rules.map((raw, index) => parseRule(raw, `rules[${index}]`, firstId + index));
}
