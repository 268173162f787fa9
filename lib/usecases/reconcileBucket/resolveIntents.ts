import {
  type ChangeIntent,
  type IntentTarget,
  intentTarget,
  intentVerdict,
  resolutionEvent,
} from '../../core/reconcile/intents.js';
import type { ResolvedIntent } from '../../core/reconcile/outcome.js';
import type { ApplyPorts } from '../../core/reconcile/ports.js';
import { describeFailure, RetryableReconcileError } from '../../core/reconcile/reconcileErrors.js';

/**
 * How long an intent stays its worker's before a reconcile takes it for a dead worker's: longer than the
 * reconcile function's timeout (serverless.yml `custom.reconcileTimeout`, 120 s), so the Lambda that
 * recorded it has ended, and than one write with every SDK retry. A crashed worker's message comes back
 * only after the queue's visibility timeout (720 s) anyway; an earlier change event waits this out.
 */
export const INTENT_GRACE_MS = 180_000;

/** Who resolves, and when. */
export interface ResolveContext {
  bucket: string;
  actor: string;
  now: () => Date;
  graceMs: number;
}

/**
 * Resolves the unfinished intents of a bucket before it is planned (issue 17: no change without its
 * record). Each intent older than the grace is settled by reading its target now: the change happened (its
 * own event is recorded, same id as the dead worker's, so it is recorded once), or not (`change-not-applied`,
 * unless its worker abandoned it: that worker recorded the write's failure itself);
 * then the intent is completed and the plan that follows converges the bucket.
 * @throws RetryableReconcileError (conflict) when an intent is younger than the grace and not abandoned: its
 *   worker may still be writing, and a plan made now could record the same change a second time. Older ones are settled first.
 */
export async function resolveIntents(
  pending: readonly ChangeIntent[],
  ports: Pick<ApplyPorts, 'inventory' | 'bucketPolicy' | 'keyPolicy' | 'audit' | 'intents'>,
  context: ResolveContext,
): Promise<ResolvedIntent[]> {
  const now = context.now();
  const young = pending.filter((intent) => !intent.abandoned && ageMs(intent, now) < context.graceMs);
  const resolved: ResolvedIntent[] = [];
  for (const intent of pending) {
    if (young.includes(intent)) continue;
    const settled = await resolveOne(intent, ports, context);
    if (settled !== undefined) resolved.push(settled);
  }
  if (young.length > 0) {
    const [first] = young;
    throw new RetryableReconcileError(
      context.bucket,
      'conflict',
      `${context.bucket}: ${first!.event.action} of run ${first!.runId} (recorded ${first!.recordedAt}) is not finished yet: its worker may still be writing`,
    );
  }
  return resolved;
}

async function resolveOne(
  intent: ChangeIntent,
  ports: Parameters<typeof resolveIntents>[1],
  context: ResolveContext,
): Promise<ResolvedIntent | undefined> {
  const target = intentTarget(intent);
  if (target === undefined) {
    // Not an intent this service writes (a malformed item): nothing to read, nothing to record.
    await ports.intents?.complete(intent);
    return undefined;
  }
  const current = await readTarget(target, intent.bucket, ports);
  const verdict = intentVerdict(intent, target, current);
  if (verdict !== 'applied' && intent.abandoned) {
    // Its worker lived to record the failure of that write (`reconcile-failed`): nothing more to say.
    await ports.intents?.complete(intent).catch(() => undefined);
    return { intentId: intent.intentId, runId: intent.runId, verdict };
  }
  const event = resolutionEvent(intent, verdict, {
    actor: context.actor,
    time: context.now().toISOString(),
  });
  const { intents } = ports;
  try {
    // Recorded and completed in one act where the log can (#18 point 4); else one after the other.
    if (intents?.confirm !== undefined) {
      await intents.confirm(intent, event);
      return { intentId: intent.intentId, runId: intent.runId, verdict, eventId: event.eventId };
    }
    await ports.audit.record(event);
  } catch (error) {
    throw new RetryableReconcileError(
      context.bucket,
      'unverified',
      `${context.bucket}: recording ${event.action} for intent ${intent.intentId} failed: ${describeFailure(error)}`,
      { cause: error },
    );
  }
  // A completion that fails leaves the intent for the next reconcile, which records the same event again
  // (refused as a duplicate): nothing is lost or doubled.
  await ports.intents?.complete(intent).catch(() => undefined);
  return { intentId: intent.intentId, runId: intent.runId, verdict, eventId: event.eventId };
}

function readTarget(
  target: IntentTarget,
  bucket: string,
  ports: Pick<ApplyPorts, 'inventory' | 'bucketPolicy' | 'keyPolicy'>,
): Promise<unknown> {
  switch (target.kind) {
    case 'configuration':
      return ports.inventory.get(bucket, target.id);
    case 'destination-policy':
      return ports.bucketPolicy.get(target.bucket);
    case 'key-policy':
      return ports.keyPolicy.get(target.keyArn);
  }
}

function ageMs(intent: ChangeIntent, now: Date): number {
  const recorded = Date.parse(intent.recordedAt);
  // An unreadable time is treated as old: the intent is resolved rather than blocking the bucket forever.
  return Number.isFinite(recorded) ? now.getTime() - recorded : Number.POSITIVE_INFINITY;
}
