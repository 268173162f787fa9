import { describe, expect, it } from 'vitest';
import { folderName, folderTime, reportBase } from '../../../../lib/core/delivery/reportLayout.js';
import { makeConfiguration } from '../../../helpers/factories.js';

describe('reportBase', () => {
  it('puts the prefix, the source bucket and the configuration id in that order', () => {
    expect(reportBase('photos', makeConfiguration())).toBe('inventory/photos/daily-csv/');
  });

  it('starts at the source bucket when there is no prefix', () => {
    const configuration = makeConfiguration();
    delete configuration.Destination!.S3BucketDestination!.Prefix;
    expect(reportBase('photos', configuration)).toBe('photos/daily-csv/');
  });
});

describe('folderName and folderTime', () => {
  it('round-trips a report time to the minute', () => {
    const time = new Date('2026-11-26T04:07:00Z');
    expect(folderName(time)).toBe('2026-11-26T04-07Z');
    expect(folderTime('2026-11-26T04-07Z')).toEqual(time);
  });

  it.each(['data', 'hive', '2026-11-26', '2026-02-31T00-00Z', '2026-11-26T24-00Z', '2026-11-26T04-07'])(
    'is not a dated folder: %s',
    (name) => {
      expect(folderTime(name)).toBeUndefined();
    },
  );
});
