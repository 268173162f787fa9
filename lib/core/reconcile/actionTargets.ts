import { configurationsEqual } from '../inventory/diffConfigurations.js';
import type { InventoryConfiguration } from '../inventory/types.js';
import { jsonEqual } from '../json/jsonEqual.js';
import { policyLeaseKey } from './policyLease.js';
import type { ApplyPorts } from './ports.js';
import type { PlanAction } from './types.js';

/** How `apply` reads, writes and checks the one thing a planned action changes. */
export interface ActionTarget {
  /** e.g. `configuration inv-1 of src`, `policy of destination bucket dest`. */
  label: string;
  /**
   * The lease `apply` holds around read, write and re-read: set for policies that other buckets' workers
   * write too. A configuration belongs to one bucket, so it has none.
   */
  leaseKey?: string;
  /**
   * Set when the plan's own listing, made in this very attempt, is the read before the write: `apply` then
   * writes without reading first (a configuration; see below). Absent: read and compared ({@link isBefore}).
   */
  listedByPlan?: true;
  read(): Promise<unknown>;
  write(): Promise<void>;
  /** The current value is what the plan saw (optimistic concurrency). */
  isBefore(current: unknown): boolean;
  /** The value read back after the write is what the plan wanted. */
  isAfter(current: unknown): boolean;
}

/** The target of one action of a plan for `bucket`. */
export function actionTarget(action: PlanAction, bucket: string, ports: ApplyPorts): ActionTarget {
  switch (action.kind) {
    case 'grant-destination':
    case 'revoke-destination': {
      const { destinationBucket: name, before, after } = action;
      return {
        label: `policy of destination bucket ${name}`,
        leaseKey: policyLeaseKey('destination-policy', name),
        read: () => ports.bucketPolicy.get(name),
        write: () => (after ? ports.bucketPolicy.put(name, after) : ports.bucketPolicy.delete(name)),
        isBefore: (current) => jsonEqual(current, before),
        isAfter: (current) => jsonEqual(current, after),
      };
    }
    case 'grant-key':
    case 'revoke-key': {
      const { keyArn, before, after } = action;
      return {
        label: `policy of KMS key ${keyArn}`,
        leaseKey: policyLeaseKey('key-policy', keyArn),
        read: () => ports.keyPolicy.get(keyArn),
        write: () => ports.keyPolicy.put(keyArn, after),
        isBefore: (current) => jsonEqual(current, before),
        isAfter: (current) => jsonEqual(current, after),
      };
    }
    case 'create-configuration':
    case 'update-configuration':
    case 'delete-configuration': {
      const expected = action.kind === 'create-configuration' ? undefined : action.before;
      const wanted = action.kind === 'delete-configuration' ? undefined : action.after;
      return {
        label: `configuration ${action.id} of ${bucket}`,
        // No GET before the put or delete: the plan was made from a ListBucketInventoryConfigurations of this
        // same attempt, milliseconds earlier, and S3 has no conditional put or delete for an inventory
        // configuration (docs/aws-facts.md §18), so a second read would
        // only narrow a race it cannot close. A configuration changed by hand in between is overwritten with
        // what is declared, as the next sweep would do. The read-back after the write stays: it is what makes
        // `applied` verified. Policies keep their read: under the lease, that check means what it says.
        listedByPlan: true,
        read: () => ports.inventory.get(bucket, action.id),
        write: () =>
          wanted ? ports.inventory.put(bucket, wanted) : deleteConfiguration(ports, bucket, action.id),
        isBefore: (current) => configurationEquals(current, expected),
        isAfter: (current) => configurationEquals(current, wanted),
      };
    }
  }
}

/**
 * Deletes a configuration; one already gone (deleted by hand since the listing: NoSuchConfiguration) is what
 * the delete wanted, and the read-back says so.
 */
async function deleteConfiguration(ports: ApplyPorts, bucket: string, id: string): Promise<void> {
  try {
    await ports.inventory.delete(bucket, id);
  } catch (error) {
    const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
    if (code !== 'NoSuchConfiguration' && name !== 'NoSuchConfiguration') throw error;
  }
}

function configurationEquals(current: unknown, expected: InventoryConfiguration | undefined): boolean {
  if (current === undefined || expected === undefined) return current === expected;
  return configurationsEqual(current as InventoryConfiguration, expected);
}
