import { isRecord } from '../json/isRecord.js';
import { actionMatches, elementMatches } from '../policy/evaluate/elements.js';
import { statementsOf, toArray } from '../policy/policyValues.js';
import type { PolicyDocument, PolicyStatement } from '../policy/types.js';

/** A principal outside the allowed accounts that a destination policy lets read the reports. */
export interface ForeignReader {
  /** As the policy names it: `*`, an account id or ARN, a canonical user id. */
  principal: string;
  /** The Sid of the statement that grants it, when it has one. */
  sid?: string;
}

/** The actions that read a delivered report. */
const READ_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion'] as const;

/** `123456789012`, `arn:aws:iam::123456789012:root`, `arn:aws:sts::123456789012:assumed-role/r/s`. */
const ACCOUNT_OF_PRINCIPAL = /^(?:(\d{12})|arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):.+)$/;

/**
 * Who outside `allowed` may read the objects of a destination bucket by its policy: every Allow statement
 * whose actions include reading an object and whose principal is anyone (`*`, `NotPrincipal`), an AWS
 * principal of another account, or a canonical user (whose account cannot be told). Reports delivered there
 * would leave the allowed accounts. Deliberately coarse: resources and most conditions are not narrowed
 * (a grant on another prefix still names a reader the owner chose to trust outside the boundary); only an
 * `aws:PrincipalAccount` condition listing allowed accounts, or an `aws:PrincipalOrgID` condition (the
 * customer's own organization), makes a `*` principal inside.
 * @example foreignReaders(policy, new Set(['111122223333'])) // [{ principal: '*', sid: 'Public' }]
 */
export function foreignReaders(
  document: PolicyDocument | undefined,
  allowed: ReadonlySet<string>,
): ForeignReader[] {
  if (!document) return [];
  const readers: ForeignReader[] = [];
  for (const statement of statementsOf(document)) {
    if (!isRecord(statement) || statement.Effect !== 'Allow' || !readsObjects(statement)) continue;
    const sid = typeof statement.Sid === 'string' && statement.Sid !== '' ? statement.Sid : undefined;
    for (const principal of principalsOutside(statement, allowed)) {
      readers.push(sid === undefined ? { principal } : { principal, sid });
    }
  }
  return readers;
}

function readsObjects(statement: PolicyStatement): boolean {
  return READ_ACTIONS.some(
    (action) =>
      elementMatches(statement, 'Action', 'NotAction', (value) => actionMatches(value, action)) === true,
  );
}

function principalsOutside(statement: PolicyStatement, allowed: ReadonlySet<string>): string[] {
  if (statement.NotPrincipal !== undefined) return ['*'];
  const { Principal: principal } = statement;
  if (principal === '*') return anyoneInside(statement, allowed) ? [] : ['*'];
  if (!isRecord(principal)) return [];
  const outside: string[] = [];
  for (const [type, values] of Object.entries(principal)) {
    for (const value of toArray(values)) {
      if (typeof value !== 'string') continue;
      if (type === 'CanonicalUser') outside.push(value);
      if (type !== 'AWS') continue;
      if (value === '*') {
        if (!anyoneInside(statement, allowed)) outside.push(value);
        continue;
      }
      const match = ACCOUNT_OF_PRINCIPAL.exec(value);
      const account = match?.[1] ?? match?.[2];
      // An unrecognized form (a deleted role's unique id) cannot be placed: count it as outside.
      if (account === undefined || !allowed.has(account)) outside.push(value);
    }
  }
  return outside;
}

/** Whether conditions keep a `*` principal inside: by allowed principal accounts or by organization. */
function anyoneInside(statement: PolicyStatement, allowed: ReadonlySet<string>): boolean {
  const condition = statement.Condition;
  if (!isRecord(condition)) return false;
  for (const [operator, entries] of Object.entries(condition)) {
    if (!/^String(Equals|Like)$/i.test(operator) || !isRecord(entries)) continue;
    for (const [key, values] of Object.entries(entries)) {
      const lower = key.toLowerCase();
      const list = toArray(values);
      if (lower === 'aws:principalorgid' && list.length > 0) return true;
      if (
        lower === 'aws:principalaccount' &&
        list.length > 0 &&
        list.every((value) => typeof value === 'string' && allowed.has(value))
      ) {
        return true;
      }
    }
  }
  return false;
}
