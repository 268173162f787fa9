export { canonicalJson } from './canonicalJson.js';
export { chainHash, sha256Hex } from './chainHash.js';
export {
  CHAIN_HEAD_ID,
  DOCUMENT_ID_PREFIX,
  GENESIS_HASH,
  INDEX_ONLY_ATTRIBUTES,
  RESERVED_ID_PREFIX,
} from './constants.js';
export type { DesiredTableChange } from './desiredChangeEvent.js';
export { desiredChangeEvent, desiredChangeRunId } from './desiredChangeEvent.js';
export type { AssembledDocument, DocumentPart, DocumentReference } from './documentParts.js';
export {
  assembleDocument,
  documentReference,
  estimateItemBytes,
  reduceLargeFields,
  restoreDocuments,
} from './documentParts.js';
export {
  AuditError,
  AuditEventTooLargeError,
  InvalidAuditEventError,
  InvalidAuditQueryError,
  InvalidPageTokenError,
} from './errors.js';
export type { AuditEventChange, AuditEventIdParts } from './eventId.js';
export { auditEventChangeHash, auditEventId, withEventId } from './eventId.js';
export type { ChainedEvent, ChainHead, LinkOptions } from './linkEvent.js';
export { linkEvent } from './linkEvent.js';
export type { PageState } from './pageToken.js';
export { decodePageToken, encodePageToken, queryFingerprint } from './pageToken.js';
export { prepareEvent } from './prepareEvent.js';
export type { AuditEvent, AuditPage, AuditQuery, AuditSink, ChainBreak, VerifyReport } from './types.js';
export { AuditAction } from './types.js';
export { verifyChain } from './verifyChain.js';
