import { isRecord } from '../json/isRecord.js';
import { MalformedPolicyError } from './errors.js';
import type { PolicyDocument } from './types.js';

/**
 * Parses a bucket or key policy as S3/KMS return it.
 * Checks only the shape the evaluator relies on; IAM grammar errors surface when AWS refuses a put.
 * @throws MalformedPolicyError naming why the text is not a policy document.
 */
export function parsePolicy(text: string): PolicyDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new MalformedPolicyError({ reason: `not valid JSON (${(error as Error).message})`, cause: error });
  }
  if (!isRecord(parsed)) {
    throw new MalformedPolicyError({ reason: 'the policy is not a JSON object' });
  }
  const statement = parsed.Statement;
  if (statement === undefined) {
    throw new MalformedPolicyError({ reason: 'the policy has no Statement' });
  }
  if (Array.isArray(statement)) {
    const bad = statement.findIndex((item) => !isRecord(item));
    if (bad !== -1) {
      throw new MalformedPolicyError({ reason: `Statement[${bad}] is not an object` });
    }
  } else if (!isRecord(statement)) {
    throw new MalformedPolicyError({ reason: 'Statement is neither an object nor an array of objects' });
  }
  return parsed as PolicyDocument;
}

/** Serializes a policy compactly (no whitespace): the form we send and the form whose size we check. */
export function serializePolicy(document: PolicyDocument): string {
  return JSON.stringify(document);
}
