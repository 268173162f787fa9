import { describe, expect, it } from 'vitest';
import {
  type BucketStatusRow,
  renderRefusedTemplates,
  renderStatus,
  statusCounts,
  statusRow,
  withSince,
} from '../../../../lib/cli/render/renderStatus.js';
import type { Finding, Plan, PlanAction } from '../../../../lib/core/reconcile/types.js';
import { makeConfiguration } from '../../../helpers/factories.js';

const emptyPlan = (bucket: string): Plan => ({
  bucket,
  account: '111122223333',
  region: 'us-east-1',
  drift: [],
  actions: [],
  findings: [],
});

const create: PlanAction = {
  kind: 'create-configuration',
  key: 'create-configuration:daily',
  mode: 'enforce',
  dependsOn: [],
  reason: 'declared, not present',
  id: 'daily',
  after: makeConfiguration({ Id: 'daily' }),
};

const missing: Plan['drift'][number] = {
  kind: 'missing',
  id: 'daily',
  desired: makeConfiguration({ Id: 'daily' }),
};

const finding = (kind: Finding['kind'], message: string): Finding => ({ kind, message });

describe('statusRow()', () => {
  it('is in-sync when nothing differs', () => {
    expect(statusRow({ bucket: 'photos', plan: emptyPlan('photos') })).toEqual({
      bucket: 'photos',
      status: 'in-sync',
      drift: 0,
      actions: 0,
      findings: 0,
    });
  });

  it('is drifted with drift or with actions alone', () => {
    const drifted = { ...emptyPlan('photos'), drift: [missing], actions: [create] };
    expect(statusRow({ bucket: 'photos', plan: drifted })).toEqual({
      bucket: 'photos',
      status: 'drifted',
      drift: 1,
      actions: 1,
      findings: 0,
    });
    expect(statusRow({ bucket: 'photos', plan: { ...emptyPlan('photos'), actions: [create] } }).status).toBe(
      'drifted',
    );
    expect(statusRow({ bucket: 'photos', plan: { ...emptyPlan('photos'), drift: [missing] } }).status).toBe(
      'drifted',
    );
  });

  it('is action-required when a finding needs a human, drift or not', () => {
    const plan = {
      ...emptyPlan('photos'),
      drift: [missing],
      findings: [finding('destination-missing', 'reports does not exist')],
    };
    expect(statusRow({ bucket: 'photos', plan })).toEqual({
      bucket: 'photos',
      status: 'action-required',
      drift: 1,
      actions: 0,
      findings: 1,
    });
  });

  it('is failed with the message of the first invalid-desired finding', () => {
    const plan = {
      ...emptyPlan('photos'),
      findings: [
        finding('key-missing', 'no key'),
        finding('invalid-desired', 'two templates give daily'),
        finding('invalid-desired', 'second'),
      ],
    };
    expect(statusRow({ bucket: 'photos', plan })).toEqual({
      bucket: 'photos',
      status: 'failed',
      drift: 0,
      actions: 0,
      findings: 3,
      error: 'two templates give daily',
    });
  });

  it('is failed with the error when the bucket could not be read', () => {
    expect(statusRow({ bucket: 'photos', error: 'AccessDenied: no' })).toEqual({
      bucket: 'photos',
      status: 'failed',
      drift: 0,
      actions: 0,
      findings: 0,
      error: 'AccessDenied: no',
    });
  });
});

describe('withSince()', () => {
  const row: BucketStatusRow = { bucket: 'photos', status: 'drifted', drift: 1, actions: 1, findings: 0 };
  const stored = {
    bucket: 'photos',
    state: 'drifted' as const,
    since: '2026-03-01T00:00:00.000Z',
    conditions: {},
    runId: 'r',
    version: 2,
  };

  it('takes since from the stored status when it says the same state', () => {
    expect(withSince(row, stored)).toEqual({ ...row, since: '2026-03-01T00:00:00.000Z' });
  });

  it('leaves since out when there is no status, or it says another state (older than this plan)', () => {
    expect(withSince(row, undefined)).toEqual(row);
    expect(withSince(row, { ...stored, state: 'in-sync' })).toEqual(row);
    expect(withSince(row, { ...stored, since: '' })).toEqual(row);
  });
});

const rows: BucketStatusRow[] = [
  { bucket: 'photos', status: 'drifted', drift: 2, actions: 2, findings: 0 },
  { bucket: 'logs', status: 'in-sync', drift: 0, actions: 0, findings: 0 },
  { bucket: 'archive-bucket', status: 'action-required', drift: 0, actions: 1, findings: 3 },
  { bucket: 'x', status: 'failed', drift: 0, actions: 0, findings: 0, error: 'AccessDenied: no' },
];

describe('statusCounts()', () => {
  it('counts every status, naming those with none', () => {
    expect(statusCounts(rows)).toEqual({ 'in-sync': 1, drifted: 1, 'action-required': 1, failed: 1 });
    expect(statusCounts([rows[0]!, rows[0]!])).toEqual({
      'in-sync': 0,
      drifted: 2,
      'action-required': 0,
      failed: 0,
    });
    expect(statusCounts([])).toEqual({ 'in-sync': 0, drifted: 0, 'action-required': 0, failed: 0 });
  });
});

describe('renderStatus()', () => {
  it('aligns one line per bucket, the error in place of the counts, then the summary', () => {
    expect(renderStatus(rows)).toBe(
      [
        'photos          drifted          2 drift, 2 actions, 0 findings',
        'logs            in-sync          0 drift, 0 actions, 0 findings',
        'archive-bucket  action-required  0 drift, 1 actions, 3 findings',
        'x               failed           AccessDenied: no',
        '4 buckets: 1 in-sync, 1 drifted, 1 action-required, 1 failed.',
        '',
      ].join('\n'),
    );
  });

  it('says since when, after the counts, when it is known', () => {
    expect(renderStatus([{ ...rows[0]!, since: '2026-03-01T00:00:00.000Z' }]).split('\n')[0]).toBe(
      'photos  drifted          2 drift, 2 actions, 0 findings  since 2026-03-01T00:00:00.000Z',
    );
  });

  it('pads names to at least 6 and says "bucket" for one, "buckets" for none', () => {
    expect(renderStatus([rows[3]!])).toBe(
      'x       failed           AccessDenied: no\n1 bucket: 0 in-sync, 0 drifted, 0 action-required, 1 failed.\n',
    );
    expect(renderStatus([])).toBe('0 buckets: 0 in-sync, 0 drifted, 0 action-required, 0 failed.\n');
  });

  it('colours each status only when asked', () => {
    expect(renderStatus(rows, { color: true }).split('\n').slice(0, 4)).toEqual([
      'photos          \u001b[33mdrifted        \u001b[39m  2 drift, 2 actions, 0 findings',
      'logs            \u001b[32min-sync        \u001b[39m  0 drift, 0 actions, 0 findings',
      'archive-bucket  \u001b[35maction-required\u001b[39m  0 drift, 1 actions, 3 findings',
      'x               \u001b[31mfailed         \u001b[39m  AccessDenied: no',
    ]);
  });
});

describe('renderRefusedTemplates', () => {
  it('shows each refused template with its reason, then how many, and nothing when none is refused', () => {
    const refused = [
      { id: 'tpl-glob', reason: 'template.match.names[0]: unbalanced "["' },
      { id: 'tpl-name', reason: 'template.name: expected "tpl-name"' },
    ];
    expect(renderRefusedTemplates(refused).split('\n')).toEqual([
      'template "tpl-glob" refused: template.match.names[0]: unbalanced "["',
      'template "tpl-name" refused: template.name: expected "tpl-name"',
      '2 templates refused: nothing applied from them.',
      '',
    ]);
    expect(renderRefusedTemplates([])).toBe('');
  });
});
