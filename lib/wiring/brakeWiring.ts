import type { Alert } from '../core/alerts/types.js';
import type { AuditSink } from '../core/audit/types.js';
import { DEFAULT_BRAKE_WINDOW_MINUTES } from '../core/brake/constants.js';
import type { BrakeLimits } from '../core/brake/types.js';
import { accountBrake } from '../usecases/brake/accountBrake.js';
import type { ChangeBrake, ChangeWindowStore } from '../usecases/brake/ports.js';
import type { AlertDispatch } from '../usecases/recordTransition/AlertDispatch.js';
import type { ServiceConfig } from './serviceConfig.js';
import type { Documents } from './serviceFactory.js';
import { changeWindowStore } from './stateStores.js';

/** What the brake's wiring needs from the rest of the service's. */
export interface BrakeWiringParts {
  /** The state table's document client (lib/adapters/aws/documentClient). */
  client: Documents;
  audit: AuditSink;
  /** The writer's alert delivery (SNS, else the outbox); absent without an alert topic. */
  deliver?: (alerts: readonly Alert[]) => Promise<unknown>;
}

/** The account-wide brake's ports: the store (`s3ir hold`, the sweep's HoldActive), and the writers' brake. */
export interface BrakeWiring {
  limits: BrakeLimits;
  store: ChangeWindowStore;
  /** Reserved by every writer of AWS before it writes (ReconcileBucketDeps.brake). */
  brake: ChangeBrake;
}

/**
 * The brake from the service's settings: `S3IR_MAX_CHANGES` / `S3IR_MAX_DELETES` over
 * `S3IR_BRAKE_WINDOW_MINUTES` (default 60). Without limits it counts nothing but still honours a hold.
 */
export function brakeWiring(config: ServiceConfig, parts: BrakeWiringParts): BrakeWiring {
  const limits: BrakeLimits = {
    windowMinutes: config.brakeWindowMinutes ?? DEFAULT_BRAKE_WINDOW_MINUTES,
    ...(config.maxChanges !== undefined && { maxChanges: config.maxChanges }),
    ...(config.maxDeletes !== undefined && { maxDeletes: config.maxDeletes }),
  };
  const store = changeWindowStore({ client: parts.client, tableName: config.stateTable });
  const { deliver } = parts;
  const brake = accountBrake({
    store,
    limits,
    audit: parts.audit,
    ...(deliver !== undefined && { announce: async (alert: Alert) => void (await deliver([alert])) }),
  });
  return { limits, store, brake };
}

/** {@link brakeWiring} over an entry point's document client, audit sink and alert dispatch (absent without a topic). */
export function accountBrakeOf(
  config: ServiceConfig,
  client: Documents,
  audit: AuditSink,
  dispatch: AlertDispatch | undefined,
): BrakeWiring {
  return brakeWiring(config, {
    client,
    audit,
    ...(dispatch !== undefined && { deliver: (alerts) => dispatch.deliver(alerts) }),
  });
}
