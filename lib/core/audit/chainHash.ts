import { createHash } from 'node:crypto';
import { canonicalJson } from './canonicalJson.js';
import { INDEX_ONLY_ATTRIBUTES } from './constants.js';

/** sha256 of a text's UTF-8 bytes, as 64 lower-case hex digits. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The hash of a stored audit event: sha256 (hex) of the canonical JSON of the item as stored, without
 * `hash` itself and without the index-only attributes (`timeKey`, `day`, derived from `time` and
 * `eventId`). It covers `seq` and `prevHash`, so each event vouches for the one before it.
 */
export function chainHash(item: object): string {
  const hashed: Record<string, unknown> = { ...item };
  delete hashed.hash;
  for (const attribute of INDEX_ONLY_ATTRIBUTES) delete hashed[attribute];
  return sha256Hex(canonicalJson(hashed));
}
