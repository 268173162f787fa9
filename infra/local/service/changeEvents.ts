import type { LambdaRuntime } from './LambdaRuntime.js';
import { type ActivityListener, FunctionName } from './types.js';

export interface ChangeEventsOptions {
  runtime: LambdaRuntime;
  /** `LocalAws.onChangeEvent`: called synchronously, before the caller of the S3/KMS API gets its reply. */
  subscribe: (listener: (event: unknown) => void) => () => void;
  onActivity?: ActivityListener;
}

interface ChangeEventLike {
  detail?: { eventName?: string; requestParameters?: { bucketName?: string } };
}

/**
 * The EventBridge rule of `s3Change`: every change event of the gateway (a CloudTrail API call as
 * EventBridge delivers it) is handed to the function, one at a time, in order. The gateway calls its
 * listeners before it answers the caller, so the invocation is only started here, never awaited.
 * @returns a function that unsubscribes and waits for the invocations in flight
 */
export function subscribeChangeEvents(options: ChangeEventsOptions): () => Promise<void> {
  const { runtime, onActivity } = options;
  let last: Promise<void> = Promise.resolve();
  const unsubscribe = options.subscribe((event) => {
    const { detail } = event as ChangeEventLike;
    const eventName = detail?.eventName ?? 'unknown';
    const bucket = detail?.requestParameters?.bucketName;
    last = last.then(async () => {
      try {
        const result = await runtime.invoke<{ ignored: boolean; buckets: string[] }>(
          FunctionName.S3Change,
          event,
        );
        onActivity?.({
          kind: 'change',
          eventName,
          ...(bucket !== undefined && { bucket }),
          enqueued: result.buckets,
          ignored: result.ignored,
        });
      } catch (error) {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        onActivity?.({ kind: 'error', source: FunctionName.S3Change, message: `${eventName}: ${message}` });
      }
    });
  });
  return async () => {
    unsubscribe();
    await last;
  };
}
