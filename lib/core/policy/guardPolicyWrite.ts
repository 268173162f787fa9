import { isRecord } from '../json/isRecord.js';
import { jsonEqual } from '../json/jsonEqual.js';
import { GRANT_SIDS, POLICY_VERSION } from './constants.js';
import { grantShapeProblem, grantSources, isAnySourceArn, sourceArnBucket } from './grantShape.js';
import { PolicyWriteRefusedError } from './PolicyWriteRefusedError.js';
import { statementsOf, toArray } from './policyValues.js';
import type { GrantTarget, PolicyDocument } from './types.js';

/** One policy write as the guard checks it, just before PutBucketPolicy, DeleteBucketPolicy or PutKeyPolicy. */
export interface PolicyWrite {
  target: GrantTarget;
  /** The destination bucket, or the key ARN. */
  name: string;
  /** The document read just before the write (under the policy's lease); `undefined`: no bucket policy. */
  before: PolicyDocument | undefined;
  /** The document to put; `undefined`: delete the bucket policy. */
  after: PolicyDocument | undefined;
  /** The one source bucket (and its account) this write may add to our statement: the bucket reconciled. */
  source: {
    bucket: string;
    account: string;
    /**
     * A sweep-level grant (#18 point 4): the accounts the desired catalog reaches, which this write may add
     * (already bounded by S3IR_ALLOWED_ACCOUNTS). Absent: `account` alone.
     */
    accounts?: readonly string[];
  };
}

interface Placed {
  /** Position in its document's `Statement` (0 when `Statement` is one object). */
  index: number;
  statement: unknown;
}

/**
 * The policy write guard: proves a write changes nothing but this service's own statement, and writes that
 * statement only in the shape this service writes it, else refuses it. As parsed JSON, never as strings:
 * - every statement without our Sid, and every top-level member, is exactly as read (a new policy is
 *   `{ Version: "2012-10-17", Statement }`);
 * - the policy holds at most one statement with our Sid, and it has exactly our shape (`grantShapeProblem`);
 * - our statement gains no source but `write.source` (a grant) or none at all (a revoke): no bucket ARN but its
 *   own (the pattern `arn:…:s3:::*` is bounded by the accounts) and no account but its own;
 * - a statement with our Sid that the write changes or drops was an Allow: dropping a Deny would widen access;
 * - a bucket policy is deleted only when every statement read was ours; a key policy never is.
 * @throws PolicyWriteRefusedError naming the statement and why: a bug or an attack, never retried.
 */
export function guardPolicyWrite(write: PolicyWrite): void {
  const reason = write.after === undefined ? deleteProblem(write) : putProblem(write, write.after);
  if (reason !== undefined) {
    throw new PolicyWriteRefusedError({ target: write.target, name: write.name, reason });
  }
}

function deleteProblem(write: PolicyWrite): string | undefined {
  if (write.target === 'key-policy') return 'a key policy is never deleted';
  if (write.before === undefined) return 'there is no policy to delete';
  const read = split(write.before, write.target);
  const foreign = read.foreign[0];
  if (foreign !== undefined) {
    return `deleting it would remove ${describe(foreign)} of the policy read, which this service did not write`;
  }
  if (read.ours.length === 0) return 'the policy read holds no statement of this service';
  return droppedProblem(read.ours, []);
}

function putProblem(write: PolicyWrite, after: PolicyDocument): string | undefined {
  const read = write.before === undefined ? { ours: [], foreign: [] } : split(write.before, write.target);
  const written = split(after, write.target);
  return (
    topLevelProblem(write.before, after) ??
    foreignProblem(read.foreign, written.foreign) ??
    oursProblem(written.ours, write) ??
    droppedProblem(read.ours, written.ours) ??
    addedSourceProblem(read.ours, written.ours, write.source)
  );
}

function topLevelProblem(before: PolicyDocument | undefined, after: PolicyDocument): string | undefined {
  if (before === undefined) {
    const extra = Object.keys(after).find((key) => key !== 'Version' && key !== 'Statement');
    if (extra !== undefined) return `a new policy would have a ${extra} member`;
    if (after.Version !== POLICY_VERSION) {
      return `a new policy's Version would be ${show(after.Version)}, not "${POLICY_VERSION}"`;
    }
    return undefined;
  }
  const members = new Set([...Object.keys(before), ...Object.keys(after)]);
  members.delete('Statement');
  for (const member of members) {
    if (!jsonEqual(before[member], after[member])) {
      return `its ${member} would change from ${show(before[member])} to ${show(after[member])}`;
    }
  }
  return undefined;
}

/** Statements we did not write stay exactly as read, in order. */
function foreignProblem(read: Placed[], written: Placed[]): string | undefined {
  for (let i = 0; i < Math.max(read.length, written.length); i++) {
    const was = read[i];
    const now = written[i];
    if (was !== undefined && now !== undefined && jsonEqual(was.statement, now.statement)) continue;
    if (was !== undefined) {
      return `${describe(was)} of the policy read would be changed or removed; this service did not write it`;
    }
    return `${describe(now!)} would be added, and it is not a statement of this service`;
  }
  return undefined;
}

function oursProblem(written: Placed[], write: PolicyWrite): string | undefined {
  if (written.length > 1) {
    return `it would hold ${written.length} statements with Sid "${GRANT_SIDS[write.target]}"; this service writes one`;
  }
  for (const placed of written) {
    const problem = grantShapeProblem(placed.statement, write.target, write.name);
    if (problem !== undefined) return `${describe(placed)} would be written, but ${problem}`;
  }
  return undefined;
}

function droppedProblem(read: Placed[], written: Placed[]): string | undefined {
  for (const was of read) {
    if (written.some((now) => jsonEqual(was.statement, now.statement))) continue;
    const effect = (was.statement as Record<string, unknown>).Effect;
    if (effect !== 'Allow') {
      return (
        `${describe(was)} of the policy read would be changed or removed, and its Effect is ` +
        `${show(effect)}: only an Allow of ours may be taken back`
      );
    }
  }
  return undefined;
}

/** Our statement names no source bucket or account it did not name before, but the one reconciled. */
function addedSourceProblem(
  read: Placed[],
  written: Placed[],
  source: PolicyWrite['source'],
): string | undefined {
  const knownArns = new Set(read.flatMap((placed) => conditionValues(placed.statement, 'aws:sourcearn')));
  const knownAccounts = new Set(
    read.flatMap((placed) => conditionValues(placed.statement, 'aws:sourceaccount')),
  );
  for (const placed of written) {
    // oursProblem ran first: the statement has our shape.
    const { sourceArns, sourceAccounts } = grantSources(placed.statement as Record<string, unknown>);
    // The account-keyed pattern grants no bucket by itself: aws:SourceAccount, checked next, bounds it.
    const arn = sourceArns.find(
      (value) => !knownArns.has(value) && !isAnySourceArn(value) && sourceArnBucket(value) !== source.bucket,
    );
    if (arn !== undefined) {
      return `${describe(placed)} would newly grant ${arn}, which is not the bucket reconciled (${source.bucket})`;
    }
    const account = sourceAccounts.find(
      (value) => !knownAccounts.has(value) && value !== source.account && !source.accounts?.includes(value),
    );
    if (account !== undefined) {
      return `${describe(placed)} would newly grant account ${account}, not the source's account ${source.account}`;
    }
  }
  return undefined;
}

/** Our statements (by Sid, as `findGrant` finds them) and everyone else's, with their positions. */
function split(document: PolicyDocument, target: GrantTarget): { ours: Placed[]; foreign: Placed[] } {
  const ours: Placed[] = [];
  const foreign: Placed[] = [];
  statementsOf(document).forEach((statement: unknown, index) => {
    const own = isRecord(statement) && statement.Sid === GRANT_SIDS[target];
    (own ? ours : foreign).push({ index, statement });
  });
  return { ours, foreign };
}

/** Every value a statement's conditions give a key (condition keys are case-insensitive), as text. */
function conditionValues(statement: unknown, lowerKey: string): string[] {
  if (!isRecord(statement) || !isRecord(statement.Condition)) return [];
  return Object.values(statement.Condition).flatMap((block) =>
    isRecord(block)
      ? Object.entries(block).flatMap(([key, values]) =>
          key.toLowerCase() === lowerKey ? toArray(values).map(String) : [],
        )
      : [],
  );
}

function describe(placed: Placed): string {
  const sid = isRecord(placed.statement) ? placed.statement.Sid : undefined;
  return typeof sid === 'string' ? `statement #${placed.index} ("${sid}")` : `statement #${placed.index}`;
}

function show(value: unknown): string {
  return value === undefined ? 'absent' : JSON.stringify(value);
}
