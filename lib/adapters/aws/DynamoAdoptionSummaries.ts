import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  ADOPTION_NAMES_CAP,
  ADOPTION_TARGETS_CAP,
  type AdoptionEntry,
  type AdoptionSummary,
  SUMMARISED_KINDS,
  type SummarisedKind,
} from '../../core/alerts/adoptionSummary.js';
import { compareCodeUnits } from '../../core/json/compareCodeUnits.js';
import type { AdoptionLedger } from '../../usecases/recordTransition/summariseFirstAlerts.js';
import type { AdoptionSummaryStore } from '../../usecases/sweep/sendAdoptionSummaries.js';
import type { AwsAdapterError } from './errors.js';
import {
  ADOPTION_KIND_ATTRIBUTES,
  ADOPTION_PARTITION,
  adoptionKey,
  EXPIRES_AT,
  STATE_TABLE_KEY,
} from './stateTableLayout.js';
import { callAws } from './toAdapterError.js';

export interface DynamoAdoptionSummariesOptions {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  /** The state table (`S3IR_STATE_TABLE`). */
  tableName: string;
}

/** A summary no sweep sent (no schedule running) expires by TTL after this long. */
const SUMMARY_TTL_SECONDS = 14 * 86_400;

/**
 * The first sweep's summaries in the state table: one item `{bucket: '#adoption', id: '<runId>#<account>'}`
 * per run and account, written only by a bucket's first reconcile (steady state writes none). A bucket is
 * added with UpdateItem ADD: its kinds' counts, and its name into each kind's string set while that set
 * holds fewer than {@link ADOPTION_NAMES_CAP} names (a condition, so the item never grows with the number of
 * buckets; DynamoDB serializes conditional writes to one item). A name already in the set is a retried
 * worker: not counted again (a retry past the cap may count twice). `writes` counts every write, so that
 * the sweep removes an item only if nothing was added since it read it.
 */
export class DynamoAdoptionSummaries implements AdoptionLedger, AdoptionSummaryStore {
  private readonly options: DynamoAdoptionSummariesOptions;

  constructor(options: DynamoAdoptionSummariesOptions) {
    this.options = options;
  }

  async arrive(runId: string, account: string, now: Date): Promise<number> {
    const output = await this.update(runId, account, {
      UpdateExpression: `${this.stamp()} ADD #arrivals :one, #writes :one`,
      ExpressionAttributeValues: this.stampValues(runId, account, now),
      ReturnValues: 'UPDATED_NEW',
    });
    const arrivals = output?.Attributes?.arrivals;
    return typeof arrivals === 'number' ? arrivals : Number(arrivals ?? 1);
  }

  async add(entry: AdoptionEntry, now: Date): Promise<void> {
    const [firstKind, ...otherKinds] = entry.kinds;
    if (firstKind === undefined) return;
    // The first kind counts the bucket once; if it names it already, the entry was added before (a retry).
    if (!(await this.addKind(entry, firstKind, now, true))) return;
    for (const kind of otherKinds) await this.addKind(entry, kind, now, false);
    if (entry.targets.length > 0) await this.addTargets(entry, now);
  }

  async list(): Promise<AdoptionSummary[]> {
    const { tableName, client } = this.options;
    const summaries: AdoptionSummary[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const output = await callAws(`Query ${tableName} ${ADOPTION_PARTITION}`, () =>
        client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: '#bucket = :adoption',
            ExpressionAttributeNames: { '#bucket': STATE_TABLE_KEY.partition },
            ExpressionAttributeValues: { ':adoption': ADOPTION_PARTITION },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of output.Items ?? []) {
        const summary = summaryFromItem(item);
        if (summary !== undefined) summaries.push(summary);
      }
      start = output.LastEvaluatedKey;
    } while (start !== undefined);
    return summaries.sort(
      (a, b) => compareCodeUnits(a.firstAt ?? '', b.firstAt ?? '') || compareCodeUnits(a.runId, b.runId),
    );
  }

  async remove(summary: AdoptionSummary): Promise<boolean> {
    const { tableName, client } = this.options;
    const key = adoptionKey(summary.runId, summary.account);
    try {
      await callAws(`DeleteItem ${tableName} ${key.bucket}/${key.id}`, () =>
        client.send(
          new DeleteCommand({
            TableName: tableName,
            Key: key,
            ConditionExpression: 'attribute_not_exists(#writes) OR #writes = :writes',
            ExpressionAttributeNames: { '#writes': 'writes' },
            ExpressionAttributeValues: { ':writes': summary.writes },
          }),
        ),
      );
      return true;
    } catch (error) {
      if ((error as AwsAdapterError).code === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** Adds the bucket under `kind`, named while the set has room; false when the set names it already. */
  private async addKind(entry: AdoptionEntry, kind: SummarisedKind, now: Date, counted: boolean) {
    const { count, names } = ADOPTION_KIND_ATTRIBUTES[kind];
    const adds = `ADD #writes :one, #${count} :one${counted ? ', #buckets :one' : ''}`;
    const values = { ...this.stampValues(entry.runId, entry.account, now), ':bucket': entry.bucket };
    const named = await this.conditional(entry, {
      UpdateExpression: `${this.stamp()} ${adds}, #${names} :name`,
      ConditionExpression: `attribute_not_exists(#${names}) OR (size(#${names}) < :cap AND NOT contains(#${names}, :bucket))`,
      ExpressionAttributeValues: { ...values, ':name': new Set([entry.bucket]), ':cap': ADOPTION_NAMES_CAP },
    });
    if (named) return true;
    // The set is full (counted without a name), or it names the bucket already (a retry: nothing to add).
    return this.conditional(entry, {
      UpdateExpression: `${this.stamp()} ${adds}`,
      ConditionExpression: `size(#${names}) >= :cap AND NOT contains(#${names}, :bucket)`,
      ExpressionAttributeValues: { ...values, ':cap': ADOPTION_NAMES_CAP },
    });
  }

  /** The targets of an action-required entry, while the set has room (a best effort: `s3ir plan` lists all). */
  private async addTargets(entry: AdoptionEntry, now: Date): Promise<void> {
    await this.conditional(entry, {
      UpdateExpression: `${this.stamp()} ADD #writes :one, #targets :targets`,
      ConditionExpression: 'attribute_not_exists(#targets) OR size(#targets) < :cap',
      ExpressionAttributeValues: {
        ...this.stampValues(entry.runId, entry.account, now),
        ':targets': new Set(entry.targets),
        ':cap': ADOPTION_TARGETS_CAP,
      },
    });
  }

  /** The item's envelope, set by every write: its run, account, expiry and times. */
  private stamp(): string {
    return 'SET #runId = :run, #account = :account, #expiresAt = if_not_exists(#expiresAt, :expires), #firstAt = if_not_exists(#firstAt, :now), #lastAt = :now';
  }

  private stampValues(runId: string, account: string, now: Date): Record<string, unknown> {
    return {
      ':run': runId,
      ':account': account,
      ':expires': Math.floor(now.getTime() / 1000) + SUMMARY_TTL_SECONDS,
      ':now': now.toISOString(),
      ':one': 1,
    };
  }

  /** A conditional update: false when its condition failed. */
  private async conditional(
    entry: AdoptionEntry,
    input: {
      UpdateExpression: string;
      ConditionExpression: string;
      ExpressionAttributeValues: Record<string, unknown>;
    },
  ): Promise<boolean> {
    try {
      await this.update(entry.runId, entry.account, input);
      return true;
    } catch (error) {
      if ((error as AwsAdapterError).code === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  private update(
    runId: string,
    account: string,
    input: {
      UpdateExpression: string;
      ConditionExpression?: string;
      ExpressionAttributeValues: Record<string, unknown>;
      ReturnValues?: 'UPDATED_NEW';
    },
  ) {
    const { tableName, client } = this.options;
    const key = adoptionKey(runId, account);
    // Every attribute by placeholder: no reserved word can break an expression.
    const text = `${input.UpdateExpression} ${input.ConditionExpression ?? ''}`;
    const names = Object.fromEntries(
      [...new Set(text.match(/#\w+/g) ?? [])].map((placeholder) => [
        placeholder,
        placeholder === '#expiresAt' ? EXPIRES_AT : placeholder.slice(1),
      ]),
    );
    return callAws(`UpdateItem ${tableName} ${key.bucket}/${key.id}`, () =>
      client.send(
        new UpdateCommand({ TableName: tableName, Key: key, ExpressionAttributeNames: names, ...input }),
      ),
    );
  }
}

/** A summary item as a summary; one that is not (edited by hand) is left alone. */
function summaryFromItem(item: Record<string, unknown>): AdoptionSummary | undefined {
  const { runId, account } = item;
  if (typeof runId !== 'string' || typeof account !== 'string') return undefined;
  const counts: AdoptionSummary['counts'] = {};
  const names: AdoptionSummary['names'] = {};
  for (const kind of SUMMARISED_KINDS) {
    const attributes = ADOPTION_KIND_ATTRIBUTES[kind];
    const counted = numberOf(item[attributes.count]);
    if (counted > 0) counts[kind] = counted;
    const named = stringsOf(item[attributes.names]);
    if (named.length > 0) names[kind] = named;
  }
  return {
    runId,
    account,
    counts,
    names,
    targets: stringsOf(item.targets),
    buckets: numberOf(item.buckets),
    writes: numberOf(item.writes),
    ...(typeof item.firstAt === 'string' && { firstAt: item.firstAt }),
    ...(typeof item.lastAt === 'string' && { lastAt: item.lastAt }),
  };
}

function numberOf(value: unknown): number {
  const number = typeof value === 'number' ? value : Number(value);
  return Number.isInteger(number) && number > 0 ? number : 0;
}

function stringsOf(value: unknown): string[] {
  const values = value instanceof Set ? [...value] : Array.isArray(value) ? value : [];
  return values.filter((entry): entry is string => typeof entry === 'string').sort(compareCodeUnits);
}
