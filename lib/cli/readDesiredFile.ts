import { readFile } from 'node:fs/promises';
import type { DesiredStateFile } from '../core/desired/fileSchema.js';
import { loadDesiredFile } from '../core/desired/loadDesiredFile.js';
import type { LoadDesiredFileResult } from '../core/desired/types.js';
import { UserError } from './errors.js';

/**
 * Reads and checks a desired-state file. A file that cannot be read is a {@link UserError}; an invalid one
 * comes back with every error, a valid one with its warnings, for the caller to print with `formatFileError`.
 */
export async function readDesiredFile(path: string): Promise<LoadDesiredFileResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(error);
    throw new UserError(`cannot read ${path}: ${reason}`);
  }
  return loadDesiredFile(text, path);
}

/** Counts for the one-line summary of a valid file. */
export function describeFile(file: DesiredStateFile): string {
  const buckets = Object.values(file.buckets ?? {});
  const inventories = buckets.reduce((sum, entry) => sum + (entry.inventories?.length ?? 0), 0);
  const templates = file.templates?.length ?? 0;
  return `${plural(buckets.length, 'bucket')}, ${plural(inventories, 'inventory configuration')}, ${plural(templates, 'template')}`;
}

export function plural(count: number, noun: string): string {
  if (count === 1) return `1 ${noun}`;
  return `${count} ${noun.endsWith('configuration') ? `${noun}s` : noun.endsWith('y') ? noun : `${noun}s`}`;
}
