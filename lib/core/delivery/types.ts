/** Report-delivery health of one configuration (Contract: `s3ir delivery --json`). */
export const DeliveryStatus = {
  /** A verified report arrived within the expected interval. */
  Ok: 'ok',
  /** No report yet, but the configuration was created or changed less than the grace period ago. */
  Pending: 'pending',
  /** The newest report is older than the expected interval. */
  Late: 'late',
  /** No report at all after the grace period. */
  Missing: 'missing',
  /** The newest report fails verification: checksum, source, destination, format or listed files. */
  Invalid: 'invalid',
} as const;
export type DeliveryStatus = (typeof DeliveryStatus)[keyof typeof DeliveryStatus];

/** One configuration's delivery health, exactly as `s3ir delivery --json` prints it. */
export interface DeliveryResult {
  bucket: string;
  id: string;
  status: DeliveryStatus;
  /** ISO 8601 UTC: when the newest complete report was created. */
  lastDelivery?: string;
  /** For every status but `ok`: what is wrong and, when found, its most likely cause. */
  reason?: string;
}

/** Whether a status needs nobody's attention (exit 0 of `s3ir delivery`). */
export function isHealthy(status: DeliveryStatus): boolean {
  return status === DeliveryStatus.Ok || status === DeliveryStatus.Pending;
}
