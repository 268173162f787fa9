import { ACCOUNT_ID } from '../../core/organization/organizationIds.js';
import { InvalidBucketMessageError } from '../reconcileMessage/bucketMessage.js';

/** One unit of discovery work (#18): find the buckets templates select in one member account. */
export interface DiscoveryMessage {
  account: string;
  /** The sweep's run: the bucket messages it enqueues carry it. */
  runId: string;
}

/** Where discovery messages go: the discovery queue (`S3IR_DISCOVERY_QUEUE_URL`). */
export interface DiscoveryQueue {
  enqueueDiscovery(messages: readonly DiscoveryMessage[]): Promise<void>;
}

/** Reads a discovery message from a queue message body; a malformed one is never worth a retry. */
export function parseDiscoveryMessage(body: string): DiscoveryMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new InvalidBucketMessageError(`not JSON: ${body.slice(0, 80)}`);
  }
  const { account, runId } = (value ?? {}) as Record<string, unknown>;
  if (typeof account !== 'string' || !ACCOUNT_ID.test(account)) {
    throw new InvalidBucketMessageError(`no 12-digit account in ${body.slice(0, 80)}`);
  }
  if (typeof runId !== 'string' || runId === '')
    throw new InvalidBucketMessageError(`no runId in ${body.slice(0, 80)}`);
  return { account, runId };
}
