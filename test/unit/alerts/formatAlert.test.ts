import { describe, expect, it } from 'vitest';
import {
  ALERT_SEVERITY,
  type AlertType,
  formatAlert,
  publishedBytes,
  SNS_MESSAGE_LIMIT_BYTES,
} from '../../../lib/alerts/index.js';

const alert = { type: 'drift-detected' as const, bucket: 'src', runId: 'r1', summary: 'Drift on src' };
const statement = {
  Sid: 'S3irInventoryDelivery',
  Effect: 'Allow' as const,
  Principal: { Service: 's3.amazonaws.com' },
  Action: 's3:PutObject',
  Resource: ['arn:aws:s3:::dest/*'],
};

describe('formatAlert()', () => {
  it('puts type, severity, bucket, account, region, runId and a one-line summary in the body', () => {
    const formatted = formatAlert({ ...alert, account: '1', region: 'eu-west-1', summary: 'two\nlines' });
    expect(formatted).toEqual({
      subject: 's3ir drift-detected: src',
      message: JSON.stringify({
        type: 'drift-detected',
        severity: 'medium',
        bucket: 'src',
        account: '1',
        region: 'eu-west-1',
        runId: 'r1',
        summary: 'two lines',
      }),
      attributes: { eventType: 'drift-detected', bucket: 'src', severity: 'medium' },
    });
  });

  it.each([
    ['reconcile-failed', 'high'],
    ['action-required', 'high'],
    ['delivery-failed', 'high'],
    ['drift-detected', 'medium'],
    ['drift-resolved', 'info'],
    ['delivery-restored', 'info'],
  ] as const)('gives %s the severity %s, as attribute and in the body', (type, severity) => {
    const formatted = formatAlert({ ...alert, type: type as AlertType });
    expect(formatted.attributes.severity).toBe(severity);
    expect(JSON.parse(formatted.message).severity).toBe(severity);
    expect(ALERT_SEVERITY[type]).toBe(severity);
  });

  it('marks a reminder in subject and body, with since when', () => {
    const formatted = formatAlert({ ...alert, reminder: true, since: '2026-01-01T00:00:00.000Z' });
    expect(formatted.subject).toBe('s3ir drift-detected (reminder): src');
    expect(JSON.parse(formatted.message)).toMatchObject({
      reminder: true,
      since: '2026-01-01T00:00:00.000Z',
    });
  });

  it('carries the structured detail, the target and the statement', () => {
    const detail = { notApplied: [{ key: 'create-configuration:a', reason: 'missing' }], unmanaged: ['x'] };
    const body = JSON.parse(formatAlert({ ...alert, target: 'dest', statement, detail }).message);
    expect(body).toMatchObject({ target: 'dest', statement, detail });
  });

  it('keeps the subject printable ASCII and under 100 characters, whatever the bucket', () => {
    const { subject } = formatAlert({ ...alert, bucket: `é€😀${'b'.repeat(200)}` });
    expect(subject).toHaveLength(99);
    expect(subject).toMatch(/^[\x20-\x7e]+\.\.\.$/);
    expect(subject.startsWith('s3ir drift-detected: ???')).toBe(true);
  });

  it('keeps a non-ASCII bucket and summary intact in the body and the attributes', () => {
    const formatted = formatAlert({ ...alert, bucket: 'bücket-東京', summary: 'Dérive sur bücket-東京 😀' });
    expect(JSON.parse(formatted.message)).toMatchObject({
      bucket: 'bücket-東京',
      summary: 'Dérive sur bücket-東京 😀',
    });
    expect(formatted.attributes.bucket).toBe('bücket-東京');
    expect(formatted.subject).toBe('s3ir drift-detected: b?cket-??');
  });

  it('cuts a 1 MB detail, never the summary or the statement, and stays within 256 KB with attributes', () => {
    const summary = `Dérive ${'é'.repeat(500)}`;
    const formatted = formatAlert({ ...alert, summary, statement, detail: { big: '€'.repeat(1024 * 1024) } });
    expect(publishedBytes(formatted)).toBeLessThanOrEqual(SNS_MESSAGE_LIMIT_BYTES);
    expect(JSON.parse(formatted.message)).toEqual({
      type: 'drift-detected',
      severity: 'medium',
      bucket: 'src',
      runId: 'r1',
      summary,
      statement,
      detail: { truncated: true, bytes: expect.any(Number) },
    });
    expect(JSON.parse(formatted.message).detail.bytes).toBeGreaterThan(3 * 1024 * 1024);
  });

  it('keeps a detail that just fits, counting bytes rather than characters', () => {
    const room = SNS_MESSAGE_LIMIT_BYTES - publishedBytes(formatAlert({ ...alert, detail: '' }));
    const fits = formatAlert({ ...alert, detail: 'x'.repeat(room) });
    expect(publishedBytes(fits)).toBe(SNS_MESSAGE_LIMIT_BYTES);
    expect(JSON.parse(fits.message).detail).toHaveLength(room);
    // One character more, but a two-byte one: one byte over, so the detail goes.
    const over = formatAlert({ ...alert, detail: `${'x'.repeat(room - 1)}é` });
    const full = JSON.stringify({ ...JSON.parse(fits.message), detail: `${'x'.repeat(room - 1)}é` });
    expect(JSON.parse(over.message).detail).toEqual({ truncated: true, bytes: Buffer.byteLength(full) });
    expect(publishedBytes(over)).toBeLessThan(SNS_MESSAGE_LIMIT_BYTES);
  });

  it('cuts an enormous summary to 1024 characters as a last resort', () => {
    const formatted = formatAlert({ ...alert, summary: 'y'.repeat(300_000) });
    expect(JSON.parse(formatted.message).summary).toHaveLength(1024);
    expect(publishedBytes(formatted)).toBeLessThanOrEqual(SNS_MESSAGE_LIMIT_BYTES);
  });
});
