import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { BudgetGrant, BudgetRequest, RunBudget } from '../../usecases/ports.js';
import { AwsAdapterError } from './errors.js';
import { EXPIRES_AT, grantAttribute, RUNS_PARTITION, runKey } from './stateTableLayout.js';
import { callAws } from './toAdapterError.js';

export interface DynamoRunBudgetOptions {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  /** The state table (`S3IR_STATE_TABLE`). */
  tableName: string;
  /** Changes the whole run may make; unset = no limit. */
  maxChanges?: number;
  /** Deletes the whole run may make; unset = no limit. */
  maxDeletes?: number;
  /** How long a run's item is kept (default 7 days). */
  ttlSeconds?: number;
  now?: () => number;
}

interface BudgetItem {
  changes?: number;
  deletes?: number;
  [grant: string]: unknown;
}

/** Attempts before a budget that keeps moving under us is given up as retryable contention. */
const MAX_ROUNDS = 8;

/**
 * The run's blast-radius budget as one item of the state table (`#runs` / run id, expiring by
 * TTL): totals `changes` and `deletes`, and per bucket its grant (`grant:<bucket>`). A reservation is one
 * conditional UpdateItem that ADDs only what exceeds the bucket's earlier grant, on the condition that the
 * totals stay within the limits and the grant is still what was read: two workers racing for the last
 * unit cannot both get it.
 */
export class DynamoRunBudget implements RunBudget {
  private readonly options: DynamoRunBudgetOptions;

  constructor(options: DynamoRunBudgetOptions) {
    this.options = options;
  }

  async reserve(runId: string, request: BudgetRequest): Promise<BudgetGrant> {
    // First as if the bucket had no grant yet (the common case: one write); the item is read only
    // when the condition refuses.
    let item: BudgetItem = {};
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const grant = grantOf(item, request.bucket);
      const extra = {
        changes: Math.max(0, request.changes - grant.changes),
        deletes: Math.max(0, request.deletes - grant.deletes),
      };
      if (extra.changes === 0 && extra.deletes === 0) return { granted: true };
      const left = {
        changes: remaining(this.options.maxChanges, item.changes) + grant.changes,
        deletes: remaining(this.options.maxDeletes, item.deletes) + grant.deletes,
      };
      if (request.changes > left.changes || request.deletes > left.deletes) {
        return { granted: false, remainingChanges: left.changes, remainingDeletes: left.deletes };
      }
      const next = await this.add(runId, request, grant, extra);
      if (next === 'added') return { granted: true };
      item = next;
    }
    throw new AwsAdapterError({
      code: 'BudgetContention',
      message: `run ${runId}: the blast-radius budget kept changing; try again`,
      retryable: true,
    });
  }

  /** The run's item as it stands (strongly consistent), or an empty one. */
  private async read(runId: string): Promise<BudgetItem> {
    // An UpdateItem that changes nothing but the TTL reads the item back without a GetItem grant.
    const output = await callAws(`UpdateItem ${RUNS_PARTITION}/${runId}`, () =>
      this.options.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: runKey(runId),
          UpdateExpression: 'SET #expires = if_not_exists(#expires, :expires)',
          ExpressionAttributeNames: { '#expires': EXPIRES_AT },
          ExpressionAttributeValues: { ':expires': this.expiresAt() },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return (output.Attributes ?? {}) as BudgetItem;
  }

  /** ADDs `extra` if the totals and the bucket's grant are still as read; else the item as it now is. */
  private async add(
    runId: string,
    request: BudgetRequest,
    grant: { changes: number; deletes: number },
    extra: { changes: number; deletes: number },
  ): Promise<'added' | BudgetItem> {
    const conditions: string[] = [];
    const values: Record<string, unknown> = {
      ':changes': extra.changes,
      ':deletes': extra.deletes,
      ':grant': { changes: request.changes, deletes: request.deletes },
      ':expires': this.expiresAt(),
    };
    if (this.options.maxChanges !== undefined) {
      conditions.push('(attribute_not_exists(changes) OR changes <= :roomChanges)');
      values[':roomChanges'] = this.options.maxChanges - extra.changes;
    }
    if (this.options.maxDeletes !== undefined) {
      conditions.push('(attribute_not_exists(deletes) OR deletes <= :roomDeletes)');
      values[':roomDeletes'] = this.options.maxDeletes - extra.deletes;
    }
    if (grant.changes === 0 && grant.deletes === 0) conditions.push('attribute_not_exists(#grant)');
    else {
      conditions.push('#grant = :before');
      values[':before'] = { changes: grant.changes, deletes: grant.deletes };
    }
    try {
      await callAws(`UpdateItem ${RUNS_PARTITION}/${runId}`, () =>
        this.options.client.send(
          new UpdateCommand({
            TableName: this.options.tableName,
            Key: runKey(runId),
            UpdateExpression:
              'SET #grant = :grant, #expires = if_not_exists(#expires, :expires) ADD changes :changes, deletes :deletes',
            ConditionExpression: conditions.join(' AND '),
            ExpressionAttributeNames: { '#grant': grantAttribute(request.bucket), '#expires': EXPIRES_AT },
            ExpressionAttributeValues: values,
          }),
        ),
      );
      return 'added';
    } catch (error) {
      if ((error as AwsAdapterError).code !== 'ConditionalCheckFailedException') throw error;
      return this.read(runId);
    }
  }

  private expiresAt(): number {
    const now = (this.options.now ?? Date.now)();
    return Math.floor(now / 1000) + (this.options.ttlSeconds ?? 7 * 24 * 3600);
  }
}

function grantOf(item: BudgetItem, bucket: string): { changes: number; deletes: number } {
  const grant = item[grantAttribute(bucket)] as { changes?: number; deletes?: number } | undefined;
  return { changes: Number(grant?.changes ?? 0), deletes: Number(grant?.deletes ?? 0) };
}

function remaining(limit: number | undefined, used: number | undefined): number {
  return limit === undefined ? Number.POSITIVE_INFINITY : Math.max(0, limit - Number(used ?? 0));
}
