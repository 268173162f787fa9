import { extname } from 'node:path';
import { duplicateIssues } from './duplicateChecks.js';
import { checkFileSchema } from './fileIssues.js';
import { parseSource } from './parseSource.js';
import { templateOverlapIssues } from './templateOverlaps.js';
import type { FileError, LoadDesiredFileResult, Locate, PathIssue, SourceIssue } from './types.js';

/**
 * Reads a desired-state file (YAML, or JSON when the name ends in `.json`) and checks all of it, reporting every
 * error at once, each with the file, line and column, path and reason. Never throws for any text: a syntax error,
 * duplicate key, unknown member, bad value, bad inventory configuration, repeated Id or template name all come
 * back as errors, and so do two templates that give one Id to every bucket both match by name. Two templates
 * whose tags decide whether they meet on a bucket come back as `warnings` of a valid file. On success `locate`
 * places any path of the file (for errors found later, such as template conflicts on the account's buckets).
 * @example
 * const result = loadDesiredFile(readFileSync('photos.yaml', 'utf8'), 'photos.yaml');
 * if (!result.ok) for (const error of result.errors) console.error(formatFileError(error));
 */
export function loadDesiredFile(text: string, fileName: string): LoadDesiredFileResult {
  try {
    return load(text, fileName);
  } catch (error) {
    // Not reachable for any string; kept so that a bug in a check is reported as an error, not a crash.
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      errors: [{ file: fileName, path: '', message: `could not check the file: ${reason}` }],
    };
  }
}

function load(text: string, fileName: string): LoadDesiredFileResult {
  const format = extname(fileName).toLowerCase() === '.json' ? 'json' : 'yaml';
  const source = parseSource(text, format);
  const place = (issue: PathIssue): SourceIssue => ({ ...issue, ...source.locate(issue.path) });
  const issues: SourceIssue[] = [...source.issues];
  if (source.value === null) {
    // An empty file (or only comments): say so rather than "got null".
    issues.push({
      path: '',
      message: 'the file holds no data: expected a mapping with version: 1 and buckets or templates',
    });
    return { ok: false, errors: issues.map((issue) => ({ file: fileName, ...issue })) };
  }
  const checked = source.value === undefined ? undefined : checkFileSchema(source.value);
  if (checked !== undefined) {
    const describePlace = (path: string) => describeAt(path, source.locate);
    issues.push(...[...checked.issues, ...duplicateIssues(source.value, describePlace)].map(place));
  }
  if (checked?.file === undefined || issues.length > 0) {
    return { ok: false, errors: issues.map((issue) => ({ file: fileName, ...issue })).sort(byPlace) };
  }
  // Only a file valid in every other way has templates whose selectors can be compared.
  const placeOf = (path: string) => `${fileName}:${source.locate(path)?.line ?? '?'}`;
  const overlaps = templateOverlapIssues(checked.file, placeOf);
  const errors = overlaps.errors.map((issue) => ({ file: fileName, ...place(issue) }));
  if (errors.length > 0) return { ok: false, errors: errors.sort(byPlace) };
  const warnings = overlaps.warnings.map((issue) => ({
    file: fileName,
    ...place(issue),
    severity: 'warning' as const,
  }));
  return { ok: true, file: checked.file, locate: source.locate, warnings: warnings.sort(byPlace) };
}

function describeAt(path: string, locate: Locate): string {
  const line = locate(path)?.line;
  return line === undefined ? path : `${path} (line ${line})`;
}

function byPlace(a: FileError, b: FileError): number {
  return (
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
  );
}
