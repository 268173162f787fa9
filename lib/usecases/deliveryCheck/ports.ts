/** Where a destination bucket is read: its name and, when another account owns it, that account. */
export interface ReportLocation {
  bucket: string;
  account?: string;
  region?: string;
}

/** Reads delivered reports in a destination bucket (lib/adapters/aws/S3ReportReader). */
export interface ReportReader {
  /**
   * The names of the folders directly under `base` (ListObjectsV2 with delimiter `/`), ascending, every
   * page; only those after `startAfter` (a full key) when given.
   */
  listFolders(location: ReportLocation, base: string, startAfter?: string): Promise<string[]>;
  /** An object's text; undefined when there is no such object. */
  readText(location: ReportLocation, key: string): Promise<string | undefined>;
  /** An object's size in bytes; undefined when there is no such object. */
  objectSize(location: ReportLocation, key: string): Promise<number | undefined>;
}

/** When a configuration was last created or changed on its bucket (the audit history). */
export interface ChangeHistory {
  /** ISO 8601 UTC; undefined when the history has no such change (e.g. an adopted configuration). */
  lastChange(bucket: string, configId: string): Promise<string | undefined>;
}
