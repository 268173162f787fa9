import { withEventId } from '../../core/audit/eventId.js';
import type { AuditSink } from '../../core/audit/types.js';
import { HOLD_AUDIT_CHAIN } from '../../core/brake/constants.js';
import { holdReleasedMessage } from '../../core/brake/holdMessages.js';
import type { Hold } from '../../core/brake/types.js';
import type { ChangeWindowStore } from './ports.js';

/** What {@link releaseHold} needs. */
export interface ReleaseHoldDeps {
  store: ChangeWindowStore;
  audit: AuditSink;
  windowMinutes: number;
  /** Who releases: the caller's identity (STS GetCallerIdentity). */
  actor: string;
  runId: string;
  now?: () => number;
}

/**
 * `s3ir hold release`: lifts the hold and resets the window's counters (else the next reservation would
 * cross the same limits at once), and records `hold-released` with the caller. Undefined when no hold was
 * in force: nothing is recorded then.
 */
export async function releaseHold(deps: ReleaseHoldDeps): Promise<Hold | undefined> {
  const at = (deps.now ?? Date.now)();
  const released = await deps.store.release(deps.windowMinutes, at);
  if (released === undefined) return undefined;
  const time = new Date(at).toISOString();
  await deps.audit.record(
    withEventId(`hold:${released.since}`, {
      time,
      runId: deps.runId,
      bucket: HOLD_AUDIT_CHAIN,
      action: 'hold-released',
      actor: deps.actor,
      message: holdReleasedMessage(released, deps.actor),
      before: { since: released.since, reason: released.reason, counts: released.counts },
    }),
  );
  return released;
}
