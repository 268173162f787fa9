import { compareCodeUnits } from '../json/compareCodeUnits.js';
import { canonicalJson } from './canonicalJson.js';
import { sha256Hex } from './chainHash.js';

/** The digest format's version: a reader refuses any other. */
export const DIGEST_VERSION = 1;

/** Where digests live in the digest bucket (lib/adapters/aws/S3DigestStore.ts). */
export const DIGEST_PREFIX = 'digests/';

/** Digest sequences are below this, so that `MAX - sequence` keeps 12 digits and keys sort newest first. */
const MAX_SEQUENCE = 999_999_999_999;

/** A chain head as a digest records it: where the bucket's chain ended when the digest was written. */
export interface AnchoredHead {
  bucket: string;
  seq: number;
  /** The `hash` of the event at `seq`. */
  hash: string;
  /** That event's id, so a reader can fetch it without reading the chain. */
  eventId: string;
  /** That event's `time`. */
  time: string;
  /** That event's `expiresAt` (epoch seconds), when retention is on: after it, the event may be gone. */
  expiresAt?: number;
}

/**
 * One digest, as signed (canonical JSON of this object): the chain heads that moved since the previous
 * digest, every chain anchored so far with the seq it was anchored at, and the previous digest's key and
 * hash, so that the digests form a chain of their own (CloudTrail's digest files, for the audit table).
 */
export interface DigestDocument {
  version: typeof DIGEST_VERSION;
  /** 1 for the first digest, then one more each time. */
  sequence: number;
  /** When it was written, ISO 8601 UTC. */
  time: string;
  /** Absent for the first digest. */
  previous?: { key: string; hash: string };
  /** Chain heads that moved since the previous digest (or every head, for the first), sorted by bucket. */
  heads: AnchoredHead[];
  /** Every chain anchored by this digest or an earlier one, with its newest anchored seq, sorted by bucket. */
  chains: { bucket: string; seq: number }[];
}

/** A digest as read back: its document, the exact bytes that were signed, and their hash. */
export interface SealedDigest {
  key: string;
  document: DigestDocument;
  body: string;
  /** sha256 (hex) of `body`: what the signature covers and what the next digest records. */
  hash: string;
}

/**
 * The key of the digest with this sequence: `digests/<999999999999 - sequence>-<sequence>.json`. Keys sort
 * newest first, so the newest digest is the first one ListObjectsV2 names (one call, whatever the count),
 * and a key depends on the sequence alone, so two writers racing for one sequence race for one key.
 */
export function digestKey(sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence >= MAX_SEQUENCE)
    throw new RangeError(
      `digest sequence must be a whole number from 1 to ${MAX_SEQUENCE - 1}, not ${sequence}`,
    );
  return `${DIGEST_PREFIX}${String(MAX_SEQUENCE - sequence).padStart(12, '0')}-${sequence}.json`;
}

/** The sequence a digest key names, or undefined for a key that is not a digest's. */
export function sequenceOfKey(key: string): number | undefined {
  const match = /^digests\/(\d{12})-(\d+)\.json$/.exec(key);
  if (!match) return undefined;
  const sequence = Number(match[2]);
  return MAX_SEQUENCE - Number(match[1]) === sequence ? sequence : undefined;
}

/**
 * The next digest after `previous` (undefined: the first): every head that moved past what the digests
 * anchored so far is recorded; a head behind its anchor (an index lagging, or a table rolled back) is not
 * recorded again, so an anchor never moves backwards: verify reports the rollback.
 */
export function nextDigest(
  previous: SealedDigest | undefined,
  heads: readonly AnchoredHead[],
  time: Date,
): DigestDocument {
  const anchored = new Map((previous?.document.chains ?? []).map((chain) => [chain.bucket, chain.seq]));
  const moved = heads
    .filter((head) => head.seq > (anchored.get(head.bucket) ?? 0))
    .sort((a, b) => compareCodeUnits(a.bucket, b.bucket));
  for (const head of moved) anchored.set(head.bucket, head.seq);
  return {
    version: DIGEST_VERSION,
    sequence: (previous?.document.sequence ?? 0) + 1,
    time: time.toISOString(),
    ...(previous && { previous: { key: previous.key, hash: previous.hash } }),
    heads: moved.map((head) => ({ ...head })),
    chains: [...anchored]
      .sort(([a], [b]) => compareCodeUnits(a, b))
      .map(([bucket, seq]) => ({ bucket, seq })),
  };
}

/** The bytes that are stored and signed: the canonical JSON of the document (lib/core/audit/canonicalJson.ts). */
export function sealDigest(document: DigestDocument): SealedDigest {
  const body = canonicalJson(document);
  return { key: digestKey(document.sequence), document, body, hash: sha256Hex(body) };
}
