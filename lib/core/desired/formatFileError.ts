import type { FileError } from './types.js';

/**
 * One error (or warning) as a line, compiler style, so that editors and terminals can jump to it.
 * @example formatFileError(error)
 *   // 'photos.yaml:12:9 buckets.photos-prod.inventories[0].Schedule.Frequency: expected Daily | Weekly, got "Hourly"'
 */
export function formatFileError(error: FileError): string {
  let location = error.file;
  if (error.line !== undefined) {
    location += `:${error.line}`;
    if (error.column !== undefined) location += `:${error.column}`;
  }
  const message = error.severity === 'warning' ? `warning: ${error.message}` : error.message;
  return error.path === '' ? `${location}: ${message}` : `${location} ${error.path}: ${message}`;
}
