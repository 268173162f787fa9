/**
 * Runs `work` over `items` with at most `limit` at once, in order of start; resolves with the results in
 * the items' order, or rejects with the first error (work already started finishes, none is started).
 * @example const plans = await mapLimit(buckets, 8, (bucket) => planBucket(bucket, deps));
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index]!, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return results;
}
