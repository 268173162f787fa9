import type { DesiredStateFile } from './fileSchema.js';

/** `enforce` converges; `detect` only reports and records drift. */
export const ReconcileMode = { Enforce: 'enforce', Detect: 'detect' } as const;
export type ReconcileMode = (typeof ReconcileMode)[keyof typeof ReconcileMode];

/** One desired-state item as stored (Contract): `configuration` is not validated yet. */
export interface DesiredItem {
  bucket: string;
  id: string;
  configuration: unknown;
  mode?: ReconcileMode;
}

/** Everything declared for one source bucket. */
export interface DesiredBucket {
  bucket: string;
  /** Mode for items that do not set their own. */
  mode: ReconcileMode;
  /** Delete configurations that are present but not declared. Off unless the bucket opts in. */
  prune: boolean;
  items: DesiredItem[];
}

/** A 1-based line and column in a desired-state file. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** One reason a desired-state file is invalid, with where it is. */
export interface FileError {
  /** The file name as given to `loadDesiredFile`. */
  file: string;
  /** 1-based; absent only when the error has no place in the text. */
  line?: number;
  column?: number;
  /** e.g. `buckets.photos-prod.inventories[0].Schedule.Frequency`; `` for the file as a whole. */
  path: string;
  /** e.g. `expected Daily | Weekly, got "Hourly"`. */
  message: string;
  /** `warning` for something worth knowing that does not make the file invalid; absent for an error. */
  severity?: 'warning';
}

/** The position of a path in the loaded file, or of its nearest ancestor that is written in it. */
export type Locate = (path: string) => SourcePosition | undefined;

export type LoadDesiredFileResult =
  | { ok: true; file: DesiredStateFile; locate: Locate; warnings: FileError[] }
  | { ok: false; errors: FileError[] };

/** A reason at a path, before the file name and position are attached. */
export interface PathIssue {
  path: string;
  message: string;
}

/** A problem in the text, with its place when it has one. */
export type SourceIssue = PathIssue & Partial<SourcePosition>;

/** A bucket as the account lists it, for template matching. */
export interface KnownBucket {
  name: string;
  tags: Record<string, string>;
  /** The bucket's account, for `match.accounts`; unknown: no template with `accounts` matches. */
  account?: string;
  /** The organization and OU ids containing `account` (lib/core/organization), for OU ids in `match.accounts`. */
  parents?: readonly string[];
  /** The bucket's region, for `match.regions`; unknown: no template with `regions` matches. */
  region?: string;
  /**
   * `false` for a bucket of another account than the service's own: a template without `match.accounts`
   * selects the home account's buckets only, as before organizations (#18).
   */
  home?: boolean;
}

/** A resolved bucket: what the reconcile core needs, plus where the bucket lives when the file says so. */
export interface ResolvedBucket extends DesiredBucket {
  /** The bucket's account when it is not the caller's. */
  account?: string;
  region?: string;
}

/** Two templates give the same configuration Id to one bucket: the bucket is left out until fixed. */
export interface TemplateConflict extends PathIssue {
  bucket: string;
  id: string;
  /** The template names, in file order: the first that gave the Id, then the one that repeated it. */
  templates: [string, string];
}

export interface ResolvedDesiredState {
  /** Sorted by bucket name; each bucket's items sorted by id. */
  buckets: ResolvedBucket[];
  errors: TemplateConflict[];
}

/** The mode and prune a file sets for every bucket that does not set its own. */
export interface DesiredDefaults {
  mode?: ReconcileMode;
  prune?: boolean;
}
