import { DynamoAuditSink } from '../adapters/aws/DynamoAuditSink.js';
import { DynamoChangeWindow } from '../adapters/aws/DynamoChangeWindow.js';
import { DynamoIntentLog } from '../adapters/aws/DynamoIntentLog.js';
import type { AuditSink } from '../core/audit/types.js';
import type { ReconcileBucketDeps } from '../usecases/ports.js';
import type { ServiceConfig } from './serviceConfig.js';

type IntentClient = ConstructorParameters<typeof DynamoIntentLog>[0]['client'];

/**
 * What folds an intent's steps into other requests (#18 point 4): the audit sink its change event is
 * recorded with (the intent deleted in that event's transaction), and whether its record checks the hold.
 */
export interface IntentFolds {
  /** The entry point's audit sink: the service's DynamoAuditSink folds; any other sink does not. */
  audit?: AuditSink;
  /** Each record checks the hold in its own transaction (`#hold/current`, same state table). */
  checkHold?: boolean;
}

/**
 * The state table's `#intent` log, with {@link IntentFolds}: one TransactWriteItems records an intent and
 * checks the hold; one records a change event and deletes its intent.
 */
export function intentLog(
  config: Pick<ServiceConfig, 'stateTable'>,
  client: IntentClient,
  folds: IntentFolds = {},
): DynamoIntentLog {
  const tableName = config.stateTable;
  return new DynamoIntentLog({
    client,
    tableName,
    ...(folds.audit instanceof DynamoAuditSink && { audit: folds.audit }),
    ...(folds.checkHold === true && { hold: new DynamoChangeWindow({ client, tableName }) }),
  });
}

/**
 * The intents of a reconcile's writes (issue 17: no change without its record): the state table's
 * `#intent` items, and how old an unfinished one must be before a reconcile resolves it
 * (`S3IR_INTENT_GRACE_SECONDS`; unset: INTENT_GRACE_MS). Spread into every {@link ReconcileBucketDeps}.
 * @example const deps = { ...base, ...intentDeps(config, documents) };
 */
export function intentDeps(
  config: Pick<ServiceConfig, 'stateTable' | 'intentGraceSeconds'>,
  client: IntentClient,
  folds: IntentFolds = {},
): Pick<ReconcileBucketDeps, 'intents' | 'intentGraceMs'> {
  const intents = intentLog(config, client, folds);
  return config.intentGraceSeconds === undefined
    ? { intents }
    : { intents, intentGraceMs: config.intentGraceSeconds * 1000 };
}
