import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/canonicalJson.js';

/**
 * The fingerprint of a condition: sha256 (hex) of the canonical JSON of a description of exactly what is
 * wrong, so that the same drift, findings or failure always give the same fingerprint whatever order they
 * were found in, and any change to them gives another (and re-alerts).
 * @example fingerprint(['update-configuration:daily', 'unmanaged:stray'])
 */
export function fingerprint(description: unknown): string {
  return createHash('sha256').update(canonicalJson(description)).digest('hex');
}

/**
 * An error text without what changes from one attempt to the next (request ids, UUIDs, timestamps, long
 * numbers), so that the same failure seen again keeps its fingerprint.
 * @example stableText('AccessDenied (Request ID: 4442587FB7D0A2F9)') // 'AccessDenied (Request ID: #)'
 */
export function stableText(text: string): string {
  return text
    .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z?/g, '#')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '#')
    .replace(/\b(?=[0-9A-Za-z]*\d)[0-9A-Za-z]{16,}\b/g, '#')
    .replace(/\d{6,}/g, '#');
}
