import type { AuditEvent } from '../../core/audit/types.js';
import type { ChangeHistory } from '../../usecases/deliveryCheck/ports.js';
import type { AuditQuery } from './DynamoAuditReader.js';

/** The actions after which S3 starts a configuration's reports afresh. */
const CHANGES = ['inventory-created', 'inventory-updated'] as const;

/**
 * When a configuration was last created or changed on its bucket, from the audit history: one read of the
 * bucket's history (`byTime`), the actions picked here (a FilterExpression would read, and bill, the same
 * items; and no index serves bucket and action together). Only asked for configurations whose reports are
 * not plainly ok.
 */
export class AuditChangeHistory implements ChangeHistory {
  private readonly reader: { query(query: AuditQuery): Promise<AuditEvent[]> };

  constructor(reader: { query(query: AuditQuery): Promise<AuditEvent[]> }) {
    this.reader = reader;
  }

  async lastChange(bucket: string, configId: string): Promise<string | undefined> {
    const events = await this.reader.query({ bucket });
    let latest: string | undefined;
    for (const event of events) {
      if (!(CHANGES as readonly string[]).includes(event.action) || event.configId !== configId) continue;
      if (latest === undefined || event.time > latest) latest = event.time;
    }
    return latest;
  }
}
