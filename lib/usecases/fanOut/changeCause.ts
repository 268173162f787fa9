import type { CauseScope, ChangeCause } from '../../core/reconcile/changeCause.js';
import { parseChangeCause } from '../../core/reconcile/parseChangeCause.js';
import {
  type CloudTrailChange,
  DESTINATION_EVENTS,
  KEY_EVENTS,
  keyNames,
  SOURCE_EVENTS,
} from './changeTargets.js';

/** The fields of a CloudTrail event's `userIdentity` that name the caller. */
export interface CallerFields {
  arn?: string;
  /** The AWS service that made the call on the caller's behalf (e.g. `cloudformation.amazonaws.com`). */
  invokedBy?: string;
  accountId?: string;
}

/** The parts of a CloudTrail "AWS API Call" detail that say who made the call, when, and which call. */
export interface CloudTrailCall extends CloudTrailChange {
  userIdentity?: CallerFields;
  sourceIPAddress?: string;
  eventTime?: string;
  eventID?: string;
}

/**
 * The cause a change event gives the reconciles it wakes: its caller (`userIdentity.arn`, else the
 * service that invoked the call, else `account:<id>`), `sourceIPAddress`, `eventTime`, `eventID` and
 * `eventName`, with what the call touched. Undefined when the event does not say who, when or which
 * call in a well-formed way (docs/aws-facts.md "CloudTrail change events"): the reconcile runs anyway.
 */
export function changeCause(call: CloudTrailCall): ChangeCause | undefined {
  const identity = call.userIdentity;
  const actor =
    identity?.arn ??
    identity?.invokedBy ??
    (identity?.accountId === undefined ? undefined : `account:${identity.accountId}`);
  return parseChangeCause({
    actor,
    sourceIp: call.sourceIPAddress,
    time: call.eventTime,
    eventId: call.eventID,
    eventName: call.eventName,
    scope: scopeOf(call),
  });
}

/** What the call touched, as lib/usecases/fanOut/changeTargets reads the same event. */
function scopeOf(call: CloudTrailChange): CauseScope | undefined {
  const bucket = call.requestParameters?.bucketName;
  if (call.eventName === 'DeleteBucket') return bucket === undefined ? undefined : { kind: 'bucket', bucket };
  if (bucket !== undefined && SOURCE_EVENTS.has(call.eventName)) {
    const configId = call.requestParameters?.id;
    return { kind: 'configuration', bucket, ...(configId !== undefined && { configId }) };
  }
  if (bucket !== undefined && DESTINATION_EVENTS.has(call.eventName))
    return { kind: 'destination-policy', bucket };
  // At most the 4 names a cause may carry (an event names a key by its ARN and its request's KeyId).
  if (KEY_EVENTS.has(call.eventName))
    return { kind: 'key-policy', keys: [...new Set(keyNames(call))].slice(0, 4) };
  return undefined;
}
