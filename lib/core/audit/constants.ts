/**
 * Sort key of a bucket's chain head in the audit table: the seq and hash of the newest event, advanced
 * by a conditional write so concurrent writers to one chain are serialized. `#` never starts an event
 * id (sha256 hex, lib/core/audit/eventId.ts), so it never clashes with an event.
 */
export const CHAIN_HEAD_ID = '#chain';

/** Sort keys that are not events start with this: the chain head and document parts. */
export const RESERVED_ID_PREFIX = '#';

/** Sort keys of the parts of a large document: `#doc#<eventId>#<field>#<i>` (lib/core/audit/documentParts.ts). */
export const DOCUMENT_ID_PREFIX = '#doc#';

/** `prevHash` of the first event of a chain (seq 1). */
export const GENESIS_HASH = '0'.repeat(64);

/** Attributes that only feed the table's indexes: not part of the event, not covered by its hash. */
export const INDEX_ONLY_ATTRIBUTES = ['timeKey', 'day'] as const;

/** Attributes the chain adds to a stored event (the sink computes them; a caller's values are ignored). */
export const CHAIN_ATTRIBUTES = ['seq', 'prevHash', 'hash', 'expiresAt', 'prevExpiresAt'] as const;
