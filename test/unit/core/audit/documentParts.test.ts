import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../../lib/core/audit/canonicalJson.js';
import { sha256Hex } from '../../../../lib/core/audit/chainHash.js';
import {
  assembleDocument,
  documentReference,
  estimateItemBytes,
  reduceLargeFields,
  restoreDocuments,
} from '../../../../lib/core/audit/documentParts.js';
import { AuditEventTooLargeError } from '../../../../lib/core/audit/errors.js';

const base = { eventId: 'e1', bucket: 'photos', time: '2026-01-01T00:00:00.000Z', action: 'x', actor: 'a' };

describe('estimateItemBytes()', () => {
  it('counts UTF-8 bytes of names and JSON values', () => {
    expect(estimateItemBytes({ ab: 'é', n: 10, skip: undefined })).toBe(2 + 4 + 1 + 2);
  });
});

describe('reduceLargeFields()', () => {
  it('leaves an event under the limit alone', () => {
    const event = { ...base, after: { a: 1 } };
    expect(reduceLargeFields(event)).toEqual({ event, parts: [] });
  });

  it('moves the largest fields into parts until the item fits, digest and pointer in their place', () => {
    const after = { policy: 'x'.repeat(900), note: 'ü'.repeat(50) };
    const before = { policy: 'y'.repeat(500) };
    const event = { ...base, before, after, message: 'small' };
    const { event: reduced, parts } = reduceLargeFields(event, { limit: 1_000, partBytes: 256 });
    const text = canonicalJson(after);
    expect(reduced).toEqual({
      ...base,
      before,
      message: 'small',
      after: {
        s3irDocument: {
          sha256: sha256Hex(text),
          bytes: Buffer.byteLength(text),
          parts: 4,
          pointer: 'photos/#doc#e1#after',
        },
      },
    });
    expect(parts.map((part) => part.eventId)).toEqual([0, 1, 2, 3].map((i) => `#doc#e1#after#${i}`));
    expect(parts.every((part) => part.bucket === 'photos' && Buffer.byteLength(part.data) <= 256)).toBe(true);
    expect(parts.map((part) => part.data).join('')).toBe(text);
    expect(restoreDocuments(reduced, parts)).toEqual(event);
  });

  it('never cuts a multi-byte character between parts', () => {
    const event = { ...base, after: '€'.repeat(400) };
    const { parts } = reduceLargeFields(event, { limit: 400, partBytes: 100 });
    expect(parts.every((part) => !part.data.includes('\uFFFD'))).toBe(true);
    expect(JSON.parse(parts.map((part) => part.data).join(''))).toBe(event.after);
  });

  it('refuses an event whose identity alone is too large, or whose documents exceed one transaction', () => {
    expect(() => reduceLargeFields({ ...base, actor: 'a'.repeat(2_000) }, { limit: 1_000 })).toThrow(
      AuditEventTooLargeError,
    );
    const huge = { ...base, after: 'x'.repeat(3_600_000) };
    expect(() => reduceLargeFields(huge)).toThrow(/one event holds at most 3500000/);
  });
});

describe('assembleDocument()', () => {
  const after = { list: Array.from({ length: 60 }, (_, i) => `item-${i}`) };
  const { event, parts } = reduceLargeFields({ ...base, after }, { limit: 300, partBytes: 200 });
  const reference = documentReference(event.after)!;

  it('reassembles the document from its parts in index order, whatever order they come in', () => {
    expect(assembleDocument('e1', 'after', reference, [...parts].reverse())).toEqual({
      ok: true,
      value: after,
    });
  });

  it('says which part is missing, or that the parts do not match the digest', () => {
    expect(assembleDocument('e1', 'after', reference, parts.slice(1))).toEqual({
      ok: false,
      problem: `part 1 of ${reference.parts} is missing`,
    });
    const forged = parts.map((part, i) =>
      i === 0 ? { ...part, data: part.data.replace('item-0', 'item-X') } : part,
    );
    expect(assembleDocument('e1', 'after', reference, forged)).toEqual({
      ok: false,
      problem: 'its parts do not match its digest',
    });
  });

  it('keeps the reference when the document cannot be restored', () => {
    expect(restoreDocuments(event, parts.slice(1))).toEqual(event);
  });

  it('tells a reference from an ordinary document', () => {
    expect(documentReference({ s3irDocument: { sha256: 'x' } })).toBeUndefined();
    expect(documentReference({ s3irDocument: reference, other: 1 })).toBeUndefined();
    expect(documentReference('text')).toBeUndefined();
    expect(documentReference({ s3irDocument: { ...reference, parts: 0 } })).toBeUndefined();
  });
});
