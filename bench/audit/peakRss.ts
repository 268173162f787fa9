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
