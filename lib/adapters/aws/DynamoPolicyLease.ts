import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { LeaseAttempt, LeaseHolder, PolicyLeasePort } from '../../core/reconcile/ports.js';
import { AWS_DEFAULTS } from './constants.js';
import type { AwsAdapterError } from './errors.js';
import { EXPIRES_AT, LEASE_PARTITION, leaseKey, STATE_TABLE_KEY } from './stateTableLayout.js';
import { callAws } from './toAdapterError.js';

export interface DynamoPolicyLeaseOptions {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  /** The state table (`S3IR_STATE_TABLE`). */
  tableName: string;
  /** How long a lease lasts unless released (default AWS_DEFAULTS.policyLeaseTtlMs, 30 s). */
  ttlMs?: number;
  /** Milliseconds; default `Date.now`. */
  now?: () => number;
}

/**
 * Policy leases as items `{ bucket: '#lease', id: <lease key>, holder, expiresAt }` of the state table
 * (docs/aws-facts.md §6: a lease is a conditional put). Taking one is a PutItem on the condition that no lease
 * is there or the one there has expired (a crashed worker's is taken over); releasing is a
 * DeleteItem on the condition that we still hold it, so a worker whose lease lapsed never deletes its
 * successor's. `expiresAt` is in epoch seconds, the table's TTL attribute, so DynamoDB also removes
 * leases nobody released. The reconcile role may write only this partition's items.
 */
export class DynamoPolicyLease implements PolicyLeasePort {
  private readonly options: DynamoPolicyLeaseOptions;

  constructor(options: DynamoPolicyLeaseOptions) {
    this.options = options;
  }

  async tryAcquire(key: string, holder: string): Promise<LeaseAttempt> {
    const { client, tableName } = this.options;
    const now = (this.options.now ?? Date.now)();
    // Seconds, rounded so that the holder's view (until expiresAt) ends before anyone may take it over
    // (from the second after it).
    const expiresAt = Math.ceil((now + (this.options.ttlMs ?? AWS_DEFAULTS.policyLeaseTtlMs)) / 1000);
    try {
      await callAws(`PutItem ${tableName} ${LEASE_PARTITION}/${key}`, () =>
        client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...leaseKey(key), holder, [EXPIRES_AT]: expiresAt },
            ConditionExpression: 'attribute_not_exists(#bucket) OR #expiresAt < :now',
            ExpressionAttributeNames: { '#bucket': STATE_TABLE_KEY.partition, '#expiresAt': EXPIRES_AT },
            ExpressionAttributeValues: { ':now': Math.floor(now / 1000) },
            // Who holds it comes back with the refusal: no second read, no GetItem grant.
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
    } catch (error) {
      if ((error as AwsAdapterError).code !== 'ConditionalCheckFailedException') throw error;
      return { acquired: false, heldBy: holderOf(error as AwsAdapterError) };
    }
    return {
      acquired: true,
      lease: { expiresAt: new Date(expiresAt * 1000), release: () => this.release(key, holder) },
    };
  }

  private async release(key: string, holder: string): Promise<void> {
    const { client, tableName } = this.options;
    try {
      await callAws(`DeleteItem ${tableName} ${LEASE_PARTITION}/${key}`, () =>
        client.send(
          new DeleteCommand({
            TableName: tableName,
            Key: leaseKey(key),
            ConditionExpression: '#holder = :holder',
            ExpressionAttributeNames: { '#holder': 'holder' },
            ExpressionAttributeValues: { ':holder': holder },
          }),
        ),
      );
    } catch (error) {
      // Gone, or lapsed and taken over: it is not ours to delete any more.
      if ((error as AwsAdapterError).code !== 'ConditionalCheckFailedException') throw error;
    }
  }
}

/** The holder of the lease a refused put met (the SDK error's `Item`, as DynamoDB sends it). */
function holderOf(error: AwsAdapterError): LeaseHolder {
  const raw = (error.cause as { Item?: Record<string, AttributeValue> } | undefined)?.Item;
  const item = raw === undefined ? {} : unmarshall(raw);
  const seconds = Number(item[EXPIRES_AT]);
  return {
    holder: typeof item.holder === 'string' ? item.holder : 'an unknown holder',
    expiresAt: new Date(Number.isFinite(seconds) ? seconds * 1000 : 0),
  };
}
