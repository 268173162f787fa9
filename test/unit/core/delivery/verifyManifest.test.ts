import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyManifest } from '../../../../lib/core/delivery/verifyManifest.js';

const expected = { sourceBucket: 'photos', destinationArn: 'arn:aws:s3:::reports', format: 'CSV' };
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

function manifestText(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    sourceBucket: 'photos',
    destinationBucket: 'arn:aws:s3:::reports',
    version: '2016-11-30',
    fileFormat: 'CSV',
    files: [{ key: 'inv/photos/daily/data/a.csv.gz', size: 12, MD5checksum: 'abc' }],
    ...overrides,
  });
}

describe('verifyManifest', () => {
  it('accepts a manifest that matches its checksum and the configuration, and lists its files', () => {
    const text = manifestText();
    expect(verifyManifest(text, `${md5(text)}\n`, expected)).toEqual({
      files: [{ key: 'inv/photos/daily/data/a.csv.gz', size: 12 }],
      problems: [],
    });
  });

  it('names a checksum that does not match the manifest', () => {
    const text = manifestText();
    const check = verifyManifest(text, 'deadbeef', expected);
    expect(check.problems).toEqual([
      `manifest.checksum is "deadbeef", but manifest.json's MD5 is ${md5(text)}`,
    ]);
  });

  it('names each field that differs from the configuration', () => {
    const text = manifestText({
      sourceBucket: 'other',
      fileFormat: 'ORC',
      destinationBucket: 'arn:aws:s3:::x',
    });
    expect(verifyManifest(text, md5(text), expected).problems).toEqual([
      'manifest sourceBucket is "other", expected "photos"',
      'manifest destinationBucket is "arn:aws:s3:::x", expected "arn:aws:s3:::reports"',
      'manifest fileFormat is "ORC", expected "CSV"',
    ]);
  });

  it('reports a manifest that is not JSON, or whose files are malformed', () => {
    expect(verifyManifest('{nope', md5('{nope'), expected).problems).toEqual(['manifest.json is not JSON']);
    expect(verifyManifest('[1]', md5('[1]'), expected).problems).toEqual([
      'manifest.json is not a JSON object',
    ]);
    const text = manifestText({ files: [{ key: 'a' }] });
    expect(verifyManifest(text, md5(text), expected).problems).toEqual([
      'manifest files is not a list of {key, size}',
    ]);
  });
});
