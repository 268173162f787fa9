import { RELEASE_COMMAND } from '../../core/brake/constants.js';
import { describeCounts } from '../../core/brake/holdMessages.js';
import type { BrakeLimits, ChangeCounts, Hold } from '../../core/brake/types.js';
import { createStyle } from './style.js';

/** What `s3ir hold` shows: the hold in force (or none) and the window's counts against its limits. */
export interface HoldReport {
  version: 1;
  hold: Hold | null;
  window: ChangeCounts & BrakeLimits;
}

/** The report, from what the store read and the limits this process knows. */
export function holdReport(hold: Hold | undefined, counts: ChangeCounts, limits: BrakeLimits): HoldReport {
  return { version: 1, hold: hold ?? null, window: { ...counts, ...limits } };
}

/** `s3ir hold` as text. */
export function renderHold(report: HoldReport, options: { color: boolean; now: Date }): string {
  const style = createStyle(options.color);
  const { window } = report;
  const limits: BrakeLimits = {
    windowMinutes: window.windowMinutes,
    ...(window.maxChanges !== undefined && { maxChanges: window.maxChanges }),
    ...(window.maxDeletes !== undefined && { maxDeletes: window.maxDeletes }),
  };
  const limited = limits.maxChanges !== undefined || limits.maxDeletes !== undefined;
  const counted = `Window: ${describeCounts({ counts: window, limits })}${
    limited
      ? '.'
      : ' (no limits here: S3IR_MAX_CHANGES and S3IR_MAX_DELETES are unset, so nothing is counted).'
  }`;
  const { hold } = report;
  if (hold === null) return `No hold: the service applies changes.\n${counted}\n`;
  const minutes = Math.max(0, Math.round((options.now.getTime() - Date.parse(hold.since)) / 60_000));
  return [
    `${style.red('ON HOLD')} since ${hold.since} (${minutes} min ago): every bucket is handled in detect mode, nothing is written.`,
    `Why: ${hold.bucket} asked for ${hold.requested.changes} change(s) (${hold.requested.deletes} delete(s)), which would make ${hold.reason}.`,
    `When it started: ${describeCounts(hold)} (run ${hold.runId}, ${hold.actor}).`,
    counted,
    `Check what changed (s3ir audit --since ${hold.limits.windowMinutes || window.windowMinutes}m), then lift it: ${RELEASE_COMMAND}`,
    '',
  ].join('\n');
}

/** `s3ir hold release` as text. */
export function renderRelease(released: Hold | undefined, actor: string): string {
  if (released === undefined) return 'No hold in force: nothing to release.\n';
  return (
    `Hold released (in force since ${released.since}: ${released.reason}).\n` +
    `The window's counters were reset; recorded as hold-released by ${actor}.\n`
  );
}

/** What `s3ir apply` says after writing while the service is on hold (on stderr; the apply still succeeds). */
export function holdNote(hold: Hold): string {
  return (
    `s3ir apply: the service is on hold since ${hold.since} (${hold.reason}): this desired state is written, ` +
    `but no bucket is changed until ${RELEASE_COMMAND} (see s3ir hold).\n`
  );
}
