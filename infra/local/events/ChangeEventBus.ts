import type { Logger } from '../logger.js';
import { DEFAULT_EVENT_BUFFER_SIZE, WEBHOOK_TIMEOUT_MS } from './constants.js';
import type { ChangeEventListener, ChangeEventPage, CloudTrailApiCallEvent } from './types.js';

/** Options of {@link ChangeEventBus}. */
export interface ChangeEventBusOptions {
  /** Every event is POSTed here as JSON (one event per request); failures are logged, never fatal. */
  webhookUrl?: string;
  /** How many recent events `GET /_local/events` keeps (default 1,000). */
  bufferSize?: number;
  logger: Logger;
}

/**
 * Hands change events to whoever wants them: in-process listeners (synchronously, in order), an
 * optional webhook, and a bounded buffer that out-of-process consumers poll (`GET /_local/events`).
 * The gateway publishes before it answers the call, so a caller that got its 2xx finds the event in
 * the buffer (webhook delivery is asynchronous).
 */
export class ChangeEventBus {
  private readonly buffer: CloudTrailApiCallEvent[] = [];
  private readonly listeners = new Set<ChangeEventListener>();
  private readonly bufferSize: number;
  private readonly pendingWebhooks = new Set<Promise<void>>();

  constructor(private readonly options: ChangeEventBusOptions) {
    this.bufferSize = options.bufferSize ?? DEFAULT_EVENT_BUFFER_SIZE;
    if (!Number.isInteger(this.bufferSize) || this.bufferSize < 1)
      throw new RangeError(`the event buffer size must be a positive integer, not ${options.bufferSize}`);
    if (options.webhookUrl !== undefined) new URL(options.webhookUrl); // fail at start-up, not per event
  }

  /** Calls `listener` for every later event; returns the function that unsubscribes it. */
  subscribe(listener: ChangeEventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  publish(event: CloudTrailApiCallEvent): void {
    this.buffer.push(event);
    if (this.buffer.length > this.bufferSize) this.buffer.splice(0, this.buffer.length - this.bufferSize);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.options.logger.warn(`a change event listener threw: ${(error as Error).stack ?? String(error)}`);
      }
    }
    if (this.options.webhookUrl) this.post(this.options.webhookUrl, event);
  }

  /** Events after `since` (an event id), oldest first; every buffered event without `since`. */
  since(since: string | undefined): ChangeEventPage {
    const start = since === undefined ? -1 : this.buffer.findIndex((event) => event.id === since);
    const gap = since !== undefined && start === -1;
    const events = this.buffer.slice(start + 1);
    return { events, lastId: events.at(-1)?.id ?? since ?? null, gap };
  }

  /** Resolves once every webhook POST started so far has finished (for tests and shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.pendingWebhooks]);
  }

  private post(url: string, event: CloudTrailApiCallEvent): void {
    const delivery = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    })
      .then(async (response) => {
        await response.arrayBuffer();
        if (!response.ok) this.options.logger.warn(`event webhook ${url} answered ${response.status}`);
      })
      .catch((error: unknown) => {
        this.options.logger.warn(`event webhook ${url} failed: ${(error as Error).message}`);
      })
      .finally(() => this.pendingWebhooks.delete(delivery));
    this.pendingWebhooks.add(delivery);
  }
}
