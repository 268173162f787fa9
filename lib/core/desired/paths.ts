/** A key written as `.key`; any other key is written `["key"]`, so that bucket names with dots stay one segment. */
const PLAIN_KEY = /^[^.[\]"'\s]+$/;
/** The last segment of a formatted path: `.key`, `[3]` or `["key"]`. */
const LAST_SEGMENT = /(?:\.[^.[]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])$/;

/**
 * A path as messages show it: `buckets.photos-prod.inventories[0].Schedule.Frequency`,
 * `buckets["logs.example.com"]`, `` for the root.
 */
export function formatPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((path, segment) => appendSegment(path, segment), '');
}

/** Appends one key or index to a formatted path. */
export function appendSegment(path: string, segment: PropertyKey): string {
  if (typeof segment === 'number') return `${path}[${segment}]`;
  const key = String(segment);
  if (!PLAIN_KEY.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

/**
 * Puts a path relative to a value (as `validateConfiguration` reports it: `Destination.S3BucketDestination.Format`,
 * `` for the value itself) under the formatted path of that value.
 */
export function joinPath(prefix: string, relative: string): string {
  if (relative === '') return prefix;
  if (prefix === '' || relative.startsWith('[')) return `${prefix}${relative}`;
  return `${prefix}.${relative}`;
}

/** The path without its last segment; `` for a top-level member or the root. */
export function parentPath(path: string): string {
  const last = LAST_SEGMENT.exec(path);
  return last === null ? '' : path.slice(0, last.index);
}
