import { describe, expect, it } from 'vitest';
import {
  type BucketReconcileReport,
  reconcileReport,
  renderReconcileReport,
} from '../../../../lib/cli/render/renderReconcile.js';
import type { ActionOutcome } from '../../../../lib/core/reconcile/types.js';

const outcomes: ActionOutcome[] = [
  { key: 'grant-destination:reports', kind: 'grant-destination', status: 'applied' },
  { key: 'create-configuration:daily', kind: 'create-configuration', status: 'applied' },
  { key: 'update-configuration:weekly', kind: 'update-configuration', status: 'report-only' },
  {
    key: 'delete-configuration:legacy',
    kind: 'delete-configuration',
    status: 'failed',
    error: 'AccessDenied',
  },
  {
    key: 'revoke-destination:old',
    kind: 'revoke-destination',
    status: 'skipped',
    error: 'depends on a failure',
  },
  { key: 'grant-key:k', kind: 'grant-key', status: 'conflict' },
  { key: 'revoke-key:k', kind: 'revoke-key', status: 'applied' },
];

describe('reconcileReport()', () => {
  it('keeps bucket, status, attempts and the outcomes, version 1', () => {
    expect(
      reconcileReport({
        bucket: 'photos',
        status: 'converged',
        attempts: 2,
        result: { bucket: 'photos', outcomes, auditErrors: [], converged: true },
      }),
    ).toEqual({ version: 1, bucket: 'photos', status: 'converged', attempts: 2, outcomes });
  });

  it('lists the alerts the status transition called for, and leaves the field out when there were none', () => {
    const outcome = { bucket: 'photos', status: 'drift-reported' as const, attempts: 1 };
    const alert = { bucket: 'photos', runId: 'r', summary: 's' };
    const transition = {
      alerts: [
        { ...alert, type: 'action-required' as const },
        { ...alert, type: 'drift-detected' as const },
      ],
      events: [],
    };
    expect(reconcileReport(outcome, transition).alerts).toEqual(['action-required', 'drift-detected']);
    expect(reconcileReport(outcome, { alerts: [], events: [] })).not.toHaveProperty('alerts');
  });

  it('gives no outcomes when nothing was applied, and the failure when there is one', () => {
    const report = reconcileReport({
      bucket: 'photos',
      status: 'failed',
      attempts: 1,
      failure: 'AccessDenied',
    });
    expect(report).toEqual({
      version: 1,
      bucket: 'photos',
      status: 'failed',
      attempts: 1,
      outcomes: [],
      failure: 'AccessDenied',
    });
    expect(Object.keys(reconcileReport({ bucket: 'b', status: 'in-sync', attempts: 1 }))).toEqual([
      'version',
      'bucket',
      'status',
      'attempts',
      'outcomes',
    ]);
  });
});

describe('renderReconcileReport()', () => {
  const report: BucketReconcileReport = {
    version: 1,
    bucket: 'photos',
    status: 'drift-reported',
    attempts: 1,
    outcomes,
  };

  it('prints the status, then one line per outcome with its symbol and any error, colour off by default', () => {
    expect(renderReconcileReport(report)).toBe(
      [
        'bucket "photos": drift-reported',
        '  ~ grant-destination:reports  applied',
        '  + create-configuration:daily  applied',
        '  ~ update-configuration:weekly  report-only',
        '  - delete-configuration:legacy  failed (AccessDenied)',
        '  ~ revoke-destination:old  skipped (depends on a failure)',
        '  ~ grant-key:k  conflict',
        '  ~ revoke-key:k  applied',
        '',
      ].join('\n'),
    );
  });

  it('prints the failure last, and a bucket with no outcomes on one line', () => {
    expect(
      renderReconcileReport({
        ...report,
        status: 'failed',
        outcomes: [],
        failure: 'bucket photos: AccessDenied',
      }),
    ).toBe('bucket "photos": failed\n  ! bucket photos: AccessDenied\n');
    expect(renderReconcileReport({ ...report, status: 'in-sync', outcomes: [] }, { color: false })).toBe(
      'bucket "photos": in-sync\n',
    );
  });

  it('colours the status, errors and failure only when asked', () => {
    const failed = { ...report, status: 'failed', outcomes: [outcomes[3]!], failure: 'boom' };
    expect(renderReconcileReport(failed, { color: true })).toBe(
      'bucket "photos": \u001b[31mfailed\u001b[39m\n' +
        '  - delete-configuration:legacy  failed\u001b[2m (AccessDenied)\u001b[22m\n' +
        '\u001b[31m  ! boom\u001b[39m\n',
    );
    expect(renderReconcileReport({ ...report, outcomes: [] }, { color: true })).toBe(
      'bucket "photos": \u001b[35mdrift-reported\u001b[39m\n',
    );
    expect(renderReconcileReport({ ...report, status: 'converged', outcomes: [] }, { color: true })).toBe(
      'bucket "photos": \u001b[32mconverged\u001b[39m\n',
    );
    expect(renderReconcileReport({ ...report, status: 'in-sync', outcomes: [] }, { color: true })).toBe(
      'bucket "photos": in-sync\n',
    );
  });
});
