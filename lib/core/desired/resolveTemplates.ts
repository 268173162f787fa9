import type { InventoryConfiguration } from '../inventory/types.js';
import { compareCodeUnits } from '../json/compareCodeUnits.js';
import { accountMatches } from '../organization/membership.js';
import type { DesiredStateFile, DesiredTemplate, DesiredTemplateMatch } from './fileSchema.js';
import { matchGlob } from './globMatch.js';
import { appendSegment, formatPath } from './paths.js';
import type {
  DesiredDefaults,
  DesiredItem,
  KnownBucket,
  ReconcileMode,
  ResolvedBucket,
  ResolvedDesiredState,
  TemplateConflict,
} from './types.js';

/** What a bucket entry sets for itself; anything unset falls to its defaults. */
export interface BucketSettings {
  account?: string;
  region?: string;
  mode?: ReconcileMode;
  prune?: boolean;
}

/** A bucket declared by name (a file's bucket entry or the table's items), with its source's defaults. */
export interface BucketDeclaration {
  name: string;
  settings: BucketSettings;
  defaults: DesiredDefaults;
  items: DesiredItem[];
}

/** A template with its source's defaults; `origin` is its path, e.g. `templates[1]`, for error messages. */
export interface TemplateDeclaration {
  template: DesiredTemplate;
  defaults: DesiredDefaults;
  origin: string;
}

/** Everything declared, from a file or from the table, before templates are matched. */
export interface Declarations {
  buckets: BucketDeclaration[];
  templates: TemplateDeclaration[];
}

/**
 * The desired state of every bucket a file declares or one of its templates matches: what the planner needs,
 * per bucket. Pure.
 *
 * Precedence, for each bucket:
 * - Configurations: the bucket's own entry beats any template for the same Id. Two templates giving the same Id
 *   to one bucket (and the bucket's entry not declaring it) is an error naming both templates and the bucket,
 *   and that bucket is left out of `buckets`, so that nothing is changed on a bucket whose desired state is
 *   ambiguous.
 * - Mode: a bucket's own `mode` beats a template's `mode`, which beats `defaults.mode`, then `enforce`. The
 *   bucket's mode is `DesiredBucket.mode`; a configuration from a template whose `mode` applies carries it as its
 *   item `mode`.
 * - Prune: the bucket's own `prune`, then `defaults.prune`, then off. Templates never turn pruning on.
 *
 * Templates match only the buckets passed in (`buckets`, as the account lists them with their tags): all of
 * `match.tags` with equal values, and at least one of `match.names`. Buckets the file names in `buckets:` are
 * resolved even when absent from the list (another account, not created yet), with their own entry only.
 * @example resolveDesiredState(file, [{ name: 'photos-prod', tags: { env: 'prod' } }])
 */
export function resolveDesiredState(
  file: DesiredStateFile,
  buckets: readonly KnownBucket[],
): ResolvedDesiredState {
  return resolveDeclarations(fileDeclarations(file), buckets);
}

/** The declarations of a valid file: every bucket entry and template with the file's defaults. */
export function fileDeclarations(file: DesiredStateFile): Declarations {
  const defaults: DesiredDefaults = { ...file.defaults };
  return {
    buckets: Object.entries(file.buckets ?? {}).map(([name, entry]) => {
      const { inventories = [], ...settings } = entry;
      return { name, settings, defaults, items: inventories.map((inventory) => itemOf(name, inventory)) };
    }),
    templates: (file.templates ?? []).map((template, index) => ({
      template,
      defaults,
      origin: formatPath(['templates', index]),
    })),
  };
}

/** {@link resolveDesiredState} for declarations from any source (a file, or the table's items). */
export function resolveDeclarations(
  declarations: Declarations,
  buckets: readonly KnownBucket[],
): ResolvedDesiredState {
  const declared = new Map(declarations.buckets.map((bucket) => [bucket.name, bucket]));
  const given = templateContributions(declarations.templates, buckets);
  const names = [...new Set([...declared.keys(), ...given.keys()])].sort(compareCodeUnits);
  const resolved: ResolvedBucket[] = [];
  const errors: TemplateConflict[] = [];
  for (const name of names) {
    const result = resolveBucket(name, declared.get(name), given.get(name) ?? []);
    if ('conflicts' in result) errors.push(...result.conflicts);
    else resolved.push(result.bucket);
  }
  return { buckets: resolved, errors };
}

/**
 * Whether a bucket matches a template: every tag (same value), at least one name glob, its account (or an
 * organization or OU containing it) and its region among those listed, as far as given. A bucket whose
 * account or region is not known matches no template that asks for one.
 */
export function matchesTemplate(match: DesiredTemplateMatch, bucket: KnownBucket): boolean {
  const tagsMatch = Object.entries(match.tags ?? {}).every(([key, value]) => bucket.tags[key] === value);
  const namesMatch = match.names === undefined || match.names.some((glob) => matchGlob(glob, bucket.name));
  const accountsMatch =
    match.accounts === undefined
      ? bucket.home !== false
      : accountMatches(bucket.account, bucket.parents ?? [], match.accounts);
  const regionsMatch =
    match.regions === undefined || (bucket.region !== undefined && match.regions.includes(bucket.region));
  return tagsMatch && namesMatch && accountsMatch && regionsMatch;
}

/** One configuration a template gives a bucket. */
interface Contribution {
  declaration: TemplateDeclaration;
  inventory: InventoryConfiguration;
  index: number;
}

function templateContributions(
  templates: readonly TemplateDeclaration[],
  buckets: readonly KnownBucket[],
): Map<string, Contribution[]> {
  const given = new Map<string, Contribution[]>();
  for (const bucket of buckets) {
    if (given.has(bucket.name)) continue;
    const contributions = templates
      .filter((declaration) => matchesTemplate(declaration.template.match, bucket))
      .flatMap((declaration) =>
        declaration.template.inventories.map((inventory, index) => ({ declaration, inventory, index })),
      );
    if (contributions.length > 0) given.set(bucket.name, contributions);
  }
  return given;
}

function resolveBucket(
  name: string,
  declared: BucketDeclaration | undefined,
  contributions: readonly Contribution[],
): { bucket: ResolvedBucket } | { conflicts: TemplateConflict[] } {
  const items = [...(declared?.items ?? [])];
  const ownIds = new Set(items.map((item) => item.id));
  const firstGiver = new Map<string, Contribution>();
  const conflicts: TemplateConflict[] = [];
  for (const contribution of contributions) {
    const id = contribution.inventory.Id ?? '';
    if (ownIds.has(id)) continue;
    const first = firstGiver.get(id);
    if (first !== undefined) {
      conflicts.push(conflictOf(name, id, first, contribution));
      continue;
    }
    firstGiver.set(id, contribution);
    const templateMode = contribution.declaration.template.mode;
    const useTemplateMode = declared?.settings.mode === undefined && templateMode !== undefined;
    items.push({ ...itemOf(name, contribution.inventory), ...(useTemplateMode && { mode: templateMode }) });
  }
  if (conflicts.length > 0) return { conflicts };
  const defaults = declared?.defaults ?? combinedDefaults(contributions.map((c) => c.declaration.defaults));
  const { account, region, mode, prune } = declared?.settings ?? {};
  return {
    bucket: {
      bucket: name,
      mode: mode ?? defaults.mode ?? 'enforce',
      prune: prune ?? defaults.prune ?? false,
      items: items.sort((a, b) => compareCodeUnits(a.id, b.id)),
      ...(account !== undefined && { account }),
      ...(region !== undefined && { region }),
    },
  };
}

/**
 * The defaults for a bucket only templates reach. From one file they are that file's; should templates from
 * several sources meet, the cautious choice wins: detect if any says detect, prune only if all say prune.
 */
function combinedDefaults(all: readonly DesiredDefaults[]): DesiredDefaults {
  const modes = all.map((defaults) => defaults.mode);
  const mode = modes.includes('detect') ? 'detect' : modes.find((value) => value !== undefined);
  const prune = all.every((defaults) => defaults.prune === true) ? true : undefined;
  return { ...(mode !== undefined && { mode }), ...(prune !== undefined && { prune }) };
}

function conflictOf(bucket: string, id: string, first: Contribution, second: Contribution): TemplateConflict {
  const templates: [string, string] = [first.declaration.template.name, second.declaration.template.name];
  const firstPath = appendSegment(appendSegment(first.declaration.origin, 'inventories'), first.index);
  const path = appendSegment(appendSegment(second.declaration.origin, 'inventories'), second.index);
  return {
    path,
    bucket,
    id,
    templates,
    message:
      `templates "${templates[0]}" (${firstPath}) and "${templates[1]}" both give the Id ${JSON.stringify(id)} ` +
      `to bucket "${bucket}": make their matches disjoint, rename one Id, or declare the Id in the bucket's own entry`,
  };
}

function itemOf(bucket: string, configuration: InventoryConfiguration): DesiredItem {
  return { bucket, id: configuration.Id ?? '', configuration };
}
