import type { AuditEvent, AuditSink } from '../../lib/core/audit/types.js';
import type { ChangeIntent } from '../../lib/core/reconcile/intents.js';
import type { IntentStore } from '../../lib/usecases/ports.js';

export interface MemoryIntentLogOptions {
  /** Where to log `intent.record <action> <configId|target>`, `intent.complete …`, `intent.abandon …` (e.g. an estate's `calls`). */
  log?: string[];
  /** Thrown by `record` (the state table refusing or throttling). */
  recordError?: Error;
}

/** Intents kept in memory, by bucket and intent id, as lib/adapters/aws/DynamoIntentLog keeps them. */
export interface MemoryIntentLog extends IntentStore {
  readonly intents: Map<string, ChangeIntent>;
}

export function createMemoryIntentLog(options: MemoryIntentLogOptions = {}): MemoryIntentLog {
  const intents = new Map<string, ChangeIntent>();
  const name = (intent: ChangeIntent) =>
    `${intent.event.action} ${intent.event.configId ?? intent.event.target ?? ''}`.trim();
  return {
    intents,
    async record(intent) {
      options.log?.push(`intent.record ${name(intent)}`);
      if (options.recordError) throw options.recordError;
      intents.set(`${intent.bucket}#${intent.intentId}`, structuredClone(intent));
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
