import { CHAIN_ATTRIBUTES, INDEX_ONLY_ATTRIBUTES, RESERVED_ID_PREFIX } from './constants.js';
import { InvalidAuditEventError } from './errors.js';
import type { AuditEvent } from './types.js';

/**
 * The event as the store keeps it: plain JSON, exactly what DynamoDB gives back (no `undefined`
 * members, no Dates), without the chain and index attributes a caller may have copied from an event it
 * read. The hash is computed over this, so it must equal what a reader later sees.
 */
export function prepareEvent(event: AuditEvent): AuditEvent {
  if (typeof event.bucket !== 'string' || event.bucket === '') {
    throw new InvalidAuditEventError(`audit event ${event.eventId}: bucket must be a non-empty string`);
  }
  if (
    typeof event.eventId !== 'string' ||
    event.eventId === '' ||
    event.eventId.startsWith(RESERVED_ID_PREFIX)
  ) {
    throw new InvalidAuditEventError(
      `audit event of ${event.bucket}: eventId ${JSON.stringify(event.eventId)} must be non-empty and must not start with "${RESERVED_ID_PREFIX}" (reserved for the chain head and document parts)`,
    );
  }
  if (typeof event.time !== 'string' || event.time === '') {
    throw new InvalidAuditEventError(`audit event ${event.eventId}: time must be an ISO 8601 string`);
  }
  const plain = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
  for (const attribute of [...CHAIN_ATTRIBUTES, ...INDEX_ONLY_ATTRIBUTES]) delete plain[attribute];
  return plain as unknown as AuditEvent;
}
