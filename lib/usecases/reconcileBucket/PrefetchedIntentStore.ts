import type { AuditEvent } from '../../core/audit/types.js';
import { compareCodeUnits } from '../../core/json/compareCodeUnits.js';
import type { ChangeIntent, IntentRecordAnswer } from '../../core/reconcile/intents.js';
import { isIntentHeld } from '../../core/reconcile/intents.js';
import type { IntentStore } from '../ports.js';

/** Unfinished intents read ahead, by bucket: an empty list for a bucket read and found to have none. */
export type KnownIntents = Map<string, ChangeIntent[]>;

/** An intent store that also reads many buckets' unfinished intents at once (a reconcile batch's). */
export interface BatchIntentStore extends IntentStore {
  /** The buckets the read covered, each with its intents, oldest first; a bucket left out reads its own. */
  pendingOf(buckets: readonly string[]): Promise<KnownIntents>;
}

/**
 * An intent store that answers `pending` from intents read ahead for a whole batch (#18 point 4: one Query
 * per batch, not one per bucket) and keeps them current as the batch writes: a second message of the same
 * bucket sees what the first left (an intent abandoned, or one whose completion failed). A bucket not read
 * ahead, or whose record, completion or abandon failed (the item may or may not be there), reads its own.
 *
 * What it does not see: an intent another worker records after the batch's read. That is the race a
 * per-bucket read has too (an intent recorded just after it), only over the batch rather than one bucket:
 * such a worker's change is then seen by this plan's own reads (it reads the target before each write and
 * re-plans on a difference), and its intent is resolved by the next reconcile of the bucket.
 */
export class PrefetchedIntentStore implements IntentStore {
  private readonly store: IntentStore;
  private readonly known: KnownIntents;
  readonly checksHold?: boolean;
  readonly confirm?: (intent: ChangeIntent, event: AuditEvent) => Promise<void>;

  constructor(store: IntentStore, known: KnownIntents) {
    this.store = store;
    this.known = new Map([...known].map(([bucket, intents]) => [bucket, [...intents]]));
    if (store.checksHold !== undefined) this.checksHold = store.checksHold;
    const { confirm } = store;
    if (confirm !== undefined) {
      this.confirm = (intent, event) => this.confirmWith(confirm, intent, event);
    }
  }

  async pending(bucket: string): Promise<ChangeIntent[]> {
    const known = this.known.get(bucket);
    return known === undefined ? this.store.pending(bucket) : known.map((intent) => ({ ...intent }));
  }

  async record(intent: ChangeIntent): Promise<IntentRecordAnswer> {
    const answer = await this.forgetOnFailure(intent, () => this.store.record(intent));
    if (!isIntentHeld(answer)) this.remember(intent);
    return answer;
  }

  async complete(intent: ChangeIntent): Promise<void> {
    await this.forgetOnFailure(intent, () => this.store.complete(intent));
    this.drop(intent);
  }

  async abandon(intent: ChangeIntent): Promise<void> {
    await this.forgetOnFailure(intent, () => this.store.abandon(intent));
    this.remember({ ...intent, abandoned: true });
  }

  private async confirmWith(
    confirm: NonNullable<IntentStore['confirm']>,
    intent: ChangeIntent,
    event: AuditEvent,
  ): Promise<void> {
    await this.forgetOnFailure(intent, () => confirm.call(this.store, intent, event));
    this.drop(intent);
  }

  /** A write that failed may or may not have happened: the bucket's intents are read again next time. */
  private async forgetOnFailure<T>(intent: ChangeIntent, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      this.known.delete(intent.bucket);
      throw error;
    }
  }

  private remember(intent: ChangeIntent): void {
    const intents = this.known.get(intent.bucket);
    if (intents === undefined) return;
    const others = intents.filter((kept) => kept.intentId !== intent.intentId);
    this.known.set(intent.bucket, [...others, intent].sort(byAge));
  }

  private drop(intent: ChangeIntent): void {
    const intents = this.known.get(intent.bucket);
    if (intents === undefined) return;
    this.known.set(
      intent.bucket,
      intents.filter((kept) => kept.intentId !== intent.intentId),
    );
  }
}

function byAge(a: ChangeIntent, b: ChangeIntent): number {
  return compareCodeUnits(a.recordedAt, b.recordedAt) || compareCodeUnits(a.intentId, b.intentId);
}
