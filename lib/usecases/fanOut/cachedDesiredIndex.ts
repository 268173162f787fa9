import { type DesiredIndex, desiredIndex } from './changeTargets.js';

/** How long one index is reused: a burst of CloudTrail events for one change reads the table once. */
export const DESIRED_INDEX_TTL_MS = 30_000;

/**
 * Which sources use each destination and key ({@link desiredIndex}) over one read of every desired-state item,
 * reused for `ttlMs`. A failed read is not kept: the next event reads again.
 * @example const index = cachedDesiredIndex(() => desired.scanItems()); await index();
 */
export function cachedDesiredIndex(
  scanItems: () => Promise<readonly unknown[]>,
  ttlMs = DESIRED_INDEX_TTL_MS,
): (now?: number) => Promise<DesiredIndex> {
  let index: { at: number; value: Promise<DesiredIndex> } | undefined;
  return (now = Date.now()) => {
    if (!index || now - index.at >= ttlMs) {
      const value = scanItems().then(desiredIndex);
      value.catch(() => {
        index = undefined;
      });
      index = { at: now, value };
    }
    return index.value;
  };
}
