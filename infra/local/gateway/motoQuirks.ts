import type { IncomingMessage } from 'node:http';
import type { IdentifiedCall } from './identifyCall.js';
import { fromMotoPolicy, toMotoPolicy } from './motoPolicyEnvelope.js';
import { type PolicyDocumentProblem, parsePolicyDocument } from './policyDocument.js';
import type { BufferedReply } from './proxy.js';
import { readBody } from './readBody.js';

/**
 * Where moto 5.2.1 answers differently from AWS on calls the reconciler makes, and how the gateway
 * makes up for it around the proxied call (infra/local/README.md, "moto 5.2.1 quirks"):
 * - S3 PutBucketPolicy: 204 without a body (moto: 200 `True`); a body that is not a policy document,
 *   or over 20 KB, is refused with 400 MalformedPolicy and never reaches moto. moto enforces a policy's
 *   Deny statements on object calls ignoring their conditions, so it is given the policy in an envelope
 *   it cannot enforce, which GetBucketPolicy unwraps (gateway/motoPolicyEnvelope.ts).
 * - KMS GetKeyPolicy / PutKeyPolicy: PolicyName defaults to `default` (moto: NotFoundException), and
 *   GetKeyPolicy answers it; PutKeyPolicy (and CreateKey with a Policy) refuses a policy that is not
 *   a policy document (MalformedPolicyDocumentException) or over 32,768 bytes (LimitExceededException).
 *   moto enforces a key policy's Deny statements on DescribeKey ignoring their conditions: it is given
 *   the policy in the same envelope, which GetKeyPolicy unwraps.
 * - KMS CreateKey / DescribeKey: `KeyUsage` ENCRYPT_DECRYPT when the key was created without one
 *   (AWS's default; moto stores null), `MultiRegion` false instead of null, no null members, no
 *   SigningAlgorithms on an ENCRYPT_DECRYPT key.
 * - KMS DisableKey / EnableKey / ScheduleKeyDeletion / CancelKeyDeletion: a key ARN is passed to moto
 *   as the bare key id (moto answers 500 to an ARN); the reply names the key by the ARN given, and
 *   ScheduleKeyDeletion's reply carries KeyState and PendingWindowInDays, as AWS's does.
 */

/** An AWS error the gateway answers instead of moto. */
export interface QuirkRejection {
  status: number;
  code: string;
  message: string;
}

/** What to do around one proxied call; every field is optional. */
export interface QuirkPlan {
  /** Answer with this error; nothing reaches moto. */
  reject?: QuirkRejection;
  /** Send this body to moto instead of the caller's. */
  body?: Buffer;
  /** Rewrite moto's reply before the caller sees it. */
  rewriteReply?: (reply: BufferedReply) => BufferedReply;
}

/** AWS's size limits of policy documents (docs/aws-facts.md §2–3). */
export const POLICY_SIZE_LIMITS = { bucketPolicyBytes: 20 * 1024, keyPolicyBytes: 32_768 } as const;

/** No policy body comes close; a larger one is read anyway and refused as too large. */
const MAX_READ_BODY = 16 * 1024 * 1024;

const succeeded = (status: number) => status >= 200 && status < 300;

/**
 * The quirks plan of a call that goes to moto, or undefined when moto's own answer is AWS's. Reads the
 * body of the calls it looks into (unless {@link identifyCall} already did).
 */
export async function planMotoQuirks(
  req: IncomingMessage,
  call: IdentifiedCall,
): Promise<QuirkPlan | undefined> {
  if (call.service === 's3' && call.operation === 'PutBucketPolicy') return putBucketPolicy(req, call);
  if (call.service === 's3' && call.operation === 'GetBucketPolicy') return { rewriteReply: unwrapPolicy };
  if (call.service === 'kms' && Object.hasOwn(kmsQuirks, call.operation)) {
    const body = call.body ?? (await readBody(req, MAX_READ_BODY));
    const input = parseJsonObject(body);
    // Not a JSON object: left to moto, which refuses it in its own way.
    if (!input) return { body };
    return kmsQuirks[call.operation]!(input, body);
  }
  return undefined;
}

// --- S3 ---------------------------------------------------------------------------------------

const bucketPolicyMessages: Record<PolicyDocumentProblem | 'too-large', string> = {
  'not-json': "Policies must be valid JSON and the first byte must be '{'",
  'no-statement': 'Missing required field Statement',
  'bad-statement': 'Invalid policy syntax.',
  'empty-statement': 'Could not parse the policy: Statement is empty!',
  'too-large': 'Policy exceeds the maximum allowed document size.',
};

const noContent = (reply: BufferedReply): BufferedReply =>
  succeeded(reply.status) ? { ...reply, status: 204, body: Buffer.alloc(0) } : reply;

async function putBucketPolicy(req: IncomingMessage, call: IdentifiedCall): Promise<QuirkPlan> {
  // An aws-chunked body (no SDK sends one for this small, non-streaming call) is passed on unchecked.
  if (String(req.headers['content-encoding'] ?? '').includes('aws-chunked'))
    return { rewriteReply: noContent };
  const body = call.body ?? (await readBody(req, MAX_READ_BODY));
  const problem = bucketPolicyProblem(body.toString('utf8'));
  if (problem)
    return { reject: { status: 400, code: 'MalformedPolicy', message: bucketPolicyMessages[problem] } };
  return { body: Buffer.from(toMotoPolicy(body.toString('utf8'))), rewriteReply: noContent };
}

const unwrapPolicy = (reply: BufferedReply): BufferedReply =>
  succeeded(reply.status)
    ? { ...reply, body: Buffer.from(fromMotoPolicy(reply.body.toString('utf8'))) }
    : reply;

/**
 * S3 counts the 20 KB after normalising the document (whitespace does not count, so a pretty-printed
 * policy a little over 20 KB as sent can pass): measured here as the compact JSON.
 */
function bucketPolicyProblem(text: string): PolicyDocumentProblem | 'too-large' | undefined {
  const parsed = parsePolicyDocument(text);
  if (!parsed.ok) return parsed.problem;
  if (Buffer.byteLength(JSON.stringify(parsed.document)) > POLICY_SIZE_LIMITS.bucketPolicyBytes)
    return 'too-large';
  return undefined;
}

// --- KMS --------------------------------------------------------------------------------------

type JsonObject = Record<string, unknown>;

function parseJsonObject(body: Buffer): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8') || '{}');
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as JsonObject)
      : undefined;
  } catch {
    return undefined;
  }
}

const jsonBody = (value: JsonObject) => Buffer.from(JSON.stringify(value));

/** Rewrites the JSON output of a successful reply; anything else passes unchanged. */
const onSuccess =
  (rewrite: (output: JsonObject) => JsonObject) =>
  (reply: BufferedReply): BufferedReply => {
    if (!succeeded(reply.status)) return reply;
    const output = parseJsonObject(reply.body);
    return output ? { ...reply, body: jsonBody(rewrite(output)) } : reply;
  };

const keyPolicyMessages: Record<PolicyDocumentProblem, string> = {
  'not-json': 'The policy is not a valid JSON document.',
  'no-statement': 'The policy has no Statement.',
  'bad-statement': 'The policy Statement must be a statement object or an array of them.',
  'empty-statement': 'The policy Statement must not be empty.',
};

/** The refusal of a key policy AWS would not store, if any (only a string Policy is judged). */
function keyPolicyRejection(policy: unknown): QuirkRejection | undefined {
  if (typeof policy !== 'string') return undefined;
  if (Buffer.byteLength(policy) > POLICY_SIZE_LIMITS.keyPolicyBytes)
    return {
      status: 400,
      code: 'LimitExceededException',
      message: `The key policy is larger than ${POLICY_SIZE_LIMITS.keyPolicyBytes} bytes.`,
    };
  const parsed = parsePolicyDocument(policy);
  if (parsed.ok) return undefined;
  return {
    status: 400,
    code: 'MalformedPolicyDocumentException',
    message: keyPolicyMessages[parsed.problem],
  };
}

/** AWS's KeyMetadata where moto's has nulls (see the module comment). */
function awsKeyMetadata(output: JsonObject): JsonObject {
  const metadata = output.KeyMetadata;
  if (typeof metadata !== 'object' || metadata === null) return output;
  const fixed: JsonObject = { ...(metadata as JsonObject) };
  fixed.KeyUsage ??= 'ENCRYPT_DECRYPT';
  fixed.MultiRegion ??= false;
  if (fixed.KeyUsage === 'ENCRYPT_DECRYPT') delete fixed.SigningAlgorithms;
  for (const [name, value] of Object.entries(fixed)) if (value === null) delete fixed[name];
  return { ...output, KeyMetadata: fixed };
}

const isKeyArn = (keyId: unknown): keyId is string =>
  typeof keyId === 'string' && keyId.startsWith('arn:') && keyId.includes(':key/');

/** DisableKey & co. with the bare key id moto needs; the reply names the key as AWS does. */
function keyStateChange(rewrite?: (output: JsonObject, input: JsonObject) => JsonObject) {
  return (input: JsonObject, body: Buffer): QuirkPlan => {
    const keyArn = isKeyArn(input.KeyId) ? input.KeyId : undefined;
    const plan: QuirkPlan = keyArn
      ? { body: jsonBody({ ...input, KeyId: keyArn.split(':key/')[1] }) }
      : { body };
    if (rewrite)
      plan.rewriteReply = onSuccess((output) =>
        rewrite({ ...output, ...(keyArn ? { KeyId: keyArn } : {}) }, input),
      );
    return plan;
  };
}

/** The input's `Policy` in the envelope moto cannot enforce (gateway/motoPolicyEnvelope.ts); nothing without one. */
const envelopedPolicy = (input: JsonObject) =>
  typeof input.Policy === 'string' ? { Policy: toMotoPolicy(input.Policy) } : {};

const kmsQuirks: Record<string, (input: JsonObject, body: Buffer) => QuirkPlan> = {
  GetKeyPolicy: (input) => {
    const PolicyName = input.PolicyName ?? 'default';
    return {
      body: jsonBody({ ...input, PolicyName }),
      rewriteReply: onSuccess((output) => ({
        ...output,
        ...(typeof output.Policy === 'string' ? { Policy: fromMotoPolicy(output.Policy) } : {}),
        PolicyName,
      })),
    };
  },
  PutKeyPolicy: (input) => {
    const reject = keyPolicyRejection(input.Policy);
    if (reject) return { reject };
    return {
      body: jsonBody({ ...input, ...envelopedPolicy(input), PolicyName: input.PolicyName ?? 'default' }),
    };
  },
  CreateKey: (input) => {
    const reject = keyPolicyRejection(input.Policy);
    if (reject) return { reject };
    return {
      body: jsonBody({ ...input, ...envelopedPolicy(input) }),
      rewriteReply: onSuccess(awsKeyMetadata),
    };
  },
  DescribeKey: (_input, body) => ({ body, rewriteReply: onSuccess(awsKeyMetadata) }),
  DisableKey: keyStateChange(),
  EnableKey: keyStateChange(),
  CancelKeyDeletion: keyStateChange((output) => output),
  ScheduleKeyDeletion: keyStateChange((output, input) => ({
    ...output,
    KeyState: 'PendingDeletion',
    PendingWindowInDays: input.PendingWindowInDays ?? 30,
  })),
};
