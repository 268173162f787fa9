import { describe, expect, it } from 'vitest';
import { formatAlert, MAX_MESSAGE_BYTES } from '../../../lib/alerts/index.js';

const alert = { type: 'drift-detected' as const, bucket: 'src', runId: 'r1', summary: 'Drift on src' };

describe('formatAlert()', () => {
  it('puts type, bucket and a one-line summary in the body and eventType and bucket in the attributes', () => {
    const formatted = formatAlert({ ...alert, account: '1', region: 'eu-west-1', summary: 'two\nlines' });
    expect(formatted).toEqual({
      subject: 's3ir drift-detected: src',
      message: JSON.stringify({
        type: 'drift-detected',
        bucket: 'src',
        account: '1',
        region: 'eu-west-1',
        runId: 'r1',
        summary: 'two lines',
      }),
      attributes: { eventType: 'drift-detected', bucket: 'src' },
    });
  });

  it('keeps the subject printable ASCII and under 100 characters', () => {
    const { subject } = formatAlert({ ...alert, bucket: `é${'b'.repeat(200)}` });
    expect(subject).toHaveLength(99);
    expect(subject).toMatch(/^[\x20-\x7e]+\.\.\.$/);
    expect(subject.startsWith('s3ir drift-detected: ?b')).toBe(true);
  });

  it('drops the detail, never the summary or statement, when the message would pass 256 KB', () => {
    const statement = { Sid: 'S', Effect: 'Allow' as const, Action: 's3:PutObject', Resource: '*' };
    const formatted = formatAlert({ ...alert, statement, detail: { big: 'x'.repeat(300_000) } });
    expect(Buffer.byteLength(formatted.message)).toBeLessThan(MAX_MESSAGE_BYTES);
    expect(JSON.parse(formatted.message)).toEqual({
      type: 'drift-detected',
      bucket: 'src',
      runId: 'r1',
      summary: 'Drift on src',
      statement,
      detail: { truncated: true, bytes: expect.any(Number) },
    });
  });
  it('cuts an enormous summary too', () => {
    const formatted = formatAlert({ ...alert, summary: 'y'.repeat(300_000) });
    expect(JSON.parse(formatted.message).summary).toHaveLength(1024);
  });
});
