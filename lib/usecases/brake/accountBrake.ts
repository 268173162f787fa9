import type { Alert } from '../../core/alerts/types.js';
import { withEventId } from '../../core/audit/eventId.js';
import type { AuditSink } from '../../core/audit/types.js';
import { isLimited } from '../../core/brake/brakeWindow.js';
import { HOLD_AUDIT_CHAIN } from '../../core/brake/constants.js';
import { holdAlert, holdStartedMessage } from '../../core/brake/holdMessages.js';
import type { BrakeLimits, Hold } from '../../core/brake/types.js';
import type { BrakeAnswer, BrakeRequest, ChangeBrake, ChangeWindowStore } from './ports.js';

/** What {@link accountBrake} needs. */
export interface AccountBrakeDeps {
  store: ChangeWindowStore;
  limits: BrakeLimits;
  /** Where `hold-started` is recorded. */
  audit: AuditSink;
  /** Sends the hold's one alert (SNS, else the outbox); absent: no alert topic. */
  announce?: (alert: Alert) => Promise<void>;
  now?: () => number;
}

/**
 * The account-wide brake (issue 17): every writer reserves its plan's changes in one sliding window shared
 * by every run (sweeps, desired-state changes, change events, `s3ir reconcile`). A reservation that would
 * cross `S3IR_MAX_CHANGES` / `S3IR_MAX_DELETES` puts the service on hold instead (once: a conditional put),
 * records `hold-started` with the counts and sends one `action-required` alert; from then on every
 * reservation is refused until `s3ir hold release`, and the writer handles its bucket in detect mode.
 * Without limits nothing is counted, but a hold in force is still honoured (one read, and only by a
 * bucket that has something to write; none when the writer's intent records check the hold at each write,
 * `holdCheckedAtWrite`).
 */
export function accountBrake(deps: AccountBrakeDeps): ChangeBrake {
  const now = deps.now ?? Date.now;
  return {
    async reserve(request: BrakeRequest): Promise<BrakeAnswer> {
      if (!isLimited(deps.limits)) {
        if (request.holdCheckedAtWrite === true) return { granted: true };
        const hold = await deps.store.currentHold();
        return hold === undefined ? { granted: true } : { granted: false, hold, started: false };
      }
      const at = now();
      const counts = { changes: request.changes, deletes: request.deletes };
      const answer = await deps.store.reserve(counts, deps.limits, at);
      if (answer.kind === 'granted') return { granted: true };
      if (answer.kind === 'held') return { granted: false, hold: answer.hold, started: false };
      const hold: Hold = {
        since: new Date(at).toISOString(),
        reason: answer.reason,
        counts: answer.used,
        requested: counts,
        limits: deps.limits,
        bucket: request.bucket,
        runId: request.runId,
        actor: request.actor,
      };
      if (!(await deps.store.startHold(hold))) {
        // Another writer crossed the limits at the same moment and put its hold first: that one stands.
        const standing = await deps.store.currentHold();
        return { granted: false, hold: standing ?? hold, started: false };
      }
      await announce(hold, deps);
      return { granted: false, hold, started: true };
    },
  };
}

/** The hold's audit event, then its alert: only the writer whose put started the hold calls this. */
async function announce(hold: Hold, deps: AccountBrakeDeps): Promise<void> {
  await deps.audit.record(
    withEventId(`hold:${hold.since}`, {
      time: hold.since,
      runId: hold.runId,
      bucket: HOLD_AUDIT_CHAIN,
      action: 'hold-started',
      actor: hold.actor,
      message: holdStartedMessage(hold),
      after: {
        since: hold.since,
        reason: hold.reason,
        counts: hold.counts,
        requested: hold.requested,
        limits: hold.limits,
        bucket: hold.bucket,
      },
    }),
  );
  await deps.announce?.(holdAlert(hold));
}
