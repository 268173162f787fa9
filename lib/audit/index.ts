export type { DesiredTableChange } from './desiredChangeEvent.js';
export { desiredChangeEvent, desiredChangeRunId } from './desiredChangeEvent.js';
export type { AuditEventIdParts } from './eventId.js';
export { auditEventId } from './eventId.js';
export type { AuditEvent, AuditSink } from './types.js';
export { AuditAction } from './types.js';
