/** Changes and deletes: what a bucket asks to make, or what the window holds. */
export interface ChangeCounts {
  changes: number;
  deletes: number;
}

/**
 * The account-wide brake's limits (`S3IR_MAX_CHANGES` / `S3IR_MAX_DELETES`) over a sliding window of
 * `windowMinutes` (`S3IR_BRAKE_WINDOW_MINUTES`). An absent limit does not count; with neither, there is no
 * brake (but a hold in force is still honoured).
 */
export interface BrakeLimits {
  maxChanges?: number;
  maxDeletes?: number;
  windowMinutes: number;
}

/**
 * The service on hold (the `#hold` item): every bucket is handled in detect mode until a human runs
 * `s3ir hold release`. Written once, by the reservation that would have crossed the limits.
 */
export interface Hold {
  /** ISO 8601 UTC. */
  since: string;
  /** One line: which limit the window would have crossed, and by how much. */
  reason: string;
  /** What the window held when the hold started (before the refused reservation). */
  counts: ChangeCounts;
  /** What the refused reservation asked for. */
  requested: ChangeCounts;
  limits: BrakeLimits;
  /** The bucket whose reservation crossed the limits, and its run. */
  bucket: string;
  runId: string;
  actor: string;
}
