import { describe, expect, it } from 'vitest';
import { DynamoAdoptionSummaries } from '../../../lib/adapters/aws/DynamoAdoptionSummaries.js';
import { adoptionLedger, adoptionSender } from '../../../lib/wiring/adoptionWiring.js';
import type { AlertWiring } from '../../../lib/wiring/alertWiring.js';
import { readServiceConfig, ServiceConfigError } from '../../../lib/wiring/serviceConfig.js';
import type { StateTable } from '../../../lib/wiring/stateStores.js';
import { memoryOutbox, memorySender } from '../../helpers/memoryAlerts.js';

const state = { client: { send: async () => ({}) }, tableName: 's3ir-state' } as unknown as StateTable;
const withTopic: AlertWiring = { delivery: { sender: memorySender(), outbox: memoryOutbox() } };
const config = (value?: string) =>
  readServiceConfig(value === undefined ? {} : { S3IR_ADOPTION_SINGLE_ALERTS: value });

describe('S3IR_ADOPTION_SINGLE_ALERTS and the adoption wiring (#18 point 4)', () => {
  it('summarises every first reconcile by default, through the state table', () => {
    const { adoption } = adoptionLedger(config(), state, withTopic);
    expect(adoption?.singleAlerts).toBe(0);
    expect(adoption?.ledger).toBeInstanceOf(DynamoAdoptionSummaries);
    expect(adoptionSender(state, withTopic).adoption?.delivery).toBe(withTopic.delivery);
  });

  it('alerts the first N of a run and account one by one when set, and none is summarised with `all`', () => {
    expect(adoptionLedger(config('25'), state, withTopic).adoption?.singleAlerts).toBe(25);
    expect(config('all').adoptionSingleAlerts).toBe('all');
    expect(adoptionLedger(config('all'), state, withTopic)).toEqual({});
  });

  it('summarises nothing and sends nothing without a topic', () => {
    expect(adoptionLedger(config(), state, {})).toEqual({});
    expect(adoptionSender(state, {})).toEqual({});
  });

  it('refuses a malformed value, naming the variable and the value', () => {
    for (const value of ['-1', '10001', 'some', '2.5'])
      expect(() => config(value), value).toThrow(
        new ServiceConfigError(
          `S3IR_ADOPTION_SINGLE_ALERTS must be a whole number of buckets (or all) from 0 to 10000, not ${JSON.stringify(value)}`,
        ),
      );
  });
});
