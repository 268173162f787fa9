/** Why a text is not an IAM-style policy document (bucket policy, key policy). */
export type PolicyDocumentProblem = 'not-json' | 'no-statement' | 'bad-statement' | 'empty-statement';

/** The outcome of {@link parsePolicyDocument}. */
export type ParsedPolicyDocument =
  | { ok: true; document: Record<string, unknown> }
  | { ok: false; problem: PolicyDocumentProblem };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks the shape S3 and KMS insist on before anything else: a JSON object whose `Statement` is a
 * statement object or a non-empty array of them. What a statement says (principals, actions,
 * resources, conditions) is not checked here.
 */
export function parsePolicyDocument(text: string): ParsedPolicyDocument {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'not-json' };
  }
  if (!isObject(document)) return { ok: false, problem: 'not-json' };
  const statement = document.Statement;
  if (statement === undefined) return { ok: false, problem: 'no-statement' };
  if (Array.isArray(statement)) {
    if (statement.length === 0) return { ok: false, problem: 'empty-statement' };
    if (!statement.every(isObject)) return { ok: false, problem: 'bad-statement' };
  } else if (!isObject(statement)) return { ok: false, problem: 'bad-statement' };
  return { ok: true, document };
}
