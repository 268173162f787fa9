import { describe, expect, it } from 'vitest';
import { fingerprint, stableText } from '../../../../lib/core/alerts/fingerprint.js';

describe('fingerprint()', () => {
  it('is the same whatever order object members come in, and differs when a value does', () => {
    expect(fingerprint({ a: 1, b: ['x', { c: true, d: null }] })).toBe(
      fingerprint({ b: ['x', { d: null, c: true }], a: 1 }),
    );
    expect(fingerprint({ a: 1 })).not.toBe(fingerprint({ a: 2 }));
    expect(fingerprint(['x', 'y'])).not.toBe(fingerprint(['y', 'x']));
    expect(fingerprint('x')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('stableText()', () => {
  it('drops request ids, UUIDs, timestamps and long numbers, and keeps the rest', () => {
    expect(stableText('AccessDenied: Access Denied (Request ID: 4442587FB7D0A2F9)')).toBe(
      'AccessDenied: Access Denied (Request ID: #)',
    );
    expect(
      stableText('key 1234abcd-12ab-34cd-56ef-1234567890ab at 2026-03-01T00:00:05.123Z, epoch 1767225600'),
    ).toBe('key # at #, epoch #');
    expect(stableText('create-configuration:daily: 2 fields differ')).toBe(
      'create-configuration:daily: 2 fields differ',
    );
  });
});
