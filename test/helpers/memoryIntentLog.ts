import type { AuditEvent, AuditSink } from '../../lib/core/audit/types.js';
import type { ChangeIntent, HoldFound } from '../../lib/core/reconcile/intents.js';
import type { IntentStore } from '../../lib/usecases/ports.js';

export interface MemoryIntentLogOptions {
  /** Where to log `intent.record <action> <configId|target>`, `intent.complete …`, `intent.abandon …` (e.g. an estate's `calls`). */
  log?: string[];
  /** Thrown by `record` (the state table refusing or throttling). */
  recordError?: Error;
  /**
   * #18 point 4: `record` checks the hold as DynamoIntentLog's transaction does (`checksHold`): while this
   * answers one, nothing is recorded and the record answers it.
   */
  hold?: () => HoldFound | undefined;
  /**
   * #18 point 4: `confirm` records the event in this sink and completes the intent in one act, as
   * DynamoIntentLog does with the audit append; logged `intent.confirm …`.
   */
  confirmInto?: AuditSink;
}

/** Intents kept in memory, by bucket and intent id, as lib/adapters/aws/DynamoIntentLog keeps them. */
export interface MemoryIntentLog extends IntentStore {
  readonly intents: Map<string, ChangeIntent>;
}

export function createMemoryIntentLog(options: MemoryIntentLogOptions = {}): MemoryIntentLog {
  const intents = new Map<string, ChangeIntent>();
  const name = (intent: ChangeIntent) =>
    `${intent.event.action} ${intent.event.configId ?? intent.event.target ?? ''}`.trim();
  const { hold, confirmInto } = options;
  return {
    intents,
    ...(hold !== undefined && { checksHold: true }),
    ...(confirmInto !== undefined && {
      async confirm(intent: ChangeIntent, event: AuditEvent) {
        options.log?.push(`intent.confirm ${name(intent)}`);
        await confirmInto.record(event);
        intents.delete(`${intent.bucket}#${intent.intentId}`);
      },
    }),
    async record(intent) {
      options.log?.push(`intent.record ${name(intent)}`);
      if (options.recordError) throw options.recordError;
      const found = hold?.();
      if (found !== undefined) return { held: found };
      intents.set(`${intent.bucket}#${intent.intentId}`, structuredClone(intent));
      return undefined;
    },
    async complete(intent) {
      options.log?.push(`intent.complete ${name(intent)}`);
      intents.delete(`${intent.bucket}#${intent.intentId}`);
    },
    async abandon(intent) {
      options.log?.push(`intent.abandon ${name(intent)}`);
      intents.set(`${intent.bucket}#${intent.intentId}`, { ...structuredClone(intent), abandoned: true });
    },
    async pending(bucket) {
      return [...intents.values()]
        .filter((intent) => intent.bucket === bucket)
        .sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
    },
  };
}

/**
 * An audit sink that refuses a second event with the same id as DynamoAuditSink does (counted as recorded,
 * stored once), over a plain event list.
 */
export function dedupingAudit(events: AuditEvent[], inner?: AuditSink): AuditSink {
  return {
    async record(event) {
      if (events.some((kept) => kept.eventId === event.eventId)) return;
      if (inner) await inner.record(event);
      else events.push(structuredClone(event));
    },
  };
}
