import { type DesiredBucket, type DesiredItem, ReconcileMode } from '../desired/types.js';
import { describeValue } from '../inventory/messages.js';
import { normalizeConfiguration } from '../inventory/normalizeConfiguration.js';
import type { InventoryConfiguration, ValidationIssue } from '../inventory/types.js';
import { formatIssue, validateConfiguration } from '../inventory/validateConfiguration.js';
import { compareCodeUnits } from '../json/compareCodeUnits.js';
import type { Finding } from './types.js';

const MODES: readonly unknown[] = Object.values(ReconcileMode);

/** A desired configuration that passed validation, normalized, with the mode it is reconciled in. */
export interface DesiredConfiguration {
  id: string;
  configuration: InventoryConfiguration;
  mode: ReconcileMode;
}

/** The desired items of one bucket, split into those the plan may apply and findings for the rest. */
export interface CheckedDesired {
  /** Sorted by id. */
  valid: DesiredConfiguration[];
  /** Every Id an item declares, valid or not: a declared configuration is never unmanaged, never pruned. */
  declaredIds: ReadonlySet<string>;
  findings: Finding[];
}

/**
 * Validates each desired item (DESIGN "Never": apply a desired configuration that fails validation).
 * An item is invalid when its configuration fails `validateConfiguration`, its `id` differs from
 * `configuration.Id`, its `mode` is neither `enforce` nor `detect` (a mode the guard and `apply` would read
 * differently), it names another bucket, or another item declares the same id.
 */
export function checkDesiredConfigurations(desired: DesiredBucket): CheckedDesired {
  const idCounts = new Map<string, number>();
  for (const item of desired.items) idCounts.set(item.id, (idCounts.get(item.id) ?? 0) + 1);

  const valid: DesiredConfiguration[] = [];
  const declaredIds = new Set<string>();
  const findings: Finding[] = [];
  for (const item of desired.items) {
    for (const id of idsDeclaredBy(item)) declaredIds.add(id);
    const result = validateConfiguration(item.configuration);
    const issues = [
      ...(result.ok ? [] : result.issues),
      ...itemIssues(item, desired.bucket, idCounts.get(item.id) ?? 0),
    ];
    if (result.ok && issues.length === 0) {
      valid.push({
        id: item.id,
        configuration: normalizeConfiguration(result.value),
        mode: item.mode ?? desired.mode,
      });
    } else {
      findings.push(invalidDesiredFinding(desired.bucket, item.id, issues));
    }
  }
  valid.sort((a, b) => compareCodeUnits(a.id, b.id));
  // Stable: the items of an id declared twice keep their order.
  findings.sort((a, b) => compareCodeUnits(a.configId ?? '', b.configId ?? ''));
  return { valid, declaredIds, findings };
}

/** The item's id, and the configuration's own Id if it names another: neither may be pruned. */
function idsDeclaredBy(item: DesiredItem): string[] {
  const configurationId = configurationIdOf(item);
  return configurationId !== undefined && configurationId !== item.id
    ? [item.id, configurationId]
    : [item.id];
}

/** `configuration.Id` when it is a string; the configuration is not validated yet. */
function configurationIdOf(item: DesiredItem): string | undefined {
  const id = (item.configuration as { Id?: unknown } | null | undefined)?.Id;
  return typeof id === 'string' ? id : undefined;
}

function itemIssues(item: DesiredItem, bucket: string, idCount: number): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const configurationId = configurationIdOf(item);
  if (configurationId !== undefined && configurationId !== item.id) {
    issues.push({ path: 'Id', message: `must equal the item id "${item.id}", got "${configurationId}"` });
  }
  if (item.mode !== undefined && !MODES.includes(item.mode)) {
    issues.push({ path: 'mode', message: `expected ${MODES.join(' | ')}, got ${describeValue(item.mode)}` });
  }
  if (item.bucket !== bucket) {
    issues.push({ path: '', message: `the item belongs to bucket "${item.bucket}", not "${bucket}"` });
  }
  if (idCount > 1) {
    issues.push({ path: '', message: `${idCount} items declare the id "${item.id}"` });
  }
  return issues;
}

function invalidDesiredFinding(bucket: string, id: string, issues: ValidationIssue[]): Finding {
  const first = issues[0] ? formatIssue(issues[0]) : 'unknown reason';
  return {
    kind: 'invalid-desired',
    configId: id,
    message: `Bucket ${bucket}: desired configuration "${id}" is invalid and was skipped: ${first}`,
    issues,
  };
}
