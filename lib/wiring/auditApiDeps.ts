import { ClientFactory, type ClientFactoryOptions } from '../adapters/aws/ClientFactory.js';
import { DynamoAuditReader } from '../adapters/aws/DynamoAuditReader.js';
import { DynamoStatusStore } from '../adapters/aws/DynamoStatusStore.js';
import { documentClient } from '../adapters/aws/documentClient.js';
import { lazySend } from '../adapters/aws/lazySend.js';
import { verifyAuditSince } from '../adapters/aws/verifyAuditSince.js';
import { verifyAuditTable } from '../adapters/aws/verifyAuditTable.js';
import type { AuditApiPorts } from '../api/types.js';
import { readAnchorStatus } from '../usecases/anchorAudit/readAnchorStatus.js';
import { anchorWiring } from './anchorWiring.js';
import type { ServiceConfig } from './serviceConfig.js';

/** The audit API's ports over DynamoDB, and how to close their clients. */
export interface AuditApiDeps {
  ports: AuditApiPorts;
  close(): void;
}

/**
 * The real ports of the audit API (functions/auditApi, `s3ir serve`): events from the audit table, bucket
 * statuses from the state table's `#status` items, the hash-chain check. Reads only; no call is
 * made until a request needs one.
 */
export function createAuditApiDeps(
  config: Pick<ServiceConfig, 'stateTable' | 'auditTable' | 'crossAccountRoleName'> &
    Partial<Pick<ServiceConfig, 'digestBucket' | 'digestKeyId' | 'digestRetentionDays'>>,
  factoryOptions: ClientFactoryOptions = {},
): AuditApiDeps {
  const factory = new ClientFactory({ crossAccountRoleName: config.crossAccountRoleName, ...factoryOptions });
  const client = lazySend(() => documentClient(factory));
  const events = new DynamoAuditReader({ client, tableName: config.auditTable });
  const status = new DynamoStatusStore({ client, tableName: config.stateTable });
  const anchors = anchorWiring(config, factory);
  return {
    ports: {
      ...(anchors && { anchor: () => readAnchorStatus(anchors) }),
      events,
      status,
      // Whole chains only for named buckets; otherwise the window since `since` (never a Scan per page load).
      verify: ({ buckets, since }) =>
        since !== undefined
          ? verifyAuditSince({ client, tableName: config.auditTable, since, ...(buckets && { buckets }) })
          : verifyAuditTable({ client, tableName: config.auditTable, buckets: buckets ?? [] }),
    },
    close: () => factory.destroy(),
  };
}
