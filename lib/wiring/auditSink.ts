import { DynamoAuditSink } from '../adapters/aws/DynamoAuditSink.js';
import type { AuditSink } from '../core/audit/types.js';
import type { ServiceConfig } from './serviceConfig.js';
import type { Documents } from './serviceFactory.js';

/** The audit table (`S3IR_AUDIT_TABLE`), its events kept `S3IR_AUDIT_RETENTION_DAYS`. */
export function auditSink(
  config: Pick<ServiceConfig, 'auditTable' | 'auditRetentionDays'>,
  client: Documents,
): AuditSink {
  return new DynamoAuditSink({
    client,
    tableName: config.auditTable,
    retentionDays: config.auditRetentionDays,
  });
}
