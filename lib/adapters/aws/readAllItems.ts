import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { callAws } from './toAdapterError.js';

type Client = Pick<DynamoDBDocumentClient, 'send'>;
type Item = Record<string, unknown>;

/** Every item a Query matches, following LastEvaluatedKey (pages are at most 1 MB, docs/aws-facts.md §6). */
export async function queryAllItems(client: Client, input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await callAws(
      `Query ${input.TableName}${input.IndexName ? ` ${input.IndexName}` : ''}`,
      () => client.send(new QueryCommand({ ...input, ExclusiveStartKey: start })),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

/** Every item a Scan matches, read as `segments` parallel segments, each followed to its last page. */
export async function scanAllItems(client: Client, input: ScanCommandInput, segments = 1): Promise<Item[]> {
  const segment = async (index: number) => {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await callAws(`Scan ${input.TableName}`, () =>
        client.send(
          new ScanCommand({
            ...input,
            ...(segments > 1 && { Segment: index, TotalSegments: segments }),
            ExclusiveStartKey: start,
          }),
        ),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return items;
  };
  const all = await Promise.all(Array.from({ length: segments }, (_, index) => segment(index)));
  return all.flat();
}
