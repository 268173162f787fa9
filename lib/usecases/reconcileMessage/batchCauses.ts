import type { ChangeCause } from '../../core/reconcile/changeCause.js';
import type { ApplyContext } from '../../core/reconcile/ports.js';
import { parseBucketMessage } from './bucketMessage.js';

/**
 * The causes carried by a batch's messages, by bucket. Several change events about one bucket in one
 * batch are coalesced: the first of its messages reconciles everything they changed, so it records each
 * drift with the newest cause about it (lib/core/reconcile/changeCause.ts `causeFor`), and the others find
 * nothing left to do. A body that does not parse is left to fail on its own.
 */
export function causesByBucket(bodies: readonly string[]): ReadonlyMap<string, readonly ChangeCause[]> {
  const causes = new Map<string, ChangeCause[]>();
  for (const body of bodies) {
    let message: ReturnType<typeof parseBucketMessage>;
    try {
      message = parseBucketMessage(body);
    } catch {
      continue;
    }
    if (message.cause === undefined) continue;
    const known = causes.get(message.bucket) ?? [];
    if (!known.some((cause) => cause.eventId === message.cause!.eventId)) known.push(message.cause);
    causes.set(message.bucket, known);
  }
  return causes;
}

/** The context with the causes of the bucket's messages; unchanged when there are none. */
export function withCauses(context: ApplyContext, causes: readonly ChangeCause[] | undefined): ApplyContext {
  return causes === undefined || causes.length === 0 ? context : { ...context, causes };
}
