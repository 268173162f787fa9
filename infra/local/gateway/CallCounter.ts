/**
 * Counts calls by `service.Operation` (DESIGN.md, Contract: `GET /_local/calls`), so tests and the
 * benchmark can assert how many AWS calls a run made.
 */
export class CallCounter {
  private readonly counts = new Map<string, number>();

  count(name: string): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }

  /** The counts as a plain object, keys sorted. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  reset(): void {
    this.counts.clear();
  }
}
