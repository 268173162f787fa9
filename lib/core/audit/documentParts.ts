import { compareCodeUnits } from '../json/compareCodeUnits.js';
import { isRecord } from '../json/isRecord.js';
import { canonicalJson } from './canonicalJson.js';
import { sha256Hex } from './chainHash.js';
import { DOCUMENT_ID_PREFIX } from './constants.js';
import { AuditEventTooLargeError } from './errors.js';

/**
 * Above this estimate an event's largest fields move into part items. DynamoDB refuses items over
 * 400 KB including attribute names (docs/aws-facts.md §6); the margin covers the chain and index attributes
 * added after the estimate, and the estimate's own error.
 */
export const REDUCE_ABOVE_BYTES = 350_000;

/** Most UTF-8 bytes of document text one part item holds. */
export const PART_BYTES = 300_000;

/** Most bytes of parts one event may have: they are written in one transaction, which holds at most 4 MB. */
export const MAX_PARTS_BYTES = 3_500_000;

/** What a large document is replaced with in the event item: its digest and where its parts are. */
export interface DocumentReference {
  /** sha256 (hex) of the document's canonical JSON: the parts must reassemble to exactly this. */
  sha256: string;
  /** UTF-8 bytes of that canonical JSON. */
  bytes: number;
  parts: number;
  /** `<bucket>/#doc#<eventId>#<field>`: the partition and sort key prefix of the parts (`…#0`, `…#1`, …). */
  pointer: string;
}

/** One part item of a large document. */
export interface DocumentPart {
  bucket: string;
  eventId: string;
  data: string;
}

/** Fields that stay in the item: the event's identity and chain, which the indexes and verify read. */
const KEPT_FIELDS = new Set([
  'eventId',
  'time',
  'runId',
  'bucket',
  'configId',
  'action',
  'actor',
  'seq',
  'prevHash',
  'hash',
  'expiresAt',
  'prevExpiresAt',
  'timeKey',
  'day',
]);

/** A conservative size of an item as DynamoDB counts it: UTF-8 bytes of each name plus its value as JSON. */
export function estimateItemBytes(item: object): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value !== undefined) bytes += Buffer.byteLength(name) + Buffer.byteLength(JSON.stringify(value));
  }
  return bytes;
}

/** Sort key prefix of the parts of one field's document: `#doc#<eventId>#<field>#`. */
export function documentPartPrefix(eventId: string, field: string): string {
  return `${DOCUMENT_ID_PREFIX}${eventId}#${field}#`;
}

/**
 * An event small enough for one item: while it is too large, its largest field (never the identity or
 * chain fields) is replaced by `{ s3irDocument: DocumentReference }` and its canonical JSON cut into
 * part items, to be written in the same transaction. Nothing is dropped: the reader reassembles the
 * parts and verify checks them against the digest.
 * @throws AuditEventTooLargeError when even that cannot fit (a transaction holds at most 4 MB)
 */
export function reduceLargeFields<E extends { eventId: string; bucket: string }>(
  event: E,
  options: { limit?: number; partBytes?: number } = {},
): { event: E; parts: DocumentPart[] } {
  const limit = options.limit ?? REDUCE_ABOVE_BYTES;
  if (estimateItemBytes(event) <= limit) return { event, parts: [] };
  const reduced: Record<string, unknown> = { ...event };
  const parts: DocumentPart[] = [];
  const candidates = Object.entries(event)
    .filter(([field, value]) => !KEPT_FIELDS.has(field) && value !== undefined)
    .map(([field, value]) => ({ field, value, bytes: Buffer.byteLength(JSON.stringify(value)) }))
    .sort((a, b) => b.bytes - a.bytes || compareCodeUnits(a.field, b.field));
  for (const { field, value } of candidates) {
    if (estimateItemBytes(reduced) <= limit) break;
    const text = canonicalJson(value);
    const chunks = splitUtf8(text, options.partBytes ?? PART_BYTES);
    const prefix = documentPartPrefix(event.eventId, field);
    const reference: DocumentReference = {
      sha256: sha256Hex(text),
      bytes: Buffer.byteLength(text),
      parts: chunks.length,
      pointer: `${event.bucket}/${prefix.slice(0, -1)}`,
    };
    reduced[field] = { s3irDocument: reference };
    chunks.forEach((data, i) => {
      parts.push({ bucket: event.bucket, eventId: `${prefix}${i}`, data });
    });
  }
  const bytes = estimateItemBytes(reduced);
  if (bytes > limit) {
    throw new AuditEventTooLargeError(
      event.eventId,
      `${bytes} bytes even with every document field moved into parts: its identity fields are too large`,
    );
  }
  const partsBytes = parts.reduce((sum, part) => sum + Buffer.byteLength(part.data), 0);
  if (partsBytes > MAX_PARTS_BYTES) {
    throw new AuditEventTooLargeError(
      event.eventId,
      `its documents total ${partsBytes} bytes; one event holds at most ${MAX_PARTS_BYTES} (a DynamoDB transaction carries at most 4 MB)`,
    );
  }
  return { event: reduced as E, parts };
}

/** The reference a field holds, when its document was moved into parts. */
export function documentReference(value: unknown): DocumentReference | undefined {
  if (!isRecord(value) || Object.keys(value).length !== 1 || !isRecord(value.s3irDocument)) return undefined;
  const { sha256, bytes, parts, pointer } = value.s3irDocument;
  if (typeof sha256 !== 'string' || typeof pointer !== 'string') return undefined;
  if (typeof bytes !== 'number' || typeof parts !== 'number' || !Number.isInteger(parts) || parts < 1)
    return undefined;
  return { sha256, bytes, parts, pointer };
}

/** The fields of an event whose documents live in parts, with their references. */
export function referencedDocuments(event: object): [string, DocumentReference][] {
  return Object.entries(event).flatMap(([field, value]) => {
    const reference = documentReference(value);
    return reference === undefined ? [] : [[field, reference] as [string, DocumentReference]];
  });
}

/** Reassembled from its parts, or why not. */
export type AssembledDocument = { ok: true; value: unknown } | { ok: false; problem: string };

/**
 * Reassembles one field's document from the part items found (of any event: the ones of this field are
 * picked by sort key) and checks it against its digest.
 */
export function assembleDocument(
  eventId: string,
  field: string,
  reference: DocumentReference,
  items: readonly object[],
): AssembledDocument {
  const prefix = documentPartPrefix(eventId, field);
  const data: (string | undefined)[] = Array.from({ length: reference.parts });
  for (const item of items as readonly Readonly<Record<string, unknown>>[]) {
    const id = item.eventId;
    if (typeof id !== 'string' || !id.startsWith(prefix)) continue;
    const index = Number(id.slice(prefix.length));
    if (Number.isInteger(index) && index >= 0 && index < reference.parts && typeof item.data === 'string')
      data[index] = item.data;
  }
  const missing = data.indexOf(undefined);
  if (missing >= 0) return { ok: false, problem: `part ${missing + 1} of ${reference.parts} is missing` };
  const text = data.join('');
  if (Buffer.byteLength(text) !== reference.bytes || sha256Hex(text) !== reference.sha256)
    return { ok: false, problem: 'its parts do not match its digest' };
  return { ok: true, value: JSON.parse(text) };
}

/** Cuts a text into pieces of at most `maxBytes` UTF-8 bytes, never inside a character. */
function splitUtf8(text: string, maxBytes: number): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: string[] = [];
  for (let start = 0; start < bytes.length; ) {
    let end = Math.min(start + maxBytes, bytes.length);
    // A UTF-8 continuation byte (10xxxxxx) cannot start a piece: back off to the character's start.
    while (end < bytes.length && end > start + 1 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
    chunks.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
  }
  return chunks;
}

/**
 * The event with each document that lives in parts put back whole. A document whose parts are missing
 * or do not match its digest keeps its reference (so nothing is shown that was not stored; `audit verify`
 * names it).
 */
export function restoreDocuments<E extends { eventId: string }>(event: E, items: readonly object[]): E {
  const restored: Record<string, unknown> = { ...event };
  for (const [field, reference] of referencedDocuments(event)) {
    const document = assembleDocument(event.eventId, field, reference, items);
    if (document.ok) restored[field] = document.value;
  }
  return restored as E;
}
