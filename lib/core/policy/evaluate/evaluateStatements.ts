import { isRecord } from '../../json/isRecord.js';
import { POLICY_VERSION } from '../constants.js';
import { statementsOf } from '../policyValues.js';
import type { DeliveryVerdict, PolicyDocument } from '../types.js';
import { conditionsHold } from './conditions.js';
import type { DeliveryRequest } from './deliveryRequest.js';
import { actionMatches, elementMatches, principalMatches, resourceMatches } from './elements.js';
import { allOf, type Match } from './match.js';

/** The verdict, and for an explicit deny the statement that denies. */
export interface Evaluation {
  verdict: DeliveryVerdict;
  denying?: { sid: string | undefined; index: number };
}

/**
 * Evaluates one delivery, made of several requests: the first explicit deny of any request wins, and the
 * delivery is allowed only when every request is.
 */
export function evaluateRequests(
  document: PolicyDocument | undefined,
  requests: readonly DeliveryRequest[],
): Evaluation {
  const evaluations = requests.map((request) => evaluateStatements(document, request));
  return (
    evaluations.find((evaluation) => evaluation.verdict === 'explicit-deny') ??
    evaluations.find((evaluation) => evaluation.verdict === 'implicit-deny') ?? { verdict: 'allowed' }
  );
}

/**
 * Evaluates every statement of a policy for one request, as IAM does: a matching Deny wins, else a matching
 * Allow, else implicit deny. Uninterpretable parts never let an Allow count and always let a Deny count.
 */
export function evaluateStatements(
  document: PolicyDocument | undefined,
  request: DeliveryRequest,
): Evaluation {
  if (document === undefined) return { verdict: 'implicit-deny' };
  // Policy variables exist only in the 2012-10-17 language; before it `${…}` is literal text.
  const variables = document.Version === POLICY_VERSION ? request.context : undefined;
  let allowed = false;
  const statements = statementsOf(document);
  for (const [index, statement] of statements.entries()) {
    if (!isRecord(statement)) continue;
    const applies = statementApplies(statement, request, variables);
    if (statement.Effect === 'Deny' && applies !== false) {
      const sid = typeof statement.Sid === 'string' ? statement.Sid : undefined;
      return { verdict: 'explicit-deny', denying: { sid, index } };
    }
    if (statement.Effect === 'Allow' && applies === true) allowed = true;
  }
  return { verdict: allowed ? 'allowed' : 'implicit-deny' };
}

function statementApplies(
  statement: Record<string, unknown>,
  request: DeliveryRequest,
  variables: ReadonlyMap<string, string> | undefined,
): Match {
  return allOf([
    elementMatches(statement, 'Principal', 'NotPrincipal', (value) =>
      principalMatches(value, request.principalService),
    ),
    elementMatches(statement, 'Action', 'NotAction', (value) => actionMatches(value, request.action)),
    elementMatches(statement, 'Resource', 'NotResource', (value) =>
      resourceMatches(value, request.resource, variables),
    ),
    conditionsHold(statement.Condition, request, variables),
  ]);
}
