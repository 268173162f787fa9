import { createHash } from 'node:crypto';

/**
 * A Bloom filter of bucket names: what one member account's last discovery selected (#18), small enough that
 * its item never grows past a fixed cap whatever the number of buckets. A name it does not contain was surely
 * not selected; a name it contains probably was (false positives only keep a stale status a little longer,
 * never remove a live one).
 */
export interface BucketFilter {
  /** Size in bits: a power of two, {@link MIN_BITS} to {@link MAX_BITS}. */
  bits: number;
  /** Hash functions per name. */
  hashes: number;
  /** How many names went in. */
  count: number;
  /** `bits / 8` bytes. */
  data: Uint8Array;
}

/** 128 bytes: the smallest filter (an account with a handful of buckets). */
export const MIN_BITS = 1024;
/** 64 KB: the largest (16 bits a name up to 32,768 names; beyond, more false positives, the same size). */
export const MAX_BITS = 524_288;
const BITS_PER_NAME = 16;

/** The filter of `names`: 16 bits a name (rounded up to a power of two, within the cap), k = bits/n · ln 2. Pure. */
export function bucketFilter(names: readonly string[]): BucketFilter {
  const unique = [...new Set(names)];
  const n = Math.max(unique.length, 1);
  let bits = MIN_BITS;
  while (bits < n * BITS_PER_NAME && bits < MAX_BITS) bits *= 2;
  const hashes = Math.min(12, Math.max(1, Math.round((bits / n) * Math.LN2)));
  const data = new Uint8Array(bits / 8);
  for (const name of unique) {
    for (const index of positions(name, bits, hashes)) data[index >>> 3]! |= 1 << (index & 7);
  }
  return { bits, hashes, count: unique.length, data };
}

/** Whether `name` may have gone into `filter` (false: it surely did not). Pure. */
export function mayContain(filter: BucketFilter, name: string): boolean {
  for (const index of positions(name, filter.bits, filter.hashes)) {
    if (((filter.data[index >>> 3] ?? 0) & (1 << (index & 7))) === 0) return false;
  }
  return true;
}

/** Whether two filters hold the same bits (a discovery that selected the same buckets writes nothing). */
export function sameFilter(a: BucketFilter, b: BucketFilter): boolean {
  return (
    a.bits === b.bits &&
    a.hashes === b.hashes &&
    a.count === b.count &&
    Buffer.from(a.data).equals(Buffer.from(b.data))
  );
}

/** Double hashing over sha256 of the name: h1 + i·h2 (h2 odd, so it cycles through every bit). */
function positions(name: string, bits: number, hashes: number): number[] {
  const digest = createHash('sha256').update(name).digest();
  const h1 = digest.readUInt32BE(0);
  const h2 = digest.readUInt32BE(4) | 1;
  const found: number[] = [];
  for (let i = 0; i < hashes; i++) found.push(((h1 + Math.imul(i, h2)) >>> 0) & (bits - 1));
  return found;
}
