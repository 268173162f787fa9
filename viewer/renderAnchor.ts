import type { AnchorResponse } from '../lib/api/types.js';

/**
 * The anchor line (issue 16): when the audit history was last anchored (the newest signed digest outside
 * the table) and whether the table still matches it, from `GET /anchor`.
 */
export function anchorIndicator(anchor: AnchorResponse): {
  state: 'intact' | 'broken' | 'unknown';
  text: string;
} {
  if (!anchor.configured)
    return {
      state: 'unknown',
      text: 'History not anchored: no digest bucket is configured (S3IR_DIGEST_BUCKET).',
    };
  if (!anchor.anchored || anchor.newest === undefined)
    return anchor.breaks.length > 0
      ? {
          state: 'broken',
          text: `✗ Newest digest does not verify: ${anchor.breaks[0]?.reason ?? 'unknown'}.`,
        }
      : { state: 'unknown', text: 'History not anchored yet: no digest has been written.' };
  const since = `Last anchored ${anchor.newest.time} (digest ${anchor.newest.sequence})`;
  const pending =
    anchor.unanchoredChains > 0
      ? ` ${anchor.unanchoredChains} chain${anchor.unanchoredChains === 1 ? ' has' : 's have'} events since, not yet anchored.`
      : '';
  if (anchor.verifies) return { state: 'intact', text: `✓ ${since}; the table matches it.${pending}` };
  const [first] = anchor.breaks;
  const where = first?.bucket !== undefined ? `bucket ${first.bucket}` : `digest ${first?.digestKey}`;
  const more = anchor.breaks.length > 1 ? ` (${anchor.breaks.length - 1} more)` : '';
  return {
    state: 'broken',
    text: `✗ ${since}; it does not verify: ${first?.kind} at ${where}: ${first?.reason}${more}.`,
  };
}
