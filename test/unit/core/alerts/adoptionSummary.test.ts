import { describe, expect, it } from 'vitest';
import {
  ADOPTION_SUBJECT,
  type AdoptionSummary,
  adoptionAlert,
  adoptionEntry,
} from '../../../../lib/core/alerts/adoptionSummary.js';
import { formatAlert } from '../../../../lib/core/alerts/formatAlert.js';
import type { Alert } from '../../../../lib/core/alerts/types.js';

const alert = (type: Alert['type'], extra: Partial<Alert> = {}): Alert => ({
  type,
  bucket: 'photos',
  runId: 'sweep-1',
  summary: `${type} on photos`,
  ...extra,
});

const summary = (overrides: Partial<AdoptionSummary> = {}): AdoptionSummary => ({
  runId: 'sweep-1',
  account: '222233334444',
  counts: { 'drift-resolved': 3 },
  names: { 'drift-resolved': ['c', 'a', 'b'] },
  targets: [],
  buckets: 3,
  writes: 3,
  ...overrides,
});

describe('adoptionEntry', () => {
  it('keeps each kind of a first reconcile once, worst first, and the targets of its action-required alerts', () => {
    const entry = adoptionEntry('sweep-1', 'photos', '222233334444', [
      alert('drift-resolved'),
      alert('action-required', { target: 'reports-b' }),
      alert('action-required', { target: 'reports-a' }),
      alert('action-required', { target: 'reports-b' }),
    ]);
    expect(entry).toEqual({
      runId: 'sweep-1',
      account: '222233334444',
      bucket: 'photos',
      kinds: ['action-required', 'drift-resolved'],
      targets: ['reports-a', 'reports-b'],
    });
  });

  it('files a bucket whose account was not learned under "unknown", and summarises nothing without alerts', () => {
    expect(adoptionEntry('r', 'photos', undefined, [alert('reconcile-failed')])?.account).toBe('unknown');
    expect(adoptionEntry('r', 'photos', '222233334444', [])).toBeUndefined();
  });

  it('leaves a bucket with an alert of a kind no summary holds to be alerted one by one', () => {
    expect(
      adoptionEntry('r', 'photos', '1', [alert('drift-resolved'), alert('delivery-failed')]),
    ).toBeUndefined();
  });
});

describe('adoptionAlert', () => {
  it('is one alert of the worst kind it holds, naming the buckets by kind, sorted, with the counts', () => {
    const made = adoptionAlert(
      summary({
        counts: { 'drift-resolved': 180, 'action-required': 2 },
        names: { 'drift-resolved': ['b2', 'b1'], 'action-required': ['x'] },
        targets: ['reports'],
        buckets: 182,
      }),
    )!;
    expect(made).toMatchObject({
      type: 'action-required',
      bucket: ADOPTION_SUBJECT,
      account: '222233334444',
      runId: 'sweep-1',
      summary:
        'First reconcile of 182 buckets in account 222233334444 (run sweep-1): 2 action-required, 180 drift-resolved',
    });
    expect(made.adoption).toEqual({
      account: '222233334444',
      runId: 'sweep-1',
      total: 182,
      counts: { 'action-required': 2, 'drift-resolved': 180 },
      buckets: { 'action-required': ['x'], 'drift-resolved': ['b1', 'b2'] },
      more: { 'action-required': 1, 'drift-resolved': 178 },
      targets: ['reports'],
    });
    expect(made.nextSteps).toEqual([
      "Each bucket's condition: `s3ir status --account 222233334444`",
      'The statements to add and the changes left: `s3ir plan --account 222233334444`',
      'What the run changed: `s3ir audit --account 222233334444 --run sweep-1`',
    ]);
  });

  it('is undefined for a summary that counts no bucket (only places numbered)', () => {
    expect(adoptionAlert(summary({ counts: {}, names: {}, buckets: 0 }))).toBeUndefined();
  });

  it('formats as the other alerts: attributes, body fields, a subject naming the count and account, a card', () => {
    const formatted = formatAlert(adoptionAlert(summary())!);
    expect(formatted.attributes).toEqual({
      eventType: 'drift-resolved',
      bucket: ADOPTION_SUBJECT,
      severity: 'info',
    });
    expect(formatted.subject).toBe('s3ir drift-resolved: first reconcile of 3 in 222233334444');
    const body = JSON.parse(formatted.message);
    expect(body).toMatchObject({
      type: 'drift-resolved',
      bucket: ADOPTION_SUBJECT,
      account: '222233334444',
      runId: 'sweep-1',
      severity: 'info',
      adoption: { total: 3, buckets: { 'drift-resolved': ['a', 'b', 'c'] } },
    });
    expect(body.content.title).toBe('✅ Drift resolved: first reconcile of 3 in `222233334444`');
    expect(body.content.description).toContain('Drift resolved: `a`, `b`, `c`');
    expect(body.metadata.threadId).toBe('s3ir/adoption/222233334444');
  });

  it('says how many more a kind counts than it names, in the card', () => {
    const formatted = formatAlert(
      adoptionAlert(summary({ counts: { 'reconcile-failed': 60 }, names: { 'reconcile-failed': ['a'] } }))!,
    );
    expect(formatted.attributes.severity).toBe('high');
    expect(JSON.parse(formatted.message).content.description).toContain('Reconcile failed: `a` and 59 more');
  });
});
