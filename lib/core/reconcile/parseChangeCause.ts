import { isRecord } from '../json/isRecord.js';
import type { CauseScope, ChangeCause } from './changeCause.js';

/**
 * Bounds of what a cause may hold. It comes from a CloudTrail event and then a queue message: untrusted
 * text that ends up in the audit history, the CLI and the viewer, so every field has a format and a length.
 */
const LIMITS = {
  /** IAM: a path of up to 512 characters plus a name of up to 64 make the longest user ARNs. */
  actor: 1024,
  /** An IPv6 address with a zone, or an AWS service's name (`s3.amazonaws.com`, `AWS Internal`). */
  sourceIp: 64,
  eventName: 128,
  keyName: 256,
  keys: 4,
} as const;

/** Printable ASCII, no spaces: ARNs, `s3.amazonaws.com`, `account:123456789012`. */
const ACTOR = /^[\x21-\x7e]+$/;
const SOURCE_IP = /^[0-9A-Za-z][0-9A-Za-z.:%_ -]*$/;
/** CloudTrail's `eventID` is a UUID. */
const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EVENT_NAME = /^[A-Za-z0-9]+$/;
/** `eventTime` as CloudTrail writes it (`2026-12-06T15:04:05Z`), or with milliseconds as we store it. */
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
/** S3 bucket names: 3-63 lower-case letters, digits, dots and hyphens (docs/aws-facts.md "CloudTrail change events"). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Inventory configuration ids: up to 64 of `[A-Za-z0-9_.-]` (docs/aws-facts.md §1). */
const CONFIG_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** A key ARN or id, as a KMS event names it (aliases are never matched, so not kept). */
const KEY_NAME = /^[A-Za-z0-9:/_-]+$/;

/**
 * Reads a cause from untrusted JSON (a bucket message, or one built from a CloudTrail event): every field
 * checked for format and length, the time normalized to ISO 8601 with milliseconds. Anything malformed
 * gives `undefined`: the cause is only metadata for the record, so it is dropped, never a reason to refuse
 * the reconcile.
 * @example parseChangeCause({ actor: 'arn:aws:iam::123456789012:user/ana', time: '2026-12-06T15:04:05Z', eventId: '…', scope: { kind: 'bucket', bucket: 'photos' } })
 */
export function parseChangeCause(value: unknown): ChangeCause | undefined {
  if (!isRecord(value)) return undefined;
  const { actor, sourceIp, time, eventId, eventName } = value;
  if (!text(actor, ACTOR, LIMITS.actor) || !text(eventId, EVENT_ID, 36)) return undefined;
  if (typeof time !== 'string' || !TIME.test(time) || Number.isNaN(Date.parse(time))) return undefined;
  const scope = parseScope(value.scope);
  if (scope === undefined) return undefined;
  const cause: ChangeCause = {
    actor,
    time: new Date(time).toISOString(),
    eventId: eventId.toLowerCase(),
    scope,
  };
  // Optional fields: a malformed one is left out, the rest of the cause kept.
  if (text(sourceIp, SOURCE_IP, LIMITS.sourceIp)) cause.sourceIp = sourceIp;
  if (text(eventName, EVENT_NAME, LIMITS.eventName)) cause.eventName = eventName;
  return cause;
}

function parseScope(value: unknown): CauseScope | undefined {
  if (!isRecord(value)) return undefined;
  const { kind, bucket, configId, keys } = value;
  if (kind === 'key-policy') {
    if (!Array.isArray(keys) || keys.length === 0 || keys.length > LIMITS.keys) return undefined;
    if (!keys.every((key) => text(key, KEY_NAME, LIMITS.keyName))) return undefined;
    return { kind, keys: [...keys] };
  }
  if (!text(bucket, BUCKET, 63)) return undefined;
  if (kind === 'destination-policy' || kind === 'bucket') return { kind, bucket };
  if (kind !== 'configuration') return undefined;
  if (configId === undefined) return { kind, bucket };
  return text(configId, CONFIG_ID, 64) ? { kind, bucket, configId } : undefined;
}

function text(value: unknown, format: RegExp, maxLength: number): value is string {
  return typeof value === 'string' && value.length <= maxLength && format.test(value);
}
