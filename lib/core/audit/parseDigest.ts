import { isRecord } from '../json/isRecord.js';
import { canonicalJson } from './canonicalJson.js';
import { sha256Hex } from './chainHash.js';
import {
  type AnchoredHead,
  DIGEST_VERSION,
  type DigestDocument,
  type SealedDigest,
} from './digestDocument.js';

/** A digest's body read back: sealed when it is a well-formed digest, else why not. */
export type ParsedDigest = { ok: true; digest: SealedDigest } | { ok: false; problem: string };

const HASH = /^[0-9a-f]{64}$/;
const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1;

/**
 * Reads a digest's body as untrusted input: it must be JSON of the digest shape, in canonical form (the
 * exact bytes {@link sealDigest} writes), so that nothing but the signed bytes can say what it anchors.
 */
export function parseDigest(key: string, body: string): ParsedDigest {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  const problem = shapeProblem(value);
  if (problem !== undefined) return { ok: false, problem };
  if (canonicalJson(value) !== body) return { ok: false, problem: 'not in canonical form' };
  return { ok: true, digest: { key, document: value as DigestDocument, body, hash: sha256Hex(body) } };
}

function shapeProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'not a JSON object';
  if (value.version !== DIGEST_VERSION)
    return `version ${JSON.stringify(value.version)} is not ${DIGEST_VERSION}`;
  if (!isCount(value.sequence)) return 'sequence is not a whole number from 1';
  if (typeof value.time !== 'string' || Number.isNaN(Date.parse(value.time))) return 'time is not a date';
  if (value.previous !== undefined) {
    const previous = value.previous;
    if (!isRecord(previous) || typeof previous.key !== 'string' || !HASH.test(String(previous.hash)))
      return 'previous needs a key and a sha256 hash';
  } else if (value.sequence !== 1) return `digest ${value.sequence} names no previous digest`;
  if (!Array.isArray(value.heads)) return 'heads is not a list';
  const badHead = value.heads.findIndex((head) => !isHead(head));
  if (badHead >= 0) return `heads[${badHead}] needs bucket, seq, hash, eventId and time`;
  if (!Array.isArray(value.chains)) return 'chains is not a list';
  const badChain = value.chains.findIndex(
    (chain) => !isRecord(chain) || typeof chain.bucket !== 'string' || !isCount(chain.seq),
  );
  if (badChain >= 0) return `chains[${badChain}] needs bucket and seq`;
  return undefined;
}

function isHead(value: unknown): value is AnchoredHead {
  return (
    isRecord(value) &&
    typeof value.bucket === 'string' &&
    isCount(value.seq) &&
    typeof value.hash === 'string' &&
    HASH.test(value.hash) &&
    typeof value.eventId === 'string' &&
    typeof value.time === 'string' &&
    (value.expiresAt === undefined || typeof value.expiresAt === 'number')
  );
}
