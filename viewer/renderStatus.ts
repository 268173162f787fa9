import type { StatusResponse } from '../lib/api/types.js';
import { el, formatTime } from './dom.js';

const LABELS = {
  'in-sync': 'in sync',
  drifted: 'drifted',
  'action-required': 'action required',
  failed: 'failed',
} as const;

/** `4 buckets: 2 in sync, 1 drifted, 1 action required, 0 failed.` */
export function statusSummary(status: StatusResponse): string {
  const total = status.buckets.length;
  if (total === 0) return 'No bucket status recorded yet: run a reconcile first.';
  const parts = Object.entries(LABELS).map(
    ([state, label]) => `${status.counts[state as keyof typeof LABELS]} ${label}`,
  );
  return `${total} bucket${total === 1 ? '' : 's'}: ${parts.join(', ')}.`;
}

/** One row per bucket: name, state (coloured, and said in words), since when, and why. */
export function statusRows(status: StatusResponse): HTMLTableRowElement[] {
  return status.buckets.map((bucket) => {
    const why = Object.values(bucket.conditions)
      .map((condition) => condition?.summary)
      .filter((summary): summary is string => Boolean(summary));
    return el(
      'tr',
      { 'data-bucket': bucket.bucket, 'data-state': bucket.state },
      el('th', { scope: 'row' }, bucket.bucket),
      el('td', {}, el('span', { class: `state state-${bucket.state}` }, LABELS[bucket.state])),
      el('td', {}, el('time', { datetime: bucket.since }, formatTime(bucket.since))),
      el('td', {}, why.join('; ') || '—'),
    );
  });
}
