import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  BUCKET_SETTINGS_ID,
  DESIRED_TABLE_KEY,
  type DesiredItemKey,
  isLearnedOnly,
  isReservedItem,
  isReservedName,
  isSettingsItem,
  isTemplateItem,
  LEARNED_SOURCE,
  SETTINGS_ATTRIBUTES,
  settingsKey,
  TEMPLATES_PARTITION,
} from '../../core/desired/desiredTableLayout.js';
import {
  type BucketPlacement,
  type BucketTags,
  resolveStoredBucket,
} from '../../core/desired/resolveStoredBucket.js';
import { itemsToDesiredBuckets, itemsToTemplates } from '../../core/desired/tableItems.js';
import { acceptedTemplateItems, templateRefusals } from '../../core/desired/templateRefusals.js';
import { isRecord } from '../../core/json/isRecord.js';
import type { DesiredStore, StoredDesiredBucket } from '../../usecases/ports.js';
import type { BucketLocation } from '../../usecases/reconcileBucket/readBucketState.js';
import type { DesiredCatalog } from '../../usecases/sweep/sweep.js';
import { AwsAdapterError } from './errors.js';
import { callAws } from './toAdapterError.js';

/** Tags of one bucket, asked only when a template selects buckets by tag. */
export type BucketTagsReader = BucketTags;

export interface DynamoDesiredStoreOptions {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  tableName: string;
  /** Without it, templates that match by tag never select a bucket. */
  tagsOf?: BucketTagsReader;
  /**
   * Where a bucket lives (its account, the OUs containing it, its region), for templates that select by
   * account or region (#18); `location` is the message's hint. Without it such templates select nothing.
   */
  placementOf?: (bucket: string, location?: BucketLocation) => Promise<BucketPlacement>;
  /** Parallel Scan segments of `listBuckets` (default 4). */
  scanSegments?: number;
  /** How long the templates partition is reused (default 60 s: one sweep). */
  templatesTtlMs?: number;
  now?: () => number;
}

export type { DesiredItemKey };

/** The table refuses to take a batch even after retries. */
const MAX_BATCH_ROUNDS = 5;

/**
 * The desired-state table (Contract: partition `bucket`, sort `id`). `getBucket` Queries the bucket's
 * partition (every page) and the templates, and resolves them as the scheduler does; `listBuckets` Scans
 * the table in parallel segments. The table holds what owners declare; the service's own bookkeeping is in
 * the state table. The table's layout (item kinds, keys, reserved keys that declare nothing) is
 * lib/core/desired/desiredTableLayout; template resolution is lib/core/desired/resolveStoredBucket: this
 * adapter only reads and writes items.
 */
export class DynamoDesiredStore implements DesiredStore {
  private readonly options: DynamoDesiredStoreOptions;
  private templates: { at: number; items: Promise<Record<string, unknown>[]> } | undefined;

  constructor(options: DynamoDesiredStoreOptions) {
    this.options = options;
  }

  async getBucket(bucket: string, location?: BucketLocation): Promise<StoredDesiredBucket | undefined> {
    const [partition, templates] = await Promise.all([this.partition(bucket), this.templateItems()]);
    const { placementOf } = this.options;
    const placement = placementOf && (() => placementOf(bucket, location));
    // Tags discovery read with the bucket's location (#18) are its whole set: matched as they are, not asked again.
    const known = location?.tags;
    const tagsOf: BucketTagsReader | undefined = known ? async () => ({ ...known }) : this.options.tagsOf;
    const resolution = await resolveStoredBucket(bucket, { partition, templates }, tagsOf, placement);
    if (resolution.kind === 'conflict') throw new DesiredConflictError(resolution.message);
    return resolution.kind === 'resolved' ? resolution.bucket : undefined;
  }

  /**
   * Keeps a bucket's learned region in its `#bucket` settings item (DESIGN "Cost and speed": a bucket
   * never moves). One conditional write, once: it adds `settings.region` to the settings item where it is
   * still absent, or makes a settings item that only keeps the region (`source: learned`) where none is.
   * A lost race (another worker, or a declared region) is not an error.
   */
  async keepRegion(bucket: string, region: string): Promise<void> {
    const key = settingsKey(bucket);
    const names = { '#settings': 'settings', '#region': SETTINGS_ATTRIBUTES.region };
    const added = await this.conditionalUpdate(`UpdateItem ${bucket}/${BUCKET_SETTINGS_ID}`, {
      TableName: this.options.tableName,
      Key: key,
      UpdateExpression: 'SET #settings.#region = :region',
      ConditionExpression: 'attribute_type(#settings, :map) AND attribute_not_exists(#settings.#region)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':region': region, ':map': 'M' },
    });
    if (added) return;
    await this.conditionalUpdate(`UpdateItem ${bucket}/${BUCKET_SETTINGS_ID}`, {
      TableName: this.options.tableName,
      Key: key,
      UpdateExpression: 'SET #settings = :settings, #source = :source',
      ConditionExpression: `attribute_not_exists(${DESIRED_TABLE_KEY.sort})`,
      ExpressionAttributeNames: { '#settings': 'settings', '#source': 'source' },
      ExpressionAttributeValues: { ':settings': { region }, ':source': LEARNED_SOURCE },
    });
  }

  /**
   * Every bucket with items of its own, and the templates, with a parallel Scan. A template the checks
   * refuse (lib/core/desired/templateRefusals) is left out of `templates` and named in `refusedTemplates`.
   */
  async listBuckets(): Promise<DesiredCatalog> {
    const items = await this.scanItems();
    const buckets = new Set<string>();
    const locations = new Map<string, BucketLocation>();
    for (const item of items) {
      const location = settingsLocation(item);
      if (location) locations.set(item.bucket as string, location);
      if (typeof item.bucket !== 'string' || isReservedName(item.bucket) || isLearnedOnly(item)) continue;
      if (isReservedItem(item)) continue;
      buckets.add(item.bucket);
    }
    const templateItems = items.filter(isTemplateItem);
    const templates = itemsToTemplates(acceptedTemplateItems(templateItems));
    const refusedTemplates = templateRefusals(templateItems);
    // #18 point 4: the sweep's grant step reads every declared destination from the same Scan.
    const declared = itemsToDesiredBuckets(items.filter((item) => buckets.has(item.bucket as string)));
    return { buckets: [...buckets].sort(), templates, locations, refusedTemplates, declared };
  }

  /**
   * Every desired-state item of the table (reserved keys that declare nothing left out, so that `s3ir
   * apply` never deletes them), read with a parallel Scan (`scanSegments` segments, every page).
   */
  async scanItems(): Promise<Record<string, unknown>[]> {
    const segments = this.options.scanSegments ?? 4;
    const pages = await Promise.all(
      Array.from({ length: segments }, (_, segment) =>
        this.collect('Scan', (ExclusiveStartKey) =>
          this.options.client.send(
            new ScanCommand({
              TableName: this.options.tableName,
              Segment: segment,
              TotalSegments: segments,
              ExclusiveStartKey,
            }),
          ),
        ),
      ),
    );
    return pages.flat().filter((item) => !isReservedItem(item));
  }

  /** Writes items (25 per BatchWriteItem, unprocessed ones again). For `s3ir apply`. */
  putItems(items: readonly Record<string, unknown>[]): Promise<void> {
    return this.batchWrite(items.map((Item) => ({ PutRequest: { Item } })));
  }

  deleteItems(keys: readonly DesiredItemKey[]): Promise<void> {
    return this.batchWrite(keys.map(({ bucket, id }) => ({ DeleteRequest: { Key: { bucket, id } } })));
  }

  /** An UpdateItem whose condition may refuse it: `false` when it did. */
  private async conditionalUpdate(
    context: string,
    input: ConstructorParameters<typeof UpdateCommand>[0],
  ): Promise<boolean> {
    try {
      await callAws(context, () => this.options.client.send(new UpdateCommand(input)));
      return true;
    } catch (error) {
      if ((error as AwsAdapterError).code === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  private partition(bucket: string): Promise<Record<string, unknown>[]> {
    return this.collect(`Query ${bucket}`, (ExclusiveStartKey) =>
      this.options.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          KeyConditionExpression: '#bucket = :bucket',
          ExpressionAttributeNames: { '#bucket': DESIRED_TABLE_KEY.partition },
          ExpressionAttributeValues: { ':bucket': bucket },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      ),
    );
  }

  private templateItems(): Promise<Record<string, unknown>[]> {
    const now = (this.options.now ?? Date.now)();
    const ttl = this.options.templatesTtlMs ?? 60_000;
    if (!this.templates || now - this.templates.at >= ttl) {
      // A refused template applies nothing here either, as in the sweep (listBuckets).
      const items = this.partition(TEMPLATES_PARTITION).then(acceptedTemplateItems);
      items.catch(() => {
        this.templates = undefined;
      });
      this.templates = { at: now, items };
    }
    return this.templates.items;
  }

  /** Every item of a Query or Scan, following LastEvaluatedKey (pages are at most 1 MB, docs/aws-facts.md §6). */
  private async collect(
    context: string,
    page: (start: Record<string, unknown> | undefined) => Promise<{
      Items?: Record<string, unknown>[];
      LastEvaluatedKey?: Record<string, unknown>;
    }>,
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const output = await callAws(`${context} ${this.options.tableName}`, () => page(start));
      items.push(...(output.Items ?? []));
      start = output.LastEvaluatedKey;
    } while (start !== undefined);
    return items;
  }

  private async batchWrite(requests: Record<string, unknown>[]): Promise<void> {
    const table = this.options.tableName;
    for (let start = 0; start < requests.length; start += 25) {
      let pending = requests.slice(start, start + 25);
      for (let round = 0; pending.length > 0; round++) {
        if (round === MAX_BATCH_ROUNDS) {
          throw new AwsAdapterError({
            code: 'UnprocessedItems',
            message: `BatchWriteItem ${table}: ${pending.length} items still unprocessed`,
            retryable: true,
          });
        }
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
        const output = await callAws(`BatchWriteItem ${table}`, () =>
          this.options.client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } })),
        );
        pending = (output.UnprocessedItems?.[table] ?? []) as Record<string, unknown>[];
      }
    }
  }
}

/** Where a bucket's settings item (declared or only learned) says it lives; the sweep's hint. */
function settingsLocation(item: Record<string, unknown>): BucketLocation | undefined {
  if (!isSettingsItem(item) || typeof item.bucket !== 'string' || !isRecord(item.settings)) return undefined;
  const region = item.settings[SETTINGS_ATTRIBUTES.region];
  const account = item.settings[SETTINGS_ATTRIBUTES.account];
  if (typeof region !== 'string') return undefined;
  return { region, ...(typeof account === 'string' && { account }) };
}

/** Two templates give one bucket the same configuration Id: its desired state is ambiguous (terminal). */
export class DesiredConflictError extends AwsAdapterError {
  constructor(message: string) {
    super({ code: 'DesiredStateConflict', message, retryable: false });
    this.name = 'DesiredConflictError';
  }
}
