import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../../lib/core/audit/canonicalJson.js';
import { chainHash, sha256Hex } from '../../../../lib/core/audit/chainHash.js';

describe('canonicalJson()', () => {
  it('sorts object keys by code unit at every depth, without whitespace', () => {
    expect(canonicalJson({ b: 1, a: { z: [true, null, 'x'], B: 2 }, é: 'e', Z: -0.5 })).toBe(
      '{"Z":-0.5,"a":{"B":2,"z":[true,null,"x"]},"b":1,"é":"e"}',
    );
  });

  it('leaves undefined members out and keeps array order', () => {
    expect(canonicalJson({ a: undefined, b: [3, 1, 2] })).toBe('{"b":[3,1,2]}');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
  });

  it('escapes strings as JSON does', () => {
    expect(canonicalJson({ 'k"': 'line\nbreak \u2028 "q"' })).toBe('{"k\\"":"line\\nbreak \u2028 \\"q\\""}');
  });

  it('refuses what is not JSON, naming it', () => {
    expect(() => canonicalJson(undefined)).toThrow('a undefined is not a JSON value');
    expect(() => canonicalJson(Number.NaN)).toThrow('NaN is not a JSON number');
    expect(() => canonicalJson({ at: new Date(0) })).toThrow('a Date is not a JSON value');
    expect(() => canonicalJson(10n)).toThrow('a bigint is not a JSON value');
  });

  it('is the same text whatever the member order, and parses back to the value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        const reversed = JSON.parse(JSON.stringify(value), (_key, member) =>
          member && typeof member === 'object' && !Array.isArray(member)
            ? Object.fromEntries(Object.entries(member).reverse())
            : member,
        );
        expect(canonicalJson(reversed)).toBe(text);
      }),
    );
  });
});

describe('chainHash()', () => {
  const item = {
    bucket: 'photos',
    eventId: 'e1',
    time: '2026-01-01T00:00:00.000Z',
    seq: 1,
    prevHash: '0'.repeat(64),
    message: 'hello',
  };

  it('is the sha256 hex of the canonical JSON of the item', () => {
    expect(chainHash(item)).toBe(sha256Hex(canonicalJson(item)));
    expect(chainHash(item)).toMatch(/^[0-9a-f]{64}$/);
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('ignores hash itself and the index-only attributes, not anything else', () => {
    const stored = { ...item, hash: 'x', timeKey: 'k', day: '2026-01-01' };
    expect(chainHash(stored)).toBe(chainHash(item));
    expect(chainHash({ ...item, message: 'hello!' })).not.toBe(chainHash(item));
    expect(chainHash({ ...item, seq: 2 })).not.toBe(chainHash(item));
    expect(chainHash({ ...item, expiresAt: 1 })).not.toBe(chainHash(item));
  });
});
