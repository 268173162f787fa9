import type { InventoryConfiguration } from '../inventory/types.js';

/**
 * Where S3 writes one configuration's reports (docs/aws-facts.md §4): `{prefix}/{source}/{id}/`, or
 * `{source}/{id}/` without a prefix. Dated folders, `data/` and `hive/` sit under it.
 */
export function reportBase(sourceBucket: string, configuration: InventoryConfiguration): string {
  const prefix = configuration.Destination?.S3BucketDestination?.Prefix;
  return `${prefix ? `${prefix}/` : ''}${sourceBucket}/${configuration.Id}/`;
}

const FOLDER = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})Z$/;
const pad = (n: number) => String(n).padStart(2, '0');

/** The dated folder name of a report created at `time`: `2026-11-26T04-00Z`. */
export function folderName(time: Date): string {
  const date = `${time.getUTCFullYear()}-${pad(time.getUTCMonth() + 1)}-${pad(time.getUTCDate())}`;
  return `${date}T${pad(time.getUTCHours())}-${pad(time.getUTCMinutes())}Z`;
}

/** The time a dated folder name stands for; undefined for anything else (`data`, `hive`, strays). */
export function folderTime(name: string): Date | undefined {
  const match = FOLDER.exec(name);
  if (!match) return undefined;
  const [, year, month, day, hours, minutes] = match.map(Number) as number[];
  const time = new Date(Date.UTC(year!, month! - 1, day!, hours!, minutes!));
  // Reject impossible dates that Date.UTC would roll over (2026-02-31).
  return folderName(time) === name ? time : undefined;
}
