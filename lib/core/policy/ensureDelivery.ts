import { GRANT_SIDS, POLICY_SIZE_LIMITS, POLICY_VERSION } from './constants.js';
import { DeliveryDeniedError, GrantStatementEditedError, PolicySizeLimitError } from './errors.js';
import { deliveryRequests } from './evaluate/deliveryRequest.js';
import { evaluateRequests } from './evaluate/evaluateStatements.js';
import { addSourceToGrant, findGrantIndex } from './grantStatement.js';
import { serializePolicy } from './parsePolicy.js';
import { statementsOf } from './policyValues.js';
import { requiredStatement } from './requiredStatements.js';
import type { DeliverySource, GrantTarget, PolicyChange, PolicyDocument } from './types.js';

/**
 * Returns the policy with delivery for this source granted, changing as little as possible: nothing when the
 * policy already allows it (a broader grant counts), else this source added to our statement (found by Sid),
 * else our statement appended. Statements we did not write, their order and every top-level member stay
 * exactly as they were; the input is never mutated. Idempotent.
 * @throws DeliveryDeniedError when an explicit Deny matches: no Allow can help.
 * @throws GrantStatementEditedError when our statement was edited so that it cannot grant this delivery.
 * @throws PolicySizeLimitError when the result would exceed the target's size limit.
 */
export function ensureDelivery(
  document: PolicyDocument | undefined,
  source: DeliverySource,
  target: GrantTarget = 'destination-policy',
): PolicyChange {
  const requests = deliveryRequests(source, target);
  const before = evaluateRequests(document, requests);
  if (before.verdict === 'allowed') return { document, changed: false };
  if (before.denying) {
    throw new DeliveryDeniedError({ target, sid: before.denying.sid, statementIndex: before.denying.index });
  }

  const statements = document ? statementsOf(document) : [];
  const grantIndex = findGrantIndex(statements, target);
  const nextStatements =
    grantIndex === -1
      ? [...statements, requiredStatement(source, target)]
      : statements.map((statement, index) =>
          index === grantIndex ? addSourceToGrant(statement, source) : statement,
        );
  const next: PolicyDocument = document
    ? { ...document, Statement: nextStatements }
    : { Version: POLICY_VERSION, Statement: nextStatements };

  if (evaluateRequests(next, requests).verdict !== 'allowed') {
    throw new GrantStatementEditedError({ target, sid: GRANT_SIDS[target] });
  }
  const size = new TextEncoder().encode(serializePolicy(next)).length;
  const limit = POLICY_SIZE_LIMITS[target];
  if (size > limit) throw new PolicySizeLimitError({ target, size, limit });
  return { document: next, changed: true };
}
