import { DynamoAccountStatusStore } from '../adapters/aws/DynamoAccountStatusStore.js';
import { DynamoAlertOutbox } from '../adapters/aws/DynamoAlertOutbox.js';
import { DynamoBookkeeping } from '../adapters/aws/DynamoBookkeeping.js';
import { DynamoChangeWindow } from '../adapters/aws/DynamoChangeWindow.js';
import { DynamoDeliveryStatusStore } from '../adapters/aws/DynamoDeliveryStatusStore.js';
import { DynamoDiscoveredStore } from '../adapters/aws/DynamoDiscoveredStore.js';
import { DynamoGrantRecords } from '../adapters/aws/DynamoGrantRecords.js';
import { DynamoPolicyLease } from '../adapters/aws/DynamoPolicyLease.js';
import { DynamoStatusStore } from '../adapters/aws/DynamoStatusStore.js';
import type { AccountStatusStore } from '../core/accounts/accountStatus.js';
import type { StatusStore } from '../core/alerts/bucketStatus.js';
import type { KnownStatuses } from '../core/alerts/PrefetchedStatusStore.js';
import type { AlertOutbox } from '../core/alerts/types.js';
import type { PolicyLeasePort } from '../core/reconcile/ports.js';
import type { ChangeWindowStore } from '../usecases/brake/ports.js';
import type { DeliveryStatusStore } from '../usecases/deliveryCheck/runDeliveryCheck.js';
import type { DiscoveredStore } from '../usecases/discovery/discoveredBuckets.js';
import type { BookkeepingStore } from '../usecases/sweep/cleanBookkeeping.js';
import type { GrantRecordStore } from '../usecases/sweepGrants/ports.js';
import type { ServiceConfig } from './serviceConfig.js';
import type { Documents } from './serviceFactory.js';

/**
 * The service's own bookkeeping (statuses, outbox, leases, the brake) is in the state table, which only its
 * roles write; the desired table holds what owners declare. Every store below is built on this.
 */
export interface StateTable {
  client: Documents;
  tableName: string;
}

/** Bucket statuses, with the batch read a reconcile batch and `s3ir status` make. */
export interface BatchStatusStore extends StatusStore {
  /** Many buckets' statuses in one read; `undefined` for a bucket that has none. */
  getMany(buckets: readonly string[]): Promise<KnownStatuses>;
}

/** `S3IR_STATE_TABLE` over the wiring's document client. */
export function stateTable(config: Pick<ServiceConfig, 'stateTable'>, client: Documents): StateTable {
  return { client, tableName: config.stateTable };
}

/** The `#status` items (lib/usecases/recordTransition). */
export function statusStore(state: StateTable): BatchStatusStore {
  return new DynamoStatusStore(state);
}

/** The `#delivery` items (lib/usecases/deliveryCheck). */
export function deliveryStatusStore(state: StateTable): DeliveryStatusStore {
  return new DynamoDeliveryStatusStore(state);
}

/** The `#outbox` items: alerts SNS refused, kept for a later flush. */
export function alertOutbox(state: StateTable): AlertOutbox {
  return new DynamoAlertOutbox(state);
}

/** What the sweep removes once a bucket leaves it (lib/usecases/sweep/cleanBookkeeping). */
export function bookkeepingStore(state: StateTable): BookkeepingStore {
  return new DynamoBookkeeping(state);
}

/**
 * Shared destination and key policies are written under a lease, so that the Lambdas and `s3ir reconcile`
 * never lose each other's grants.
 */
export function policyLease(state: StateTable): PolicyLeasePort {
  return new DynamoPolicyLease(state);
}

/** The account-wide brake's window and hold (lib/usecases/brake): a counter item per minute, one hold item. */
export function changeWindowStore(state: StateTable): ChangeWindowStore {
  return new DynamoChangeWindow(state);
}

// Organization scale (#18): member accounts' statuses.

/** The `#account-status` items (lib/usecases/discovery/accountReports). */
export function accountStatusStore(state: StateTable): AccountStatusStore {
  return new DynamoAccountStatusStore(state);
}

/** The `#discovered` items: what each member account's last discovery selected (lib/usecases/discovery/discoveredBuckets). */
export function discoveredStore(state: StateTable): DiscoveredStore {
  return new DynamoDiscoveredStore(state);
}

/** #18: the `#grants` items, the schedule grant step's records (lib/usecases/sweepGrants/keepGrantRecord). */
export function grantRecordStore(state: StateTable): GrantRecordStore {
  return new DynamoGrantRecords(state);
}
