import { compareCodeUnits } from '../json/compareCodeUnits.js';
import { isRecord } from '../json/isRecord.js';
import { jsonEqual } from '../json/jsonEqual.js';
import { ConfigurationIdError } from './errors.js';
import { normalizeConfiguration } from './normalizeConfiguration.js';
import type { ConfigurationDrift, FieldChange, InventoryConfiguration } from './types.js';

/**
 * The fields that differ between two configurations, compared in their normalized forms: one change per leaf
 * path (arrays, such as the OptionalFields set, are compared whole), sorted by path.
 * @example diffFields(desired, actual) // [{ path: 'Schedule.Frequency', desired: 'Daily', actual: 'Weekly' }]
 */
export function diffFields(desired: InventoryConfiguration, actual: InventoryConfiguration): FieldChange[] {
  const wanted = configurationLeaves(desired);
  const found = configurationLeaves(actual);
  const paths = [...new Set([...wanted.keys(), ...found.keys()])].sort(compareCodeUnits);
  return paths
    .filter((path) => !jsonEqual(wanted.get(path), found.get(path)))
    .map((path) => ({ path, desired: wanted.get(path), actual: found.get(path) }));
}

/**
 * Every field of a configuration's normalized form by dotted path, in the SDK's member order: what
 * `diffFields` compares, and what a plan shows for a configuration it creates.
 */
export function configurationLeaves(configuration: InventoryConfiguration): Map<string, unknown> {
  return leaves(normalizeConfiguration(configuration));
}

/** Whether two configurations mean the same (no field differs once normalized). */
export function configurationsEqual(a: InventoryConfiguration, b: InventoryConfiguration): boolean {
  return diffFields(a, b).length === 0;
}

/**
 * The drift of a bucket's configurations, matched by Id and sorted by Id: `missing` (desired only),
 * `changed` (both, with the fields), `unmanaged` (actual only). Configurations that match are left out.
 * Drifts carry the configurations as given. Throws {@link ConfigurationIdError} on a missing or repeated Id.
 */
export function diffConfigurations(
  desired: InventoryConfiguration[],
  actual: InventoryConfiguration[],
): ConfigurationDrift[] {
  const wanted = byId(desired, 'desired');
  const found = byId(actual, 'actual');
  const ids = [...new Set([...wanted.keys(), ...found.keys()])].sort(compareCodeUnits);
  return ids.flatMap((id): ConfigurationDrift[] => {
    const want = wanted.get(id);
    const have = found.get(id);
    if (have === undefined) return want === undefined ? [] : [{ kind: 'missing', id, desired: want }];
    if (want === undefined) return [{ kind: 'unmanaged', id, actual: have }];
    const fields = diffFields(want, have);
    return fields.length === 0 ? [] : [{ kind: 'changed', id, desired: want, actual: have, fields }];
  });
}

function byId(
  configurations: InventoryConfiguration[],
  side: 'desired' | 'actual',
): Map<string, InventoryConfiguration> {
  const index = new Map<string, InventoryConfiguration>();
  configurations.forEach((configuration, position) => {
    const id = configuration.Id;
    if (typeof id !== 'string' || index.has(id)) throw new ConfigurationIdError(side, position, id);
    index.set(id, configuration);
  });
  return index;
}

/** Leaf values by dotted path; objects are walked, arrays and empty objects (`SSES3: {}`) are leaves. */
function leaves(value: unknown, path = '', into = new Map<string, unknown>()): Map<string, unknown> {
  if (isRecord(value) && Object.keys(value).length > 0) {
    for (const [key, member] of Object.entries(value))
      leaves(member, path === '' ? key : `${path}.${key}`, into);
  } else {
    into.set(path, value);
  }
  return into;
}
