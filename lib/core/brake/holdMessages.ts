import type { Alert } from '../alerts/types.js';
import { RELEASE_COMMAND } from './constants.js';
import type { Hold } from './types.js';

/** Counts against limits, one line: `12 of 100 changes, 3 of 10 deletes in the last 60 min`. */
export function describeCounts(hold: Pick<Hold, 'counts' | 'limits'>): string {
  const of = (count: number, limit: number | undefined) =>
    limit === undefined ? `${count}` : `${count} of ${limit}`;
  const { counts, limits } = hold;
  return `${of(counts.changes, limits.maxChanges)} changes, ${of(counts.deletes, limits.maxDeletes)} deletes in the last ${limits.windowMinutes} min`;
}

/** The one line of the `hold-started` audit event and the alert's summary: why, and how to release. */
export function holdStartedMessage(hold: Hold): string {
  return (
    `Service on hold: ${hold.bucket} asked for ${hold.requested.changes} change(s) (${hold.requested.deletes} delete(s)), ` +
    `which would make ${hold.reason}. Every bucket is handled in detect mode (drift recorded, nothing written) ` +
    `until a human checks the recent changes (s3ir audit --since ${hold.limits.windowMinutes}m) and runs \`${RELEASE_COMMAND}\`.`
  );
}

/** The `hold-released` audit event's line. */
export function holdReleasedMessage(hold: Hold, releasedBy: string): string {
  return `Hold released by ${releasedBy}; it had been in force since ${hold.since} (${hold.reason}). The window's counters were reset.`;
}

/**
 * The one `action-required` alert (severity high) a hold raises, sent once by the worker whose reservation
 * started it. `bucket` is the bucket whose changes crossed the limits; `detail` carries the whole hold.
 */
export function holdAlert(hold: Hold): Alert {
  return {
    type: 'action-required',
    bucket: hold.bucket,
    runId: hold.runId,
    since: hold.since,
    summary: holdStartedMessage(hold),
    detail: {
      hold: {
        since: hold.since,
        reason: hold.reason,
        counts: hold.counts,
        requested: hold.requested,
        limits: hold.limits,
      },
      release: RELEASE_COMMAND,
    },
    nextSteps: [
      `See the hold and the window's counts: \`s3ir hold\``,
      `Check what changed: \`s3ir audit --since ${hold.limits.windowMinutes}m\``,
      `Then lift it: \`${RELEASE_COMMAND}\` (or fix the desired state first)`,
    ],
  };
}
