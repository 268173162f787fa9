import { describe, expect, it } from 'vitest';
import type { DesiredConfiguration } from '../../../../lib/core/reconcile/desiredConfigurations.js';
import { checkConfigurationDelivery } from '../../../../lib/usecases/deliveryCheck/checkConfigurationDelivery.js';
import { makeConfiguration } from '../../../helpers/factories.js';
import { MemoryReports } from './memoryReports.js';

const now = new Date('2026-11-26T12:00:00Z');
const desired: DesiredConfiguration = {
  id: 'daily-csv',
  configuration: makeConfiguration(),
  mode: 'enforce',
};
const base = 'inventory/photos/daily-csv/';

function history(changes: Record<string, string> = {}) {
  const asked: string[] = [];
  return {
    asked,
    lastChange: async (bucket: string, id: string) => {
      asked.push(`${bucket}/${id}`);
      return changes[`${bucket}/${id}`];
    },
  };
}

describe('checkConfigurationDelivery', () => {
  it('is ok with the newest delivery time, without reading the audit history', async () => {
    const reports = new MemoryReports();
    reports.deliver({ bucket: 'inventory-reports', base, folder: '2026-11-26T01-00Z', source: 'photos' });
    const changes = history();
    const result = await checkConfigurationDelivery('photos', desired, { reports, history: changes, now });
    expect(result).toEqual({
      bucket: 'photos',
      id: 'daily-csv',
      status: 'ok',
      lastDelivery: '2026-11-26T01:00:00.000Z',
    });
    expect(changes.asked).toEqual([]);
  });

  it('asks the audit history when no report is found, and is pending soon after a change', async () => {
    const changes = history({ 'photos/daily-csv': '2026-11-25T12:00:00.000Z' });
    const result = await checkConfigurationDelivery('photos', desired, {
      reports: new MemoryReports(),
      history: changes,
      now,
    });
    expect(result.status).toBe('pending');
    expect(result.lastDelivery).toBeUndefined();
    expect(changes.asked).toEqual(['photos/daily-csv']);
  });

  it('reads a cross-account destination with its AccountId as the expected owner', async () => {
    const configuration = makeConfiguration();
    configuration.Destination!.S3BucketDestination!.AccountId = '444455556666';
    const reports = new MemoryReports();
    const seen: unknown[] = [];
    const spy = {
      ...reports,
      listFolders: async (location: unknown) => {
        seen.push(location);
        return [];
      },
    };
    const result = await checkConfigurationDelivery(
      'photos',
      { ...desired, configuration },
      { reports: spy as unknown as MemoryReports, history: history(), now },
    );
    expect(seen[0]).toEqual({ bucket: 'inventory-reports', account: '444455556666' });
    expect(result).toEqual({
      bucket: 'photos',
      id: 'daily-csv',
      status: 'missing',
      reason: 'no report has ever arrived',
    });
  });

  it("reads a destination that names no AccountId in the source's member account (#18), AccountId first", async () => {
    const seen: unknown[] = [];
    const spy = {
      listFolders: async (location: unknown) => {
        seen.push(location);
        return [];
      },
    } as unknown as MemoryReports;
    const deps = { reports: spy, history: history(), now, region: 'eu-west-1', account: '222233334444' };
    await checkConfigurationDelivery('photos', desired, deps);
    expect(seen[0]).toEqual({ bucket: 'inventory-reports', account: '222233334444', region: 'eu-west-1' });
    const configuration = makeConfiguration();
    configuration.Destination!.S3BucketDestination!.AccountId = '444455556666';
    await checkConfigurationDelivery('photos', { ...desired, configuration }, deps);
    expect(seen.at(-1)).toEqual({
      bucket: 'inventory-reports',
      account: '444455556666',
      region: 'eu-west-1',
    });
  });
});
