import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  judgeReservation,
  SLOT_MS,
  type SlotCounts,
  slotId,
  slotRoom,
  sumWindow,
  windowRange,
} from '../../core/brake/brakeWindow.js';
import type { BrakeLimits, ChangeCounts, Hold } from '../../core/brake/types.js';
import type { ChangeWindowStore, WindowReservation } from '../../usecases/brake/ports.js';
import { AwsAdapterError } from './errors.js';
import {
  BRAKE_PARTITION,
  brakeSlotKey,
  EXPIRES_AT,
  HOLD_PARTITION,
  holdKey,
  noHoldInForce,
  STATE_TABLE_KEY,
} from './stateTableLayout.js';
import { callAws, toAdapterError } from './toAdapterError.js';

export interface DynamoChangeWindowOptions {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  /** The state table (`S3IR_STATE_TABLE`). */
  tableName: string;
}

/** Rounds before a window that keeps moving under us is given up as retryable contention. */
const MAX_ROUNDS = 8;

/** A counter outlives its window by this much before TTL may remove it (TTL deletes late, never early). */
const SLOT_TTL_MARGIN_SECONDS = 3_600;

/**
 * The account-wide brake's window and hold in the state table (docs/aws-facts.md, "The account-wide brake"):
 * one counter item per minute slot (`#brake` / `2026-12-06T15:45Z`: `changes`, `deletes`, `expiresAt`) and
 * one hold item (`#hold` / `current`). Nothing grows with the number of buckets: a window of W minutes is at
 * most W small items, read by one strongly consistent Query.
 *
 * A reservation reads the window, then, in one transaction, checks that no hold is in force and ADDs to the
 * current slot on the condition that the slot holds no more than the limit leaves beside the window's other
 * slots as read. Guarantee: reservations landing in one slot are serialized by that condition, and none
 * succeeds once the hold exists. The bound: a reservation still landing in the previous slot (a writer
 * whose clock has not turned the minute yet) after one in the new slot read it can pass the limit by what
 * such writers reserve at the minute's turn: at most one plan per writer running at that moment (with the
 * reconcile event source's maximum concurrency, `reconcileMaxConcurrency` plans).
 */
export class DynamoChangeWindow implements ChangeWindowStore {
  private readonly options: DynamoChangeWindowOptions;

  constructor(options: DynamoChangeWindowOptions) {
    this.options = options;
  }

  async reserve(request: ChangeCounts, limits: BrakeLimits, nowMs: number): Promise<WindowReservation> {
    const current = slotId(nowMs);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const slots = await this.slots(limits.windowMinutes, nowMs);
      const used = sumWindow(slots, nowMs, limits.windowMinutes);
      const judgement = judgeReservation(used, request, limits);
      if (!judgement.fits) return { kind: 'over', used, reason: judgement.reason };
      const others = sumWindow(
        slots.filter((slot) => slot.slot !== current),
        nowMs,
        limits.windowMinutes,
      );
      const outcome = await this.add(current, request, slotRoom(others, request, limits), limits, nowMs);
      if (outcome === 'added') return { kind: 'granted' };
      if (outcome === 'held') {
        const hold = await this.currentHold();
        if (hold !== undefined) return { kind: 'held', hold };
      }
      // The slot moved (another writer reserved), or a hold came and went: read the window again.
    }
    throw new AwsAdapterError({
      code: 'BrakeContention',
      message: `the account-wide change window kept moving (${MAX_ROUNDS} tries); try again`,
      retryable: true,
    });
  }

  async startHold(hold: Hold): Promise<boolean> {
    const { client, tableName } = this.options;
    try {
      await callAws(`PutItem ${tableName} ${HOLD_PARTITION}`, () =>
        client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...holdKey(), ...holdAttributes(hold) },
            ConditionExpression: 'attribute_not_exists(#bucket)',
            ExpressionAttributeNames: { '#bucket': STATE_TABLE_KEY.partition },
          }),
        ),
      );
      return true;
    } catch (error) {
      if ((error as AwsAdapterError).code === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async currentHold(): Promise<Hold | undefined> {
    const { client, tableName } = this.options;
    const { Item } = await callAws(`GetItem ${tableName} ${HOLD_PARTITION}`, () =>
      client.send(new GetCommand({ TableName: tableName, Key: holdKey(), ConsistentRead: true })),
    );
    return Item === undefined ? undefined : holdOf(Item, tableName);
  }

  async windowCounts(windowMinutes: number, nowMs: number): Promise<ChangeCounts> {
    return sumWindow(await this.slots(windowMinutes, nowMs), nowMs, windowMinutes);
  }

  async release(windowMinutes: number, nowMs: number): Promise<Hold | undefined> {
    const { client, tableName } = this.options;
    const { Attributes } = await callAws(`DeleteItem ${tableName} ${HOLD_PARTITION}`, () =>
      client.send(new DeleteCommand({ TableName: tableName, Key: holdKey(), ReturnValues: 'ALL_OLD' })),
    );
    // The counters that led to the hold are reset, else the next reservation would cross the same limits
    // at once; the slot ending now too, and the next (a writer a minute ahead).
    const slots = await this.slots(windowMinutes + 1, nowMs + SLOT_MS);
    for (let start = 0; start < slots.length; start += 25) {
      const batch = slots.slice(start, start + 25);
      let requests: Record<string, unknown>[] | undefined = batch.map((slot) => ({
        DeleteRequest: { Key: brakeSlotKey(slot.slot) },
      }));
      for (let attempt = 0; requests !== undefined && requests.length > 0 && attempt < 5; attempt++) {
        const pending: Record<string, unknown>[] = requests;
        const output = await callAws(`BatchWriteItem ${tableName} ${BRAKE_PARTITION}`, () =>
          client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } })),
        );
        requests = output.UnprocessedItems?.[tableName] as Record<string, unknown>[] | undefined;
      }
    }
    return Attributes === undefined ? undefined : holdOf(Attributes, tableName);
  }

  /** Every counter of the window ending with the slot of `nowMs` (one strongly consistent Query, paginated). */
  private async slots(windowMinutes: number, nowMs: number): Promise<SlotCounts[]> {
    const { client, tableName } = this.options;
    const { first, last } = windowRange(nowMs, windowMinutes);
    const slots: SlotCounts[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const after = start;
      const output = await callAws(`Query ${tableName} ${BRAKE_PARTITION}`, () =>
        client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: '#bucket = :brake AND #id BETWEEN :first AND :last',
            ExpressionAttributeNames: { '#bucket': STATE_TABLE_KEY.partition, '#id': STATE_TABLE_KEY.sort },
            ExpressionAttributeValues: { ':brake': BRAKE_PARTITION, ':first': first, ':last': last },
            ConsistentRead: true,
            ...(after !== undefined && { ExclusiveStartKey: after }),
          }),
        ),
      );
      for (const item of output.Items ?? []) {
        slots.push({ slot: String(item.id), changes: count(item.changes), deletes: count(item.deletes) });
      }
      start = output.LastEvaluatedKey;
    } while (start !== undefined);
    return slots;
  }

  /** The transaction: no hold in force, and the slot within `room`; what stopped it otherwise. */
  private async add(
    slot: string,
    request: ChangeCounts,
    room: { changes?: number; deletes?: number },
    limits: BrakeLimits,
    nowMs: number,
  ): Promise<'added' | 'held' | 'moved'> {
    const { client, tableName } = this.options;
    const conditions: string[] = [];
    const values: Record<string, unknown> = {
      ':changes': request.changes,
      ':deletes': request.deletes,
      ':expires': Math.ceil((nowMs + SLOT_MS) / 1000) + limits.windowMinutes * 60 + SLOT_TTL_MARGIN_SECONDS,
    };
    if (room.changes !== undefined) {
      conditions.push('(attribute_not_exists(changes) OR changes <= :roomChanges)');
      values[':roomChanges'] = room.changes;
    }
    if (room.deletes !== undefined) {
      conditions.push('(attribute_not_exists(deletes) OR deletes <= :roomDeletes)');
      values[':roomDeletes'] = room.deletes;
    }
    try {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            noHoldInForce(tableName),
            {
              Update: {
                TableName: tableName,
                Key: brakeSlotKey(slot),
                UpdateExpression:
                  'SET #expires = if_not_exists(#expires, :expires) ADD changes :changes, deletes :deletes',
                ...(conditions.length > 0 && { ConditionExpression: conditions.join(' AND ') }),
                ExpressionAttributeNames: { '#expires': EXPIRES_AT },
                ExpressionAttributeValues: values,
              },
            },
          ],
        }),
      );
      return 'added';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes === undefined)
        throw toAdapterError(error, `TransactWriteItems ${tableName} ${BRAKE_PARTITION}`);
      if (codes[0] === 'ConditionalCheckFailed') return 'held';
      if (codes[1] === 'ConditionalCheckFailed' || codes.some((code) => RETRY_CODES.has(code)))
        return 'moved';
      throw toAdapterError(error, `TransactWriteItems ${tableName} ${BRAKE_PARTITION}`);
    }
  }
}

/** Cancellation reasons worth another round: another transaction held an item, or DynamoDB throttled. */
const RETRY_CODES = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

/** The codes of a cancelled transaction, item by item; undefined for any other error. */
function cancellationCodes(error: unknown): string[] | undefined {
  const { name, CancellationReasons } = error as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (name === 'TransactionConflictException') return ['TransactionConflict'];
  if (name !== 'TransactionCanceledException' || !Array.isArray(CancellationReasons)) return undefined;
  return CancellationReasons.map((reason) => reason?.Code ?? 'None');
}

function count(value: unknown): number {
  const number = Number(value ?? 0);
  return Number.isFinite(number) && number >= 0 ? number : 0;
}

function holdAttributes(hold: Hold): Record<string, unknown> {
  return {
    since: hold.since,
    reason: hold.reason,
    counts: hold.counts,
    requested: hold.requested,
    limits: hold.limits,
    trippedBy: hold.bucket,
    runId: hold.runId,
    actor: hold.actor,
  };
}

/**
 * The hold item read back, checked: only the service's roles write it, but what a table holds is read as
 * untrusted. A malformed item is still a hold (the safe reading), with what could be read of it.
 */
function holdOf(item: Record<string, unknown>, tableName: string): Hold {
  const text = (value: unknown, fallback: string) =>
    typeof value === 'string' && value !== '' ? value : fallback;
  const counts = (value: unknown): ChangeCounts => {
    const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    return { changes: count(record.changes), deletes: count(record.deletes) };
  };
  const limitsRecord = (typeof item.limits === 'object' && item.limits !== null ? item.limits : {}) as Record<
    string,
    unknown
  >;
  const limit = (value: unknown) =>
    typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
  const maxChanges = limit(limitsRecord.maxChanges);
  const maxDeletes = limit(limitsRecord.maxDeletes);
  const windowMinutes = limit(limitsRecord.windowMinutes);
  return {
    since: text(item.since, 'unknown'),
    reason: text(item.reason, `a malformed hold item in ${tableName}`),
    counts: counts(item.counts),
    requested: counts(item.requested),
    limits: {
      windowMinutes: windowMinutes ?? 0,
      ...(maxChanges !== undefined && { maxChanges }),
      ...(maxDeletes !== undefined && { maxDeletes }),
    },
    bucket: text(item.trippedBy, 'unknown'),
    runId: text(item.runId, 'unknown'),
    actor: text(item.actor, 'unknown'),
  };
}
