import { compareCodeUnits } from '../json/compareCodeUnits.js';
import { isRecord } from '../json/isRecord.js';
import { anySourceBucketArn, sourceBucketArn } from './arns.js';
import { GRANT_SIDS } from './constants.js';
import { valueMatches } from './evaluate/conditions.js';
import { type ConditionOperator, parseOperator } from './evaluate/operators.js';
import { statementsOf, toArray } from './policyValues.js';
import type { DeliverySource, GrantTarget, PolicyDocument, PolicyStatement } from './types.js';

type SourceKey = 'aws:sourcearn' | 'aws:sourceaccount';
type ConditionValues = NonNullable<PolicyStatement['Condition']>[string][string];
type EditValues = (key: SourceKey, values: ConditionValues, operator: ConditionOperator) => ConditionValues;

/** Position of our statement (found by its Sid) among the statements, or -1. */
export function findGrantIndex(statements: readonly PolicyStatement[], target: GrantTarget): number {
  return statements.findIndex((statement) => isRecord(statement) && statement.Sid === GRANT_SIDS[target]);
}

/** Our statement in a policy (found by its Sid), if the policy holds one. */
export function findGrant(
  document: PolicyDocument | undefined,
  target: GrantTarget,
): PolicyStatement | undefined {
  if (document === undefined) return undefined;
  const statements = statementsOf(document);
  return statements[findGrantIndex(statements, target)];
}

/**
 * Our statement, extended to this source: its account joins every `aws:SourceAccount` list held by a positive
 * String/Arn operator, unless a value there already matches it. An `aws:SourceArn` list under an Arn operator that
 * does not match the source becomes the account-keyed pattern `arn:{partition}:s3:::*` (a statement of an earlier
 * version listing bucket ARNs is migrated in the same write; every ARN it listed still matches); under a String
 * operator the source's ARN joins it. A key the statement does not constrain is not added: a new condition key
 * would narrow the grant for the sources already covered. Someone's edits to our statement are kept.
 */
export function addSourceToGrant(statement: PolicyStatement, source: DeliverySource): PolicyStatement {
  const arn = sourceBucketArn(source);
  return mapSourceKeys(statement, (key, values, operator) => {
    const value = key === 'aws:sourcearn' ? arn : source.sourceAccount;
    const list = toArray(values);
    if (list.some((expected) => valueMatches(operator, expected, value, undefined) === true)) return values;
    if (key === 'aws:sourcearn' && operator.family === 'arn') return anySourceBucketArn(source.partition);
    return normalizeList([...list, value]);
  });
}

/** Our statement without this source's ARN, whether the ARN was listed, and whether no source is left. */
export function removeSourceFromGrant(
  statement: PolicyStatement,
  source: DeliverySource,
): { statement: PolicyStatement; listed: boolean; empty: boolean } {
  const arn = sourceBucketArn(source);
  let listed = false;
  let empty = false;
  const next = mapSourceKeys(statement, (key, values) => {
    const list = toArray(values);
    if (key !== 'aws:sourcearn' || !list.includes(arn)) return values;
    listed = true;
    const rest = list.filter((value) => value !== arn);
    if (rest.length === 0) empty = true;
    return normalizeList(rest);
  });
  return { statement: next, listed, empty };
}

function mapSourceKeys(statement: PolicyStatement, edit: EditValues): PolicyStatement {
  if (!isRecord(statement.Condition)) return statement;
  const condition = Object.fromEntries(
    Object.entries(statement.Condition).map(([name, block]) => {
      const operator = parseOperator(name);
      if (!operator || !isExtensible(operator) || !isRecord(block)) return [name, block];
      const edited = Object.fromEntries(
        Object.entries(block).map(([key, values]) => {
          const lower = key.toLowerCase();
          if (lower !== 'aws:sourcearn' && lower !== 'aws:sourceaccount') return [key, values];
          return [key, edit(lower, values, operator)];
        }),
      );
      return [name, edited];
    }),
  );
  return { ...statement, Condition: condition };
}

// Adding a value to a positive operator's list only widens what it matches; a negated operator would narrow.
function isExtensible(operator: ConditionOperator): boolean {
  return !operator.negated && (operator.family === 'string' || operator.family === 'arn');
}

// Our lists are sorted and de-duplicated so that the same set of sources always serializes the same way;
// a single value is written as a plain string, as the AWS examples do.
function normalizeList(list: readonly unknown[]): string | string[] {
  const unique = [...new Set(list.map(String))].sort(compareCodeUnits);
  return unique.length === 1 ? unique[0]! : unique;
}
