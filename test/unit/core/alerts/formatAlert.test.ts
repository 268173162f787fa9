import { describe, expect, it } from 'vitest';
import { SNS_MESSAGE_LIMIT_BYTES } from '../../../../lib/core/alerts/constants.js';
import { formatAlert, publishedBytes } from '../../../../lib/core/alerts/formatAlert.js';
import { ALERT_SEVERITY } from '../../../../lib/core/alerts/severity.js';
import type { AlertType } from '../../../../lib/core/alerts/types.js';

const alert = { type: 'drift-detected' as const, bucket: 'src', runId: 'r1', summary: 'Drift on src' };
const statement = {
  Sid: 'S3irInventoryDelivery',
  Effect: 'Allow' as const,
  Principal: { Service: 's3.amazonaws.com' },
  Action: 's3:PutObject',
  Resource: ['arn:aws:s3:::dest/*'],
};

describe('formatAlert()', () => {
  it('puts type, severity, bucket, account, region, runId and a one-line summary in the body, with the Amazon Q fields', () => {
    const formatted = formatAlert({ ...alert, account: '1', region: 'eu-west-1', summary: 'two\nlines' });
    expect(formatted).toEqual({
      subject: 's3ir drift-detected: src',
      message: JSON.stringify({
        version: '1.0',
        source: 'custom',
        type: 'drift-detected',
        severity: 'medium',
        bucket: 'src',
        account: '1',
        region: 'eu-west-1',
        runId: 'r1',
        summary: 'two lines',
        content: {
          textType: 'client-markdown',
          title: '⚠️ Drift detected: `src`',
          description: 'two lines\n\naccount `1` · region `eu-west-1` · run `r1`',
          nextSteps: [
            'See the differences: `s3ir plan --bucket src`',
            "Converge them: `s3ir reconcile --bucket src`, or set the bucket's mode to enforce",
          ],
        },
        metadata: {
          threadId: 's3ir/src',
          eventType: 'drift-detected',
          additionalContext: { account: '1', region: 'eu-west-1', runId: 'r1', severity: 'medium' },
        },
      }),
      attributes: { eventType: 'drift-detected', bucket: 'src', severity: 'medium' },
    });
  });

  it('renders action-required as a card with the statement to add, the target and a reminder', () => {
    const body = JSON.parse(
      formatAlert({
        ...alert,
        type: 'action-required',
        summary: 'dest must allow delivery from src',
        target: 'dest',
        statement,
        reminder: true,
        since: '2026-01-01T00:00:00.000Z',
      }).message,
    );
    expect(body).toEqual({
      version: '1.0',
      source: 'custom',
      type: 'action-required',
      severity: 'high',
      bucket: 'src',
      runId: 'r1',
      summary: 'dest must allow delivery from src',
      reminder: true,
      since: '2026-01-01T00:00:00.000Z',
      target: 'dest',
      statement,
      content: {
        textType: 'client-markdown',
        title: '🚨 Action required: `src` (reminder)',
        description: [
          'dest must allow delivery from src',
          '',
          'run `r1`',
          'Unchanged since 2026-01-01T00:00:00.000Z (reminder).',
          'Target: `dest`',
          '',
          'Statement to add:',
          '```',
          JSON.stringify(statement, null, 2),
          '```',
        ].join('\n'),
        nextSteps: [
          'The owner of `dest` adds the statement (this service may not write it)',
          'Then check: `s3ir plan --bucket src`',
        ],
      },
      metadata: {
        threadId: 's3ir/src',
        eventType: 'action-required',
        additionalContext: { runId: 'r1', severity: 'high' },
      },
    });
  });

  it.each([
    ['drift-resolved', '✅ Drift resolved: `src`', ['What changed: `s3ir audit --bucket src --run r1`']],
    [
      'reconcile-failed',
      '🚨 Reconcile failed: `src`',
      [
        'Reproduce the error: `s3ir plan --bucket src`',
        'What the run did: `s3ir audit --bucket src --run r1`',
      ],
    ],
    [
      'delivery-failed',
      '🚨 Inventory reports not arriving: `src`',
      ['Check the reports: `s3ir delivery --bucket src`', 'Check the grants: `s3ir plan --bucket src`'],
    ],
    [
      'delivery-restored',
      '✅ Inventory reports arriving again: `src`',
      ['Check the reports: `s3ir delivery --bucket src`'],
    ],
  ] as const)('titles %s as %s, with its next steps', (type, title, nextSteps) => {
    const body = JSON.parse(formatAlert({ ...alert, type }).message);
    expect(body.content).toEqual({
      textType: 'client-markdown',
      title,
      description: 'Drift on src\n\nrun `r1`',
      nextSteps,
    });
    expect(body.metadata.eventType).toBe(type);
  });

  it('meets the Amazon Q custom notification schema for every alert type', () => {
    const types: AlertType[] = [
      'drift-detected',
      'drift-resolved',
      'reconcile-failed',
      'action-required',
      'delivery-failed',
      'delivery-restored',
    ];
    for (const type of types) {
      const body = JSON.parse(
        formatAlert({ ...alert, type, account: '123456789012', region: 'us-east-1', statement }).message,
      );
      // Required, with the only values the schema allows.
      expect(body.version, type).toBe('1.0');
      expect(body.source, type).toBe('custom');
      // Only the documented keys inside content and metadata; all strings (additionalContext too).
      expect(Object.keys(body.content).sort(), type).toEqual([
        'description',
        'nextSteps',
        'textType',
        'title',
      ]);
      expect(body.content.textType).toBe('client-markdown');
      expect(typeof body.content.title).toBe('string');
      expect(typeof body.content.description).toBe('string');
      expect(body.content.nextSteps.length, type).toBeGreaterThan(0);
      for (const step of body.content.nextSteps) expect(typeof step).toBe('string');
      expect(Object.keys(body.metadata).sort()).toEqual(['additionalContext', 'eventType', 'threadId']);
      for (const value of Object.values(body.metadata.additionalContext)) expect(typeof value).toBe('string');
    }
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
      version: '1.0',
      source: 'custom',
      type: 'drift-detected',
      severity: 'medium',
      bucket: 'src',
      runId: 'r1',
      summary,
      statement,
      content: expect.objectContaining({
        title: '⚠️ Drift detected: `src`',
        description: expect.stringContaining(`${summary}\n\nrun \`r1\``),
      }),
      metadata: expect.objectContaining({ eventType: 'drift-detected' }),
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

  it('cuts an enormous summary to 1024 characters as a last resort, in the card too', () => {
    const formatted = formatAlert({ ...alert, summary: 'y'.repeat(300_000) });
    const body = JSON.parse(formatted.message);
    expect(body.summary).toHaveLength(1024);
    expect(body.content.description).toBe(`${body.summary}\n\nrun \`r1\``);
    expect(body).toMatchObject({ version: '1.0', source: 'custom', detail: { truncated: true } });
    expect(publishedBytes(formatted)).toBeLessThanOrEqual(SNS_MESSAGE_LIMIT_BYTES);
  });
});
