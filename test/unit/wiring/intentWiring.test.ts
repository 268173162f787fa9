import { describe, expect, it } from 'vitest';
import { DynamoAuditSink } from '../../../lib/adapters/aws/DynamoAuditSink.js';
import { DynamoIntentLog } from '../../../lib/adapters/aws/DynamoIntentLog.js';
import { intentDeps, intentLog } from '../../../lib/wiring/intentWiring.js';
import { reconcileIntentFolds } from '../../../lib/wiring/reconcileBucketWiring.js';
import { readServiceConfig, ServiceConfigError } from '../../../lib/wiring/serviceConfig.js';

const client = { send: async () => ({}) } as never;

describe('intentDeps()', () => {
  it('records intents in the state table, with the resolver’s default grace unless S3IR_INTENT_GRACE_SECONDS says', () => {
    const defaults = intentDeps(readServiceConfig({ S3IR_STATE_TABLE: 'state' }), client);
    const quick = intentDeps(readServiceConfig({ S3IR_INTENT_GRACE_SECONDS: '0' }), client);

    expect(defaults.intents).toBeInstanceOf(DynamoIntentLog);
    expect(defaults).not.toHaveProperty('intentGraceMs');
    expect(quick.intentGraceMs).toBe(0);
    expect(readServiceConfig({ S3IR_INTENT_GRACE_SECONDS: '3600' }).intentGraceSeconds).toBe(3_600);
  });

  it.each(['3601', '-1', '1.5', 'soon'])(
    'refuses S3IR_INTENT_GRACE_SECONDS=%j, naming variable and value',
    (text) => {
      expect(() => readServiceConfig({ S3IR_INTENT_GRACE_SECONDS: text })).toThrow(
        new ServiceConfigError(
          `S3IR_INTENT_GRACE_SECONDS must be a whole number of seconds from 0 to 3600, not ${JSON.stringify(text)}`,
        ),
      );
    },
  );
});

describe('reconcileIntentFolds() (#18 point 4)', () => {
  const audit = new DynamoAuditSink({ client, tableName: 'audit' });

  it('folds the intent’s removal into the service’s audit append, and the hold check into the record without limits', () => {
    const log = intentLog(
      readServiceConfig({ S3IR_STATE_TABLE: 'state' }),
      client,
      reconcileIntentFolds({}, audit),
    );
    expect(log.checksHold).toBe(true);
    expect(log.confirm).toBeTypeOf('function');
  });

  it('leaves the hold to the reservation with limits, and a sink that is not the audit table’s unfolded', () => {
    const limited = reconcileIntentFolds({ maxChanges: 100 }, audit);
    expect(intentLog({ stateTable: 'state' }, client, limited).checksHold).toBe(false);
    expect(reconcileIntentFolds({ maxDeletes: 1 }, audit).checkHold).toBe(false);
    const other = intentLog({ stateTable: 'state' }, client, { audit: { record: async () => undefined } });
    expect(other.confirm).toBeUndefined();
  });
});
