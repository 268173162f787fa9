import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
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
 * the sweep removes an item only if nothing was added since it read it. In the service a bucket's entry is
 * added by its status write's own transaction ({@link SummaryAdditions}); `add` is the way on its own, when
 * that write was refused or failed.
 */
export class DynamoAdoptionSummaries implements AdoptionLedger, AdoptionSummaryStore {
  private readonly options: DynamoAdoptionSummariesOptions;

  constructor(options: DynamoAdoptionSummariesOptions) {
    this.options = options;
  }

  async arrive(runId: string, account: string, now: Date): Promise<number> {
    const output = await this.update(runId, account, {
      UpdateExpression: `${STAMP} ADD #arrivals :one, #writes :one`,
      ExpressionAttributeValues: stampValues(runId, account, now),
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
    const values = { ...stampValues(entry.runId, entry.account, now), ':bucket': entry.bucket };
    const named = await this.conditional(entry, {
      UpdateExpression: `${STAMP} ${adds}, #${names} :name`,
      ConditionExpression: `attribute_not_exists(#${names}) OR (size(#${names}) < :cap AND NOT contains(#${names}, :bucket))`,
      ExpressionAttributeValues: { ...values, ':name': new Set([entry.bucket]), ':cap': ADOPTION_NAMES_CAP },
    });
    if (named) return true;
    // The set is full (counted without a name), or it names the bucket already (a retry: nothing to add).
    return this.conditional(entry, {
      UpdateExpression: `${STAMP} ${adds}`,
      ConditionExpression: `size(#${names}) >= :cap AND NOT contains(#${names}, :bucket)`,
      ExpressionAttributeValues: { ...values, ':cap': ADOPTION_NAMES_CAP },
    });
  }

  /** The targets of an action-required entry, while the set has room (a best effort: `s3ir plan` lists all). */
  private async addTargets(entry: AdoptionEntry, now: Date): Promise<void> {
    await this.conditional(entry, {
      UpdateExpression: `${STAMP} ADD #writes :one, #targets :targets`,
      ConditionExpression: 'attribute_not_exists(#targets) OR size(#targets) < :cap',
      ExpressionAttributeValues: {
        ...stampValues(entry.runId, entry.account, now),
        ':targets': new Set(entry.targets),
        ':cap': ADOPTION_TARGETS_CAP,
      },
    });
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
    const names = attributeNames(input.UpdateExpression, input.ConditionExpression);
    return callAws(`UpdateItem ${tableName} ${key.bucket}/${key.id}`, () =>
      client.send(
        new UpdateCommand({ TableName: tableName, Key: key, ExpressionAttributeNames: names, ...input }),
      ),
    );
  }
}

/** The item's envelope, set by every write: its run, account, expiry and times. */
const STAMP =
  'SET #runId = :run, #account = :account, #expiresAt = if_not_exists(#expiresAt, :expires), #firstAt = if_not_exists(#firstAt, :now), #lastAt = :now';

function stampValues(runId: string, account: string, now: Date): Record<string, unknown> {
  return {
    ':run': runId,
    ':account': account,
    ':expires': Math.floor(now.getTime() / 1000) + SUMMARY_TTL_SECONDS,
    ':now': now.toISOString(),
    ':one': 1,
  };
}

/** Every attribute by placeholder (`#name`), so that no reserved word can break an expression. */
function attributeNames(...expressions: (string | undefined)[]): Record<string, string> {
  const text = expressions.join(' ');
  return Object.fromEntries(
    [...new Set(text.match(/#\w+/g) ?? [])].map((placeholder) => [
      placeholder,
      placeholder === '#expiresAt' ? EXPIRES_AT : placeholder.slice(1),
    ]),
  );
}

/** Summary items whose sets a sandbox remembers as full, at most (then it forgets them all and learns again). */
const FULL_SETS_KEPT = 1_000;

/**
 * A bucket's entry added to its summary as the `Update` of a transaction that also writes its status
 * (lib/adapters/aws/DynamoStatusStore putWithSummary): one request for the status step of a first reconcile.
 * In a transaction a failed condition cancels every item, so the Update must not fail for a full name list:
 * a name goes into a kind's set (on condition the set has room) only while the set is not known to be full,
 * and a set found full ({@link settle}, after a cancellation) is remembered for the life of the sandbox, so
 * the next buckets of that run and account are counted without their names and without a cancellation. A
 * full set stays full while its item lives (names are only added; the sweep removes the whole item).
 */
export class SummaryAdditions {
  private readonly options: DynamoAdoptionSummariesOptions;
  /** By summary item id: the sets (attribute names) found full. */
  private readonly full = new Map<string, Set<string>>();

  constructor(options: DynamoAdoptionSummariesOptions) {
    this.options = options;
  }

  /**
   * The Update adding `entry`: its kinds' counts and `buckets` by ADD, its name into each kind's set not
   * known to be full, its targets while that set is not; on condition that no set names the bucket yet (an
   * entry already added is never counted twice) and that each set it names the bucket in has room.
   */
  update(entry: AdoptionEntry, now: Date) {
    const full = this.full.get(adoptionKey(entry.runId, entry.account).id) ?? new Set<string>();
    const values: Record<string, unknown> = {
      ...stampValues(entry.runId, entry.account, now),
      ':bucket': entry.bucket,
    };
    const adds = ['#writes :one', '#buckets :one'];
    const conditions: string[] = [];
    for (const kind of entry.kinds) {
      const { count, names } = ADOPTION_KIND_ATTRIBUTES[kind];
      adds.push(`#${count} :one`);
      if (full.has(names)) {
        conditions.push(`(attribute_not_exists(#${names}) OR NOT contains(#${names}, :bucket))`);
        continue;
      }
      adds.push(`#${names} :name`);
      values[':name'] = new Set([entry.bucket]);
      values[':cap'] = ADOPTION_NAMES_CAP;
      conditions.push(
        `(attribute_not_exists(#${names}) OR (size(#${names}) < :cap AND NOT contains(#${names}, :bucket)))`,
      );
    }
    if (entry.targets.length > 0 && !full.has('targets')) {
      adds.push('#targets :targets');
      values[':targets'] = new Set(entry.targets);
      values[':targetCap'] = ADOPTION_TARGETS_CAP;
      conditions.push('(attribute_not_exists(#targets) OR size(#targets) < :targetCap)');
    }
    const UpdateExpression = `${STAMP} ADD ${adds.join(', ')}`;
    const ConditionExpression = conditions.join(' AND ');
    return {
      TableName: this.options.tableName,
      Key: adoptionKey(entry.runId, entry.account),
      UpdateExpression,
      ConditionExpression,
      ExpressionAttributeNames: attributeNames(UpdateExpression, ConditionExpression),
      ExpressionAttributeValues: values,
    };
  }

  /**
   * After the {@link update}'s condition failed: reads the summary (consistent GetItem) and says `named` when
   * it names the bucket already (added before: nothing to add), else remembers which of the entry's sets are
   * full, for the next {@link update}.
   */
  async settle(entry: AdoptionEntry): Promise<'named' | 'learned'> {
    const { tableName, client } = this.options;
    const key = adoptionKey(entry.runId, entry.account);
    const output = await callAws(`GetItem ${tableName} ${key.bucket}/${key.id}`, () =>
      client.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true })),
    );
    const item = output.Item ?? {};
    const sets = entry.kinds.map((kind) => ADOPTION_KIND_ATTRIBUTES[kind].names);
    if (sets.some((names) => stringsOf(item[names]).includes(entry.bucket))) return 'named';
    if (this.full.size >= FULL_SETS_KEPT) this.full.clear();
    const full = this.full.get(key.id) ?? new Set<string>();
    for (const names of sets) if (stringsOf(item[names]).length >= ADOPTION_NAMES_CAP) full.add(names);
    if (stringsOf(item.targets).length >= ADOPTION_TARGETS_CAP) full.add('targets');
    this.full.set(key.id, full);
    return 'learned';
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
