import { type DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';

/** What a read cost: DynamoDB requests by operation, and read units (ReturnConsumedCapacity TOTAL). */
export interface ReadCost {
  queries: number;
  gets: number;
  scans: number;
  readUnits: number;
}

type Client = Pick<DynamoDBDocumentClient, 'send'>;

/**
 * A document client that asks DynamoDB for the consumed capacity of every Query, GetItem and Scan it
 * sends, and adds it up (with the requests) into `cost`, which the caller resets between measurements.
 */
export function countingClient(inner: Client): { client: Client; cost: ReadCost; reset(): void } {
  const cost: ReadCost = { queries: 0, gets: 0, scans: 0, readUnits: 0 };
  const client: Client = {
    send: (async (command: { input: Record<string, unknown> }) => {
      const counted =
        command instanceof QueryCommand || command instanceof GetCommand || command instanceof ScanCommand;
      if (counted) command.input.ReturnConsumedCapacity = 'TOTAL';
      const output = (await (inner.send as (command: unknown) => Promise<unknown>)(command)) as {
        ConsumedCapacity?: { CapacityUnits?: number };
      };
      if (command instanceof QueryCommand) cost.queries++;
      if (command instanceof GetCommand) cost.gets++;
      if (command instanceof ScanCommand) cost.scans++;
      if (counted) cost.readUnits += output.ConsumedCapacity?.CapacityUnits ?? 0;
      return output;
    }) as Client['send'],
  };
  return {
    client,
    cost,
    reset() {
      Object.assign(cost, { queries: 0, gets: 0, scans: 0, readUnits: 0 });
    },
  };
}
