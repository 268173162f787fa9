import { describe, expect, it } from 'vitest';
import { findNewestReport } from '../../../../lib/usecases/deliveryCheck/findNewestReport.js';
import { MemoryReports } from './memoryReports.js';

const base = 'inv/photos/daily/';
const now = new Date('2026-11-26T12:00:00Z');
const options = {
  location: { bucket: 'reports' },
  base,
  expected: { sourceBucket: 'photos', destinationArn: 'arn:aws:s3:::reports', format: 'CSV' },
  now,
  recentSince: new Date('2026-11-23T12:00:00Z'),
};
const deliver = (reports: MemoryReports, folder: string, extra = {}) =>
  reports.deliver({ bucket: 'reports', base, folder, source: 'photos', ...extra });

describe('findNewestReport', () => {
  it('verifies the newest complete report with one list, two gets and a head per file', async () => {
    const reports = new MemoryReports();
    deliver(reports, '2026-11-24T00-00Z');
    deliver(reports, '2026-11-25T00-00Z', {
      files: [{ key: `${base}data/new.csv.gz`, body: 'newest rows' }],
    });
    const newest = await findNewestReport(reports, options);
    expect(newest).toEqual({
      time: new Date('2026-11-25T00:00:00Z'),
      folder: '2026-11-25T00-00Z',
      problems: [],
    });
    expect(reports.calls).toEqual([
      `list reports/${base} after ${base}2026-11-23T12-00Z`,
      `get reports/${base}2026-11-25T00-00Z/manifest.checksum`,
      `get reports/${base}2026-11-25T00-00Z/manifest.json`,
      `head reports/${base}data/new.csv.gz`,
    ]);
  });

  it('passes over a folder still being written (no manifest.checksum yet)', async () => {
    const reports = new MemoryReports();
    deliver(reports, '2026-11-24T00-00Z');
    reports.put('reports', `${base}2026-11-25T00-00Z/manifest.json`, '{}');
    expect((await findNewestReport(reports, options))?.folder).toBe('2026-11-24T00-00Z');
  });

  it('lists the whole history only when nothing recent exists, to tell late from missing', async () => {
    const reports = new MemoryReports();
    deliver(reports, '2026-10-01T00-00Z');
    const newest = await findNewestReport(reports, options);
    expect(newest?.folder).toBe('2026-10-01T00-00Z');
    expect(reports.calls.filter((call) => call.startsWith('list'))).toEqual([
      `list reports/${base} after ${base}2026-11-23T12-00Z`,
      `list reports/${base}`,
    ]);
    expect(await findNewestReport(new MemoryReports(), options)).toBeUndefined();
  });

  it('ignores folders after `now` (a what-if in the past) and non-dated folders', async () => {
    const reports = new MemoryReports();
    deliver(reports, '2026-11-25T00-00Z');
    deliver(reports, '2026-11-27T00-00Z');
    reports.put('reports', `${base}hive/dt=2026-11-25-00-00/symlink.txt`, 's3://x');
    expect((await findNewestReport(reports, options))?.folder).toBe('2026-11-25T00-00Z');
  });

  it('names a listed file that is missing or has another size', async () => {
    const reports = new MemoryReports();
    deliver(reports, '2026-11-25T00-00Z', {
      files: [
        { key: `${base}data/a.csv.gz`, body: 'aaaa' },
        { key: `${base}data/b.csv.gz`, body: 'bbbb' },
      ],
    });
    reports.delete('reports', `${base}data/a.csv.gz`);
    reports.put('reports', `${base}data/b.csv.gz`, 'bb');
    expect((await findNewestReport(reports, options))?.problems).toEqual([
      `listed file ${base}data/a.csv.gz is missing`,
      `listed file ${base}data/b.csv.gz is 2 bytes, the manifest says 4`,
    ]);
  });

  it('reports a checksum without its manifest, and an overwritten checksum', async () => {
    const reports = new MemoryReports();
    reports.put('reports', `${base}2026-11-25T00-00Z/manifest.checksum`, 'abc');
    expect((await findNewestReport(reports, options))?.problems).toEqual([
      'manifest.checksum without manifest.json',
    ]);
    deliver(reports, '2026-11-25T06-00Z');
    reports.put('reports', `${base}2026-11-25T06-00Z/manifest.checksum`, '0123');
    const newest = await findNewestReport(reports, options);
    expect(newest?.folder).toBe('2026-11-25T06-00Z');
    expect(newest?.problems[0]).toMatch(
      /^manifest.checksum is "0123", but manifest.json's MD5 is [0-9a-f]{32}$/,
    );
  });

  it('gives up after more than two incomplete folders in a row', async () => {
    const reports = new MemoryReports();
    deliver(reports, '2026-11-24T00-00Z');
    for (const hour of ['01', '02', '03'])
      reports.put('reports', `${base}2026-11-25T${hour}-00Z/manifest.json`, '{}');
    expect(await findNewestReport(reports, options)).toBeUndefined();
  });
});
