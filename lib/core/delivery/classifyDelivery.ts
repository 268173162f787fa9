import { type DeliveryStatus, DeliveryStatus as Status } from './types.js';

const HOUR_MS = 3_600_000;

/** How often S3 writes a report, and how late one may be before it counts as late. */
export const EXPECTED_INTERVAL_MS: Readonly<Record<string, number>> = {
  Daily: 24 * HOUR_MS,
  Weekly: 7 * 24 * HOUR_MS,
};
/** Reports do not arrive on the minute: Daily ones drift by hours, Weekly ones by up to a day. */
export const SLACK_MS: Readonly<Record<string, number>> = { Daily: 12 * HOUR_MS, Weekly: 24 * HOUR_MS };
/** S3 may take up to 48 hours to deliver the first report of a new or changed configuration (docs/aws-facts.md §4). */
export const GRACE_MS = 48 * HOUR_MS;

/** The newest complete report found, with what verifying it found wrong. */
export interface NewestReport {
  time: Date;
  folder: string;
  problems: string[];
}

export interface DeliveryObservation {
  /** `Daily` or `Weekly`. */
  frequency: string;
  now: Date;
  newest?: NewestReport;
  /** When the configuration was last created or changed (audit history); unknown for adopted ones. */
  changedAt?: Date;
}

/** How late a report may be for this schedule: the interval plus slack. */
export function allowedAgeMs(frequency: string): number {
  return (
    (EXPECTED_INTERVAL_MS[frequency] ?? EXPECTED_INTERVAL_MS.Weekly!) +
    (SLACK_MS[frequency] ?? SLACK_MS.Weekly!)
  );
}

/**
 * The delivery status of one configuration (issue #8): `invalid` when the newest complete report fails
 * verification, `ok` when it is recent enough, `late` when it is older than the interval plus slack.
 * Without a report made since the last change: `pending` within the grace period after that change,
 * then `late` if older reports exist, `missing` if none ever arrived. Pure.
 */
export function classifyDelivery(observation: DeliveryObservation): {
  status: DeliveryStatus;
  reason?: string;
} {
  const { newest, changedAt, now, frequency } = observation;
  const sinceChange =
    changedAt === undefined ? Number.POSITIVE_INFINITY : now.getTime() - changedAt.getTime();
  // Folder names keep only the minute: a report of the change's own minute counts as after it.
  const reportAfterChange =
    newest !== undefined && (changedAt === undefined || newest.time.getTime() >= floorToMinute(changedAt));
  if (!reportAfterChange && sinceChange < GRACE_MS) {
    return {
      status: Status.Pending,
      reason: `no report since the configuration changed at ${changedAt!.toISOString()}; the first one can take 48 h`,
    };
  }
  if (newest === undefined) {
    const since = changedAt === undefined ? '' : ` (configured ${changedAt.toISOString()})`;
    return { status: Status.Missing, reason: `no report has ever arrived${since}` };
  }
  if (!reportAfterChange) {
    return {
      status: Status.Late,
      reason: `no report since the configuration changed at ${changedAt!.toISOString()}; the newest, ${newest.folder}, predates it`,
    };
  }
  if (newest.problems.length > 0) {
    return { status: Status.Invalid, reason: `report ${newest.folder}: ${newest.problems.join('; ')}` };
  }
  const age = now.getTime() - newest.time.getTime();
  if (age > allowedAgeMs(frequency)) {
    const interval = frequency === 'Daily' ? 'every 24 h' : 'every 7 days';
    return {
      status: Status.Late,
      reason: `the newest report, ${newest.folder}, is ${describeAge(age)} old; ${frequency} reports arrive ${interval}`,
    };
  }
  return { status: Status.Ok };
}

function floorToMinute(time: Date): number {
  return Math.floor(time.getTime() / 60_000) * 60_000;
}

function describeAge(ms: number): string {
  const hours = Math.floor(ms / HOUR_MS);
  return hours >= 48 ? `${Math.floor(hours / 24)} days` : `${hours} h`;
}
