import { isRecord } from '../../core/json/isRecord.js';
import type { ChangeCause } from '../../core/reconcile/changeCause.js';
import { ReconcileError } from '../../core/reconcile/errors.js';
import { parseChangeCause } from '../../core/reconcile/parseChangeCause.js';
import type { BucketLocation } from '../reconcileBucket/readBucketState.js';
import { parseMessageTags } from './messageTags.js';

/**
 * One unit of work on the reconcile queue: a bucket to converge. `runId` groups a sweep (facts are shared
 * within a run) and stamps audit events; `reason` is for logs only: the worker never branches on it.
 */
export interface BucketMessage {
  bucket: string;
  runId: string;
  reason?: string;
  /**
   * Where the scheduler saw the bucket (its settings item): a hint that lets the worker list the bucket
   * while it reads the desired state, never trusted over that state.
   */
  region?: string;
  account?: string;
  /**
   * The bucket's whole tag set as discovery read it in the bucket's own account seconds earlier (#18): the
   * worker matches templates with it instead of asking again. Absent: the worker looks the tags up. Kept only
   * with a usable `region` (it belongs to the location); within S3's limits, else the message is refused.
   */
  tags?: Record<string, string>;
  /**
   * Who made the change, when a CloudTrail change event sent this message: recorded on the drift and
   * change events about what that call touched, never read by the plan.
   */
  cause?: ChangeCause;
}

/** What a region hint must look like to be used (`us-east-1`, `eu-central-2`, `us-gov-west-1`…). */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ACCOUNT = /^\d{12}$/;

/** Where bucket messages go: the SQS reconcile queue in the service. */
export interface ReconcileQueue {
  enqueue(messages: readonly BucketMessage[]): Promise<void>;
}

/** A queue message that is not a bucket message: a bug or a stray sender, never worth a retry. */
export class InvalidBucketMessageError extends ReconcileError {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidBucketMessageError';
  }
}

/** Reads a bucket message from a queue message body. */
export function parseBucketMessage(body: string): BucketMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new InvalidBucketMessageError(`not JSON: ${body.slice(0, 80)}`);
  }
  if (!isRecord(value) || typeof value.bucket !== 'string' || value.bucket === '') {
    throw new InvalidBucketMessageError(`no bucket in ${body.slice(0, 80)}`);
  }
  if (typeof value.runId !== 'string' || value.runId === '') {
    throw new InvalidBucketMessageError(`no runId in ${body.slice(0, 80)}`);
  }
  const message: BucketMessage = { bucket: value.bucket, runId: value.runId };
  if (typeof value.reason === 'string') message.reason = value.reason;
  // Tags that break S3's limits are no bucket's: the sender is broken or not ours, so the message is refused.
  const tags = value.tags === undefined ? undefined : parseMessageTags(value.tags);
  if (tags !== undefined && 'problem' in tags) {
    throw new InvalidBucketMessageError(`bucket ${value.bucket.slice(0, 63)}: ${tags.problem}`);
  }
  // A malformed hint is dropped, not refused: the worker reads where the bucket lives anyway.
  if (typeof value.region === 'string' && REGION.test(value.region)) {
    message.region = value.region;
    if (typeof value.account === 'string' && ACCOUNT.test(value.account)) message.account = value.account;
    if (tags !== undefined) message.tags = tags.tags;
  }
  // Metadata from an untrusted sender: kept only when every field checks out, else dropped.
  const cause = value.cause === undefined ? undefined : parseChangeCause(value.cause);
  if (cause !== undefined) message.cause = cause;
  return message;
}

/** The location hint of a message, when it carries one. */
export function messageLocation(message: BucketMessage): BucketLocation | undefined {
  if (message.region === undefined) return undefined;
  return {
    region: message.region,
    ...(message.account !== undefined && { account: message.account }),
    ...(message.tags !== undefined && { tags: message.tags }),
  };
}

/** The body of a bucket message. */
export function formatBucketMessage(message: BucketMessage): string {
  return JSON.stringify(message);
}
