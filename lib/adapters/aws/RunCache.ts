/**
 * A per-run memo of reads: a destination bucket or KMS key shared by many sources is read once per run,
 * and concurrent callers of the same key share one in-flight promise. A failed load is forgotten, so the
 * next caller tries again. Make one per run (per reconcile invocation): it never expires entries.
 * @example
 * const facts = await cache.getOrLoad(`key|${arn}`, () => readKeyFacts(arn));
 */
export class RunCache {
  private readonly entries = new Map<string, Promise<unknown>>();

  getOrLoad<T>(key: string, load: () => Promise<T>): Promise<T> {
    const cached = this.entries.get(key);
    if (cached) return cached as Promise<T>;
    const loading = load().catch((error: unknown) => {
      if (this.entries.get(key) === loading) this.entries.delete(key);
      throw error;
    });
    this.entries.set(key, loading);
    return loading;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
