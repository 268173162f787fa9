/**
 * How bucket and key policies are stored in moto. moto 5.2.1 enforces a policy's Deny statements while
 * ignoring their Condition (and, for keys, their Principal): a bucket policy's on every object call (GET,
 * PUT, HEAD, DELETE of a key), a key policy's on DescribeKey. So the usual `DenyInsecureTransport`
 * (Deny `s3:*` when `aws:SecureTransport` is false) makes it refuse every object call with a bare 403,
 * and a data perimeter Deny on a key makes DescribeKey fail, which AWS would never do for a request
 * over TLS from inside the perimeter. The gateway therefore hands moto an envelope with no statement
 * that carries the caller's document verbatim, and unwraps it on GetBucketPolicy and GetKeyPolicy:
 * callers see exactly what they put, and moto enforces nothing. The local AWS does not enforce
 * policies on callers (as it does not enforce IAM); the delivery simulation does, with lib/policy's
 * evaluator (infra/local/README.md, "moto 5.2.1 quirks").
 */

/** The envelope's member that holds the caller's policy text. */
const ENVELOPE_MEMBER = 's3irLocalPolicy';

/** The text moto stores for a policy document `text`. */
export function toMotoPolicy(text: string): string {
  return JSON.stringify({ Statement: [], [ENVELOPE_MEMBER]: text });
}

/** The policy text a caller put, from what moto stores (text that is not an envelope is returned as is). */
export function fromMotoPolicy(stored: string): string {
  try {
    const envelope: unknown = JSON.parse(stored);
    if (typeof envelope === 'object' && envelope !== null && !Array.isArray(envelope)) {
      const text = (envelope as Record<string, unknown>)[ENVELOPE_MEMBER];
      if (typeof text === 'string') return text;
    }
  } catch {
    // Not JSON: not ours either.
  }
  return stored;
}
