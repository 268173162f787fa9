import { isRecord } from '../../json/isRecord.js';
import { toArray } from '../policyValues.js';
import type { DeliveryRequest } from './deliveryRequest.js';
import { allOf, anyOf, type Match, negate } from './match.js';
import { type ConditionOperator, parseOperator } from './operators.js';
import { matchesPattern, type PatternOptions } from './patterns.js';

type RequestContext = Pick<DeliveryRequest, 'context' | 'unknownKeys'>;

/**
 * Evaluates a statement's `Condition` block against the request context.
 * Operators and keys are ANDed, several values of one key ORed (NORed for negated operators).
 */
export function conditionsHold(
  condition: unknown,
  request: RequestContext,
  variables: ReadonlyMap<string, string> | undefined,
): Match {
  if (condition === undefined) return true;
  if (!isRecord(condition)) return 'unknown';
  return allOf(
    Object.entries(condition).map(([name, block]) => {
      const operator = parseOperator(name);
      if (operator === undefined || !isRecord(block)) return 'unknown';
      return allOf(
        Object.entries(block).map(([key, values]) =>
          keyHolds(operator, key, toArray(values), request, variables),
        ),
      );
    }),
  );
}

function keyHolds(
  operator: ConditionOperator,
  key: string,
  expected: unknown[],
  request: RequestContext,
  variables: ReadonlyMap<string, string> | undefined,
): Match {
  const lowerKey = key.toLowerCase();
  const present = request.unknownKeys.has(lowerKey) || request.context.has(lowerKey);
  if (operator.family === 'null') return anyOf(expected.map((value) => nullHolds(value, present)));
  if (request.unknownKeys.has(lowerKey)) return 'unknown';
  const actual = request.context.get(lowerKey);
  if (actual === undefined) return absentKeyHolds(operator);
  if (operator.family === 'opaque') return 'unknown';
  // Every key of a delivery request is single-valued, so ForAnyValue/ForAllValues reduce to the plain operator.
  const matched = anyOf(expected.map((value) => valueMatches(operator, value, actual, variables)));
  return operator.negated ? negate(matched) : matched;
}

/**
 * IAM's rule for a condition key that is absent from the request context (`Null` is handled apart):
 * - a positive operator (StringEquals, ArnLike, Bool…) does not match: the condition is false;
 * - a negated operator (StringNotEquals, ArnNotLike…) is true: "the key is not matched" holds;
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html,
 *   the note at the top of the page)
 * - any `…IfExists` operator, positive or negated, is true: its values are checked only when the key is
 *   present (same page, "…IfExists condition operators");
 * - with a set operator, `ForAllValues:` is true (every value of an empty set matches) and `ForAnyValue:` is
 *   false (no value matches), whatever the operator after it
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html).
 * So in a Deny, `StringNotEquals`/`StringNotEqualsIfExists` on an absent key such as `aws:PrincipalOrgID` denies,
 * while `BoolIfExists {aws:PrincipalIsAWSService: false}` next to it (AWS's exemption for service principals)
 * is false for S3's own request and makes the whole statement not apply.
 */
export function absentKeyHolds(operator: ConditionOperator): boolean {
  if (operator.ifExists) return true;
  if (operator.qualifier === 'ForAllValues') return true;
  if (operator.qualifier === 'ForAnyValue') return false;
  return operator.negated;
}

// `Null: {key: "true"}` holds when the key is absent, `"false"` when it is present.
function nullHolds(expected: unknown, present: boolean): Match {
  const flag = scalarText(expected)?.toLowerCase();
  if (flag === 'true') return !present;
  if (flag === 'false') return present;
  return 'unknown';
}

/** Whether one value of a condition matches the actual value under this operator, ignoring negation. */
export function valueMatches(
  operator: ConditionOperator,
  expected: unknown,
  actual: string,
  variables: ReadonlyMap<string, string> | undefined,
): Match {
  const text = scalarText(expected);
  if (text === undefined) return 'unknown';
  if (operator.family === 'bool') return text.toLowerCase() === actual.toLowerCase();
  const options = { wildcards: operator.wildcards, ignoreCase: operator.ignoreCase, variables };
  if (operator.family === 'arn') return arnMatches(text, actual, options);
  return matchesPattern(text, actual, options);
}

// Arn* operators match each of the six colon-separated components on its own, so `*` never crosses a colon
// before the resource part.
function arnMatches(pattern: string, actual: string, options: PatternOptions): Match {
  const patternParts = splitArn(pattern);
  if (patternParts === undefined) return 'unknown';
  const actualParts = splitArn(actual);
  if (actualParts === undefined) return false;
  return allOf(patternParts.map((part, index) => matchesPattern(part, actualParts[index]!, options)));
}

// Colons inside a policy variable (`${aws:SourceAccount}`) do not separate components.
function splitArn(arn: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  let inVariable = false;
  for (let index = 0; index < arn.length && parts.length < 5; index += 1) {
    if (arn.startsWith('${', index)) inVariable = true;
    else if (inVariable && arn[index] === '}') inVariable = false;
    else if (!inVariable && arn[index] === ':') {
      parts.push(arn.slice(start, index));
      start = index + 1;
    }
  }
  if (parts.length < 5) return undefined;
  parts.push(arn.slice(start));
  return parts;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
