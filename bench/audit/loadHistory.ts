import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { chainItems, type HistoryShape, historyStartItem } from './syntheticHistory.js';

type Item = Record<string, unknown>;
const BATCH = 25; // BatchWriteItem's most items per request

/**
 * Writes a synthetic history into `tableName` with BatchWriteItem, `writers` requests in flight, chain by
 * chain (items are generated as they are written, so memory stays flat), retrying unprocessed items.
 * Resolves with the items written and the time it took.
 */
export async function loadHistory(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  shape: HistoryShape,
  options: { writers: number; progress?: (line: string) => void },
): Promise<{ items: number; ms: number }> {
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  let buffer: Item[] = [historyStartItem(shape)];
  let written = 0;
  let reported = 0;

  const write = async (items: Item[]) => {
    let pending = items;
    for (let attempt = 0; pending.length > 0; attempt++) {
      const output = await client.send(
        new BatchWriteCommand({
          RequestItems: { [tableName]: pending.map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
      const unprocessed = output.UnprocessedItems?.[tableName] ?? [];
      pending = unprocessed.map((request) => request.PutRequest?.Item as Item);
      if (pending.length > 0)
        await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 20 * 2 ** attempt)));
    }
    written += items.length;
  };
  const dispatch = async (items: Item[]) => {
    while (inFlight.size >= options.writers) await Promise.race(inFlight);
    const request = write(items).finally(() => inFlight.delete(request));
    inFlight.add(request);
  };

  for (let chain = 0; chain < shape.chains; chain++) {
    buffer.push(...chainItems(shape, chain));
    while (buffer.length >= BATCH) {
      await dispatch(buffer.slice(0, BATCH));
      buffer = buffer.slice(BATCH);
    }
    if (options.progress && written - reported >= 100_000) {
      reported = written;
      const seconds = (performance.now() - started) / 1000;
      options.progress(
        `loaded ${written} items in ${seconds.toFixed(0)} s (${Math.round(written / seconds)}/s)`,
      );
    }
  }
  if (buffer.length > 0) await dispatch(buffer);
  await Promise.all(inFlight);
  return { items: written, ms: performance.now() - started };
}
