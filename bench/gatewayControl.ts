import type { CallCounts, LatencyByService } from './types.js';

/**
 * The local AWS's control endpoints (DESIGN.md, Contract), over HTTP as any client would use them:
 * call counts, their reset, and latency rules.
 */
export class GatewayControl {
  constructor(private readonly endpoint: string) {}

  /** `GET /_local/calls`: calls by `service.Operation` since the last reset. */
  calls(): Promise<CallCounts> {
    return this.json<CallCounts>('GET', '/_local/calls');
  }

  async resetCalls(): Promise<void> {
    await this.json('POST', '/_local/calls/reset');
  }

  /** One latency rule per service with a positive latency (`POST /_local/faults`); rules add up. */
  async addLatency(latency: LatencyByService): Promise<void> {
    const rules = Object.entries(latency)
      .filter(([, ms]) => ms > 0)
      .map(([service, latencyMs]) => ({ service, latencyMs }));
    if (rules.length > 0) await this.json('POST', '/_local/faults', { rules });
  }

  async clearFaults(): Promise<void> {
    await this.json('DELETE', '/_local/faults');
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.endpoint}${path}`, {
      method,
      ...(body !== undefined && {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }
}
