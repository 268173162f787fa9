import { compareCodeUnits } from '../json/compareCodeUnits.js';
import { count } from './count.js';
import type { Alert, AlertType } from './types.js';

/**
 * The alert kinds a bucket's first reconcile can send, worst first: a run's summary takes the worst kind
 * it holds as its alert type (and so its severity), so that a subscription filtering on `reconcile-failed`
 * or `severity: high` still hears of an adoption that failed somewhere.
 */
export const SUMMARISED_KINDS = [
  'reconcile-failed',
  'action-required',
  'drift-detected',
  'drift-resolved',
] as const satisfies readonly AlertType[];
export type SummarisedKind = (typeof SUMMARISED_KINDS)[number];

/** The pseudo-bucket of a summary alert (its `bucket` attribute and body field): `#` starts no bucket name. */
export const ADOPTION_SUBJECT = '#adoption';

/** Bucket names a summary keeps per kind: the item never grows with the number of buckets in a run. */
export const ADOPTION_NAMES_CAP = 50;

/** Distinct targets (destinations, key ARNs) an action-required summary keeps. */
export const ADOPTION_TARGETS_CAP = 20;

/** The account a summary files a bucket under when its reconcile failed before it learned the account. */
export const UNKNOWN_ACCOUNT = 'unknown';

/** What one bucket's first reconcile adds to its run and account's summary instead of its own alerts. */
export interface AdoptionEntry {
  runId: string;
  account: string;
  bucket: string;
  /** The kinds of the alerts it would have sent, each once. */
  kinds: SummarisedKind[];
  /** The destinations and keys its action-required alerts name. */
  targets: string[];
}

/** One run and account's summary, as kept between the reconciles that add to it and the sweep that sends it. */
export interface AdoptionSummary {
  runId: string;
  account: string;
  /** Buckets counted per kind (a bucket with two kinds counts in both). */
  counts: Partial<Record<SummarisedKind, number>>;
  /** At most {@link ADOPTION_NAMES_CAP} names per kind, sorted. */
  names: Partial<Record<SummarisedKind, string[]>>;
  /** At most {@link ADOPTION_TARGETS_CAP}, sorted. */
  targets: string[];
  /** Buckets added, each once whatever its kinds. */
  buckets: number;
  /** ISO 8601 UTC: the first and the last bucket added. */
  firstAt?: string;
  lastAt?: string;
  /** How many times the item was written: it is removed only if unchanged since it was read. */
  writes: number;
}

/** What the summary alert's body carries in `adoption` (a field beside the Contract's). */
export interface AdoptionDigest {
  account: string;
  runId: string;
  /** Buckets summarised, each once. */
  total: number;
  counts: Partial<Record<SummarisedKind, number>>;
  /** Up to {@link ADOPTION_NAMES_CAP} bucket names per kind; `more` says how many are not named. */
  buckets: Partial<Record<SummarisedKind, string[]>>;
  more: Partial<Record<SummarisedKind, number>>;
  targets: string[];
  firstAt?: string;
  lastAt?: string;
}

const SUMMARISED = new Set<string>(SUMMARISED_KINDS);

/**
 * The summary entry of a bucket's first reconcile: the kinds of `alerts` (each once) and the targets its
 * action-required alerts name. Undefined when it sent no alert of a summarised kind. Pure.
 */
export function adoptionEntry(
  runId: string,
  bucket: string,
  account: string | undefined,
  alerts: readonly Alert[],
): AdoptionEntry | undefined {
  const kinds = SUMMARISED_KINDS.filter((kind) => alerts.some((alert) => alert.type === kind));
  if (kinds.length === 0 || alerts.some((alert) => !SUMMARISED.has(alert.type))) return undefined;
  const targets = [
    ...new Set(
      alerts.flatMap((alert) =>
        alert.type === 'action-required' && alert.target !== undefined ? [alert.target] : [],
      ),
    ),
  ].sort(compareCodeUnits);
  return { runId, account: account ?? UNKNOWN_ACCOUNT, bucket, kinds, targets };
}

/**
 * The one alert of a run and account's summary: its type is the worst kind it holds, its `bucket`
 * {@link ADOPTION_SUBJECT}, its summary one line of counts, and `adoption` lists the buckets by kind.
 * Undefined when the summary counts no bucket. Pure.
 */
export function adoptionAlert(summary: AdoptionSummary): Alert | undefined {
  const kinds = SUMMARISED_KINDS.filter((kind) => (summary.counts[kind] ?? 0) > 0);
  if (kinds.length === 0) return undefined;
  const buckets: AdoptionDigest['buckets'] = {};
  const more: AdoptionDigest['more'] = {};
  for (const kind of kinds) {
    const names = [...(summary.names[kind] ?? [])].sort(compareCodeUnits);
    buckets[kind] = names;
    const unnamed = (summary.counts[kind] ?? 0) - names.length;
    if (unnamed > 0) more[kind] = unnamed;
  }
  const parts = kinds.map((kind) => `${summary.counts[kind]} ${kind}`);
  // A retried worker may add a bucket twice under a full name list: never say fewer buckets than a kind counts.
  const total = Math.max(summary.buckets, ...kinds.map((kind) => summary.counts[kind] ?? 0));
  const where = summary.account === UNKNOWN_ACCOUNT ? 'an account not learned' : `account ${summary.account}`;
  const adoption: AdoptionDigest = {
    account: summary.account,
    runId: summary.runId,
    total,
    counts: Object.fromEntries(kinds.map((kind) => [kind, summary.counts[kind]])),
    buckets,
    more,
    targets: summary.targets,
    ...(summary.firstAt !== undefined && { firstAt: summary.firstAt }),
    ...(summary.lastAt !== undefined && { lastAt: summary.lastAt }),
  };
  const account = summary.account === UNKNOWN_ACCOUNT ? {} : { account: summary.account };
  return {
    type: kinds[0]!,
    bucket: ADOPTION_SUBJECT,
    ...account,
    runId: summary.runId,
    summary: `First reconcile of ${count(total, 'bucket')} in ${where} (run ${summary.runId}): ${parts.join(', ')}`,
    adoption,
    nextSteps: nextSteps(summary, kinds),
  };
}

/** What the reader of a summary does next: the per-bucket detail is in `s3ir status`, `plan` and `audit`. */
function nextSteps(summary: AdoptionSummary, kinds: readonly SummarisedKind[]): string[] {
  const scope = summary.account === UNKNOWN_ACCOUNT ? '' : ` --account ${summary.account}`;
  const steps: string[] = [];
  if (kinds.some((kind) => kind !== 'drift-resolved'))
    steps.push(`Each bucket's condition: \`s3ir status${scope}\``);
  if (kinds.includes('action-required') || kinds.includes('drift-detected'))
    steps.push(`The statements to add and the changes left: \`s3ir plan${scope}\``);
  steps.push(`What the run changed: \`s3ir audit${scope} --run ${summary.runId}\``);
  return steps;
}
