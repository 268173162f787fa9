import { compareCodeUnits } from '../json/compareCodeUnits.js';
import type { DesiredStateFile, DesiredTemplate } from './fileSchema.js';
import { commonBucketName } from './globIntersection.js';
import { matchGlob } from './globMatch.js';
import { formatPath } from './paths.js';
import type { PathIssue } from './types.js';

/** Where one template of a file declares an inventory Id: indexes into `templates` and its `inventories`. */
export interface TemplateInventoryRef {
  template: number;
  inventory: number;
}

/**
 * Two templates of one file declare the same inventory Id and their selectors can select one bucket: the
 * conflict `resolveDesiredState` reports at plan time, found before any bucket is known.
 */
export type TemplateOverlap = {
  id: string;
  /** In file order. */
  first: TemplateInventoryRef;
  second: TemplateInventoryRef;
  /** The tags a bucket must carry for both to select it: none means certain, any means the tags decide. */
  tags: Record<string, string>;
} & (
  | { bucket: string /** The bucket is one of the file's `buckets:`. */; listed: boolean; undecided?: never }
  | { /** The name search gave up (globs built to explode it): treated as possible. */ undecided: true }
);

/**
 * Every pair of templates in a valid file that give the same inventory Id to a bucket both can select, with a
 * witness bucket name. Their names must have a common valid bucket name (the globs' languages intersect;
 * no `names` means any name), and their tags must not require one key with two values (a bucket has one
 * value per key). The witness is a bucket the file lists when both select it by name, else the first common
 * name; a bucket whose own entry declares the Id never counts, as its entry beats both templates. Pure.
 * @example templateOverlaps(file) // [{ id: 'daily', first: {…}, second: {…}, tags: {}, bucket: 'photos-prod', … }]
 */
export function templateOverlaps(file: DesiredStateFile): TemplateOverlap[] {
  const templates = file.templates ?? [];
  const overlaps: TemplateOverlap[] = [];
  for (let second = 1; second < templates.length; second++) {
    for (let first = 0; first < second; first++) {
      overlaps.push(...pairOverlaps(file, first, second));
    }
  }
  return overlaps.sort(
    (a, b) =>
      a.second.template - b.second.template ||
      a.second.inventory - b.second.inventory ||
      a.first.template - b.first.template,
  );
}

function pairOverlaps(file: DesiredStateFile, first: number, second: number): TemplateOverlap[] {
  const templates = file.templates ?? [];
  const [a, b] = [templates[first]!, templates[second]!];
  const tags = jointTags(a, b);
  if (tags === undefined || !whereCanMeet(a, b)) return [];
  const overlaps: TemplateOverlap[] = [];
  b.inventories.forEach((inventory, secondInventory) => {
    const id = inventory.Id ?? '';
    const firstInventory = a.inventories.findIndex((candidate) => candidate.Id === id);
    if (firstInventory === -1) return;
    const refs = {
      id,
      first: { template: first, inventory: firstInventory },
      second: { template: second, inventory: secondInventory },
      tags,
    };
    const witness = witnessOf(file, a, b, id);
    if (witness.kind === 'found') overlaps.push({ ...refs, bucket: witness.name, listed: witness.listed });
    else if (witness.kind === 'undecided') overlaps.push({ ...refs, undecided: true });
  });
  return overlaps;
}

/**
 * Whether one bucket can be in a region and an account both templates select: their `regions` share one,
 * and their `accounts` share an account id unless either names an organization or OU (which may hold any
 * account: the organization decides, not the file).
 */
function whereCanMeet(a: DesiredTemplate, b: DesiredTemplate): boolean {
  const [ra, rb] = [a.match.regions, b.match.regions];
  if (ra !== undefined && rb !== undefined && !ra.some((region) => rb.includes(region))) return false;
  const [aa, ab] = [a.match.accounts, b.match.accounts];
  if (aa === undefined || ab === undefined) return true;
  const onlyAccounts = (ids: readonly string[]) => ids.every((id) => /^\d{12}$/.test(id));
  if (!onlyAccounts(aa) || !onlyAccounts(ab)) return true;
  return aa.some((id) => ab.includes(id));
}

/** The tags a bucket must carry for both templates to select it; `undefined` when no bucket can. */
function jointTags(a: DesiredTemplate, b: DesiredTemplate): Record<string, string> | undefined {
  const tags: Record<string, string> = { ...a.match.tags };
  for (const [key, value] of Object.entries(b.match.tags ?? {})) {
    if (tags[key] !== undefined && tags[key] !== value) return undefined;
    tags[key] = value;
  }
  return tags;
}

function witnessOf(
  file: DesiredStateFile,
  a: DesiredTemplate,
  b: DesiredTemplate,
  id: string,
): { kind: 'found'; name: string; listed: boolean } | { kind: 'none' } | { kind: 'undecided' } {
  const entries = Object.entries(file.buckets ?? {});
  const declaring = entries
    .filter(([, entry]) => (entry.inventories ?? []).some((inventory) => inventory.Id === id))
    .map(([name]) => name);
  const listed = entries
    .map(([name]) => name)
    .filter((name) => !declaring.includes(name) && namesMatch(a, name) && namesMatch(b, name))
    .sort(compareCodeUnits)[0];
  if (listed !== undefined) return { kind: 'found', name: listed, listed: true };
  const common = commonBucketName(a.match.names ?? ['*'], b.match.names ?? ['*'], { exclude: declaring });
  return common.kind === 'found' ? { ...common, listed: false } : common;
}

function namesMatch(template: DesiredTemplate, name: string): boolean {
  return template.match.names === undefined || template.match.names.some((glob) => matchGlob(glob, name));
}

/** How a message names a place of the file: `inventory.yaml:12`. */
export type PlaceOf = (path: string) => string;

/**
 * The overlaps of a valid file as issues at the second template's Id, naming both templates with their
 * place, the Id and a witness bucket: errors where the overlap is certain (no tags decide it), warnings where
 * the buckets' tags decide (then `s3ir apply` checks the account's buckets, and plan reports the bucket).
 */
export function templateOverlapIssues(
  file: DesiredStateFile,
  placeOf: PlaceOf,
): { errors: PathIssue[]; warnings: PathIssue[] } {
  const errors: PathIssue[] = [];
  const warnings: PathIssue[] = [];
  const templates = file.templates ?? [];
  for (const overlap of templateOverlaps(file)) {
    const [a, b] = [templates[overlap.first.template]!, templates[overlap.second.template]!];
    const both =
      `templates "${a.name}" (${placeOf(templatePath(overlap.first.template))}) and "${b.name}" ` +
      `(${placeOf(templatePath(overlap.second.template))}) both give the Id ${JSON.stringify(overlap.id)}`;
    const path = formatPath([
      'templates',
      overlap.second.template,
      'inventories',
      overlap.second.inventory,
      'Id',
    ]);
    const tags = Object.entries(overlap.tags).map(([key, value]) => `${key}=${value}`);
    if (overlap.undecided) {
      warnings.push({
        path,
        message: `${both} to any bucket both select, if one exists: their name globs are too complex to decide; ${FIX}`,
      });
    } else if (tags.length === 0) {
      const to = overlap.listed
        ? `to bucket "${overlap.bucket}" (listed in buckets:), which both match by name`
        : `to every bucket both match by name, e.g. "${overlap.bucket}"`;
      errors.push({ path, message: `${both} ${to}: ${FIX}` });
    } else {
      warnings.push({
        path,
        message:
          `${both} to any bucket that matches both by name and carries ${tags.join(', ')}, e.g. ` +
          `"${overlap.bucket}": the buckets' tags decide (s3ir apply refuses the file if a bucket does); ${FIX}`,
      });
    }
  }
  return { errors, warnings };
}

const FIX = "make their matches disjoint, rename one Id, or declare the Id in the bucket's own entry";

function templatePath(index: number): string {
  return formatPath(['templates', index]);
}
