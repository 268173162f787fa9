import { DynamoIntentLog } from '../adapters/aws/DynamoIntentLog.js';
import type { ReconcileBucketDeps } from '../usecases/ports.js';
import type { ServiceConfig } from './serviceConfig.js';

/**
 * The intents of a reconcile's writes (issue 17: no change without its record): the state table's
 * `#intent` items, and how old an unfinished one must be before a reconcile resolves it
 * (`S3IR_INTENT_GRACE_SECONDS`; unset: INTENT_GRACE_MS). Spread into every {@link ReconcileBucketDeps}.
 * @example const deps = { ...base, ...intentDeps(config, documents) };
 */
export function intentDeps(
  config: Pick<ServiceConfig, 'stateTable' | 'intentGraceSeconds'>,
  client: ConstructorParameters<typeof DynamoIntentLog>[0]['client'],
): Pick<ReconcileBucketDeps, 'intents' | 'intentGraceMs'> {
  const intents = new DynamoIntentLog({ client, tableName: config.stateTable });
  return config.intentGraceSeconds === undefined
    ? { intents }
    : { intents, intentGraceMs: config.intentGraceSeconds * 1000 };
}
