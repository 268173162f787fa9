import type { ClientFactory } from '../adapters/aws/ClientFactory.js';
import { destinationClients, destinationOwners } from '../adapters/aws/destinationClients.js';
import { KmsKeyPolicyAdapter } from '../adapters/aws/KmsKeyPolicyAdapter.js';
import { RunFactsReaders } from '../adapters/aws/RunFactsReader.js';
import { S3BucketPolicyAdapter } from '../adapters/aws/S3BucketPolicyAdapter.js';
import { S3InventoryAdapter } from '../adapters/aws/S3InventoryAdapter.js';
import type { AuditSink } from '../core/audit/types.js';
import type { InventoryPort } from '../core/reconcile/ports.js';
import type { ChangeBrake } from '../usecases/brake/ports.js';
import type { BucketScope, DesiredStore, ReconcileBucketDeps } from '../usecases/ports.js';
import type { BucketMessage } from '../usecases/reconcileMessage/bucketMessage.js';
import { type IntentFolds, intentDeps } from './intentWiring.js';
import type { ServiceConfig } from './serviceConfig.js';
import { policyLease, type StateTable } from './stateStores.js';

/** What reading one bucket's state needs (the read step of a reconcile, the delivery check's causes). */
export type BucketReads = Pick<ReconcileBucketDeps, 'desired' | 'facts' | 'inventoryFor' | 'allowedAccounts'>;

/** The reads of one run (its facts cache). */
export type BucketReadsFor = (runId: string) => BucketReads;

/** The deps of one bucket message: its run's facts cache and its run id on every audit event. */
export type ReconcileDepsFor = (message: BucketMessage) => ReconcileBucketDeps;

/** What the reads of a bucket share with the rest of their entry point. */
export interface BucketReadsParts {
  desired: DesiredStore;
  /** The allowed accounts, resolved once per process (lib/wiring/allowedAccounts). */
  allowedAccounts(): Promise<ReadonlySet<string>>;
}

/** What a reconcile shares with the rest of its entry point: the reads' parts, the audit sink, the state table. */
export interface ReconcileBucketParts extends BucketReadsParts {
  audit: AuditSink;
  state: StateTable;
  /** The account-wide brake every writer reserves in before it writes (lib/wiring/brakeWiring). */
  brake: ChangeBrake;
}

/**
 * The reads `reconcileBucket` makes before it plans, per run: the desired state, the run's facts (one cache per
 * run id, so the messages of a sweep share them in a warm sandbox) and the source bucket's inventory in its
 * account and region, its owner sent as ExpectedBucketOwner on every call.
 */
export function bucketReadsWiring(
  config: Pick<ServiceConfig, 'destinationBuckets'>,
  factory: ClientFactory,
  parts: BucketReadsParts,
): BucketReadsFor {
  const factsRuns = new RunFactsReaders({
    factory,
    ...(config.destinationBuckets !== undefined && { destinationBuckets: config.destinationBuckets }),
  });
  const inventoryFor = (scope: BucketScope): InventoryPort =>
    new S3InventoryAdapter({
      clientFor: () => factory.s3({ account: scope.account, region: scope.region }),
      expectedBucketOwner: () => scope.account ?? factory.homeAccount(),
    });
  return (runId) => ({
    desired: parts.desired,
    facts: factsRuns.forRun(runId),
    inventoryFor,
    allowedAccounts: parts.allowedAccounts,
  });
}

/**
 * Everything `reconcileBucket` needs per message (the reconcile Lambda, `s3ir`): {@link bucketReadsWiring}'s
 * reads, and what apply writes with: inventory and destination policy adapters (each destination's clients and
 * owner chosen by the facts), the key policy adapter, the policy lease, the audit sink, the run's limits and
 * the account-wide brake. Adapters are made per bucket; their clients come from the factory's cache.
 */
export function reconcileBucketWiring(
  config: Pick<
    ServiceConfig,
    | 'destinationBuckets'
    | 'maxChanges'
    | 'maxDeletes'
    | 'reconcileRoleArn'
    | 'stateTable'
    | 'intentGraceSeconds'
  >,
  factory: ClientFactory,
  parts: ReconcileBucketParts,
): ReconcileDepsFor {
  const readsFor = bucketReadsWiring(config, factory, parts);
  const keyPolicy = new KmsKeyPolicyAdapter({ clientFor: (keyArn) => factory.kmsForKey(keyArn) });
  const lease = policyLease(parts.state);
  // Every write's intent is recorded before it (issue 17: lib/wiring/intentWiring); #18 point 4: its record
  // checks the hold, and its change event's transaction deletes it.
  const intents = intentDeps(config, parts.state.client, reconcileIntentFolds(config, parts.audit));
  const limits = {
    ...(config.maxChanges !== undefined && { remainingChanges: config.maxChanges }),
    ...(config.maxDeletes !== undefined && { remainingDeletes: config.maxDeletes }),
  };
  return (message) => {
    const reads = readsFor(message.runId);
    return {
      ...reads,
      applyPortsFor: (scope, facts) => ({
        inventory: reads.inventoryFor(scope),
        bucketPolicy: new S3BucketPolicyAdapter({
          clientFor: destinationClients(factory, facts),
          expectedBucketOwner: destinationOwners(facts),
        }),
        keyPolicy,
        policyLease: lease,
        audit: parts.audit,
      }),
      audit: parts.audit,
      context: { runId: message.runId, actor: config.reconcileRoleArn ?? 's3ir-reconcile' },
      limits,
      brake: parts.brake,
      ...intents,
    };
  };
}

/**
 * #18 point 4: a reconcile's intents leave with their change event; without brake limits their record also
 * checks the hold, in place of the brake's read of it (with limits the reservation's transaction checks it).
 */
export function reconcileIntentFolds(
  config: Pick<ServiceConfig, 'maxChanges' | 'maxDeletes'>,
  audit: AuditSink,
): IntentFolds {
  return { audit, checkHold: config.maxChanges === undefined && config.maxDeletes === undefined };
}
