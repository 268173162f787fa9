import { stringify } from 'yaml';
import { DESIRED_FILE_VERSION } from '../core/desired/constants.js';
import type { InventoryConfiguration } from '../core/inventory/types.js';
import { compareCodeUnits } from '../core/json/compareCodeUnits.js';

export interface ImportFileOptions {
  bucket: string;
  /** Kept in the entry, so the service never asks for it again (DESIGN, cost). */
  region?: string;
  /** Where the JSON Schema is, relative to the file: the editor hint on the first line. */
  schemaPath: string;
  /** For the comment line that says where the file came from. */
  importedAt: string;
}

/**
 * A desired-state file (the lib/desired format) declaring exactly a bucket's actual configurations, sorted
 * by Id, each in the S3 API's own shape, so that applying it changes nothing. Pure.
 */
export function importFile(
  configurations: readonly InventoryConfiguration[],
  options: ImportFileOptions,
): string {
  const inventories = [...configurations]
    .sort((a, b) => compareCodeUnits(a.Id ?? '', b.Id ?? ''))
    .map(readableOrder);
  const entry = { ...(options.region !== undefined && { region: options.region }), inventories };
  const document = { version: DESIRED_FILE_VERSION, buckets: { [options.bucket]: entry } };
  return [
    `# yaml-language-server: $schema=${options.schemaPath}`,
    `# Imported from the actual inventory configurations of ${options.bucket} on ${options.importedAt}`,
    '# by `s3ir import`. Check with `s3ir validate -f FILE`, adopt with `s3ir apply -f FILE`.',
    stringify(document, { lineWidth: 0 }),
  ].join('\n');
}

/** The members in the order people write them (as in examples/inventory.yaml); any others after them. */
const MEMBER_ORDER = [
  'Id',
  'IsEnabled',
  'IncludedObjectVersions',
  'Schedule',
  'Filter',
  'Destination',
  'OptionalFields',
];

/** A plain JSON copy (no `undefined` members) with its members in {@link MEMBER_ORDER}. */
function readableOrder(configuration: InventoryConfiguration): InventoryConfiguration {
  const plain = JSON.parse(JSON.stringify(configuration)) as Record<string, unknown>;
  const rank = (key: string) =>
    MEMBER_ORDER.includes(key) ? MEMBER_ORDER.indexOf(key) : MEMBER_ORDER.length;
  const keys = Object.keys(plain).sort((a, b) => rank(a) - rank(b) || compareCodeUnits(a, b));
  return Object.fromEntries(keys.map((key) => [key, plain[key]])) as unknown as InventoryConfiguration;
}
