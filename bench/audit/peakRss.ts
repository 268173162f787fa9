/** How often the RSS is sampled while a measured call runs. */
const SAMPLE_MS = 50;

/**
 * Runs `fn` and reports this process's RSS before it and the highest RSS sampled while it ran (every
 * 50 ms, and at its end). `process.resourceUsage().maxRSS` is the peak of the process's whole life, which
 * an earlier step may have set; sampling names this call's.
 */
export async function withPeakRss<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; memory: { peakRss: number; rssBefore: number } }> {
  const rssBefore = process.memoryUsage.rss();
  let peakRss = rssBefore;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, SAMPLE_MS);
  try {
    const value = await fn();
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    return { value, memory: { peakRss, rssBefore } };
  } finally {
    clearInterval(timer);
  }
}

/**
 * `work`'s value, or 'timeout' once `ms` have passed first. `work` is not cancelled (a DynamoDB Scan in
 * flight cannot be); its later failure is swallowed, since the caller has moved on.
 */
export async function withinBudget<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  work.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
