import { stringify } from 'yaml';
import { checkFileSchema } from '../../../../lib/core/desired/fileIssues.js';
import type { DesiredStateFile } from '../../../../lib/core/desired/fileSchema.js';
import { formatFileError } from '../../../../lib/core/desired/formatFileError.js';
import { loadDesiredFile } from '../../../../lib/core/desired/loadDesiredFile.js';
import { parseSource } from '../../../../lib/core/desired/parseSource.js';
import type { Locate } from '../../../../lib/core/desired/types.js';
import { makeConfiguration } from '../../../helpers/factories.js';

export const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** A valid configuration with members replaced; `undefined` removes one. */
export function configuration(
  members: Record<string, unknown> = {},
  id = 'daily-csv',
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...makeConfiguration({ Id: id }), ...members };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return merged;
}

/** A valid configuration with members of S3BucketDestination replaced (`undefined` removes one). */
export function destination(members: Record<string, unknown>, id = 'daily-csv'): Record<string, unknown> {
  const base = makeConfiguration({ Id: id });
  const merged: Record<string, unknown> = { ...base.Destination!.S3BucketDestination, ...members };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return { ...base, Destination: { S3BucketDestination: merged } };
}

/** Any value as YAML text, block style, never folded. */
export function yamlOf(value: unknown): string {
  return stringify(value, { lineWidth: 0 });
}

/** A file with one bucket `photos-prod` holding the given inventories. */
export function bucketWith(inventories: unknown[], entry: Record<string, unknown> = {}): string {
  return yamlOf({ version: 1, buckets: { 'photos-prod': { ...entry, inventories } } });
}

/** A file with one template holding the given members over a valid template. */
export function templateWith(members: Record<string, unknown>): string {
  const template: Record<string, unknown> = {
    name: 'all-prod',
    match: { tags: { env: 'prod' } },
    inventories: [configuration()],
    ...members,
  };
  for (const key of Object.keys(template)) if (template[key] === undefined) delete template[key];
  return yamlOf({ version: 1, templates: [template] });
}

/** A file with one template matching the given name globs. */
export function globsFile(names: unknown[]): string {
  return templateWith({ match: { names } });
}

/** A file with templates given as [name, match, inventory Ids], and bucket entries. */
export function templatesFile(
  templates: Array<[string, Record<string, unknown>, string[]]>,
  buckets?: Record<string, unknown>,
): string {
  return yamlOf({
    version: 1,
    ...(buckets && { buckets }),
    templates: templates.map(([name, match, ids]) => ({
      name,
      match,
      inventories: ids.map((id) => configuration({}, id)),
    })),
  });
}

/** The 1-based line of the first line of `text` holding `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index === -1) throw new Error(`${JSON.stringify(needle)} is not in the text:\n${text}`);
  return index + 1;
}

/** The 1-based line of the last line of `text` holding `needle`. */
export function lastLineOf(text: string, needle: string): number {
  const lines = text.split('\n');
  for (let index = lines.length - 1; index >= 0; index--)
    if (lines[index]!.includes(needle)) return index + 1;
  throw new Error(`${JSON.stringify(needle)} is not in the text:\n${text}`);
}

/** Loads a file given as data (through YAML text, as a user would write it) and fails the test if invalid. */
export function validFile(data: unknown): { file: DesiredStateFile; locate: Locate; text: string } {
  const text = yamlOf(data);
  const result = loadDesiredFile(text, 'desired.yaml');
  if (!result.ok) throw new Error(`expected a valid file:\n${result.errors.map(formatFileError).join('\n')}`);
  return { file: result.file, locate: result.locate, text };
}

/**
 * A file the loader refuses only because two of its templates give one Id to every bucket both match by
 * name: what `resolveDesiredState` still sees in the table's templates (written by hand, or by an older s3ir).
 * Fails the test if the loader accepts it or refuses it for anything else.
 */
export function overlappingFile(data: unknown): { file: DesiredStateFile; locate: Locate; text: string } {
  const text = yamlOf(data);
  const result = loadDesiredFile(text, 'desired.yaml');
  const others = result.ok
    ? []
    : result.errors.filter((error) => !error.message.includes('both give the Id'));
  if (result.ok || others.length > 0)
    throw new Error(`expected only template overlaps:\n${others.map(formatFileError).join('\n')}`);
  const source = parseSource(text, 'yaml');
  const { file } = checkFileSchema(source.value);
  return { file: file!, locate: source.locate, text };
}
