import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DesiredStateFile } from '../../../../lib/core/desired/fileSchema.js';
import { formatFileError } from '../../../../lib/core/desired/formatFileError.js';
import { loadDesiredFile } from '../../../../lib/core/desired/loadDesiredFile.js';
import { resolveDesiredState } from '../../../../lib/core/desired/resolveTemplates.js';

const EXAMPLE = 'examples/inventory.yaml';
const text = readFileSync(new URL(`../../../../${EXAMPLE}`, import.meta.url), 'utf8');

function loadExample(): DesiredStateFile {
  const result = loadDesiredFile(text, EXAMPLE);
  if (!result.ok) throw new Error(result.errors.map(formatFileError).join('\n'));
  return result.file;
}

describe('examples/inventory.yaml', () => {
  it('references the generated schema for editors', () => {
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/desired-state.schema.json');
  });

  it('is valid', () => {
    expect(loadDesiredFile(text, EXAMPLE)).toMatchObject({ ok: true });
  });

  it('covers the shapes people need', () => {
    const file = loadExample();
    const all = [
      ...Object.values(file.buckets ?? {}).flatMap((entry) => entry.inventories ?? []),
      ...(file.templates ?? []).flatMap((template) => template.inventories),
    ];
    const destinations = all.map((inventory) => inventory.Destination!.S3BucketDestination!);
    expect(new Set(destinations.map((destination) => destination.Format))).toEqual(
      new Set(['CSV', 'ORC', 'Parquet']),
    );
    expect(destinations.some((destination) => destination.Encryption?.SSES3 !== undefined)).toBe(true);
    expect(
      destinations.some((destination) => destination.Encryption?.SSEKMS?.KeyId?.startsWith('arn:aws:kms:')),
    ).toBe(true);
    expect(destinations.some((destination) => destination.Prefix)).toBe(true);
    expect(all.some((inventory) => inventory.Filter?.Prefix)).toBe(true);
    expect(all.some((inventory) => inventory.IncludedObjectVersions === 'All')).toBe(true);
    expect(all.some((inventory) => inventory.Schedule?.Frequency === 'Weekly')).toBe(true);
    const fields = new Set(all.flatMap((inventory) => inventory.OptionalFields ?? []));
    for (const field of ['ObjectLockMode', 'ObjectLockRetainUntilDate', 'ObjectLockLegalHoldStatus']) {
      expect(fields.has(field as never), field).toBe(true);
    }
    const crossAccount = destinations.find((destination) => destination.AccountId !== undefined);
    expect(crossAccount?.Bucket).toMatch(/^arn:aws:s3:::[^:]+$/);
    const entries = Object.values(file.buckets ?? {});
    expect(entries.some((entry) => entry.prune === true)).toBe(true);
    expect(entries.some((entry) => entry.mode === 'detect')).toBe(true);
    expect(file.templates?.some((template) => template.match.tags !== undefined)).toBe(true);
    expect(file.templates?.some((template) => template.match.names !== undefined)).toBe(true);
    expect(file.templates?.some((template) => template.match.accounts?.[0]?.startsWith('ou-'))).toBe(true);
    expect(file.templates?.some((template) => template.match.regions !== undefined)).toBe(true);
  });

  it('resolves as its comments say', () => {
    const result = resolveDesiredState(loadExample(), [
      { name: 'photos-prod', tags: { env: 'prod' } },
      { name: 'web-prod', tags: { env: 'prod', team: 'web' } },
      { name: 'logs-web', tags: {} },
      { name: 'cdn-access-logs', tags: { env: 'prod' } },
      { name: 'scratch', tags: { env: 'dev' } },
    ]);
    expect(result.errors).toEqual([]);
    const summary = result.buckets.map((bucket) => ({
      bucket: bucket.bucket,
      mode: bucket.mode,
      prune: bucket.prune,
      items: bucket.items.map((item) => `${item.id}${item.mode ? ` (${item.mode})` : ''}`),
      ...(bucket.account && { account: bucket.account }),
      ...(bucket.region && { region: bucket.region }),
    }));
    expect(summary).toEqual([
      {
        bucket: 'cdn-access-logs',
        mode: 'enforce',
        prune: false,
        items: ['daily-csv', 'logs-weekly (detect)'],
      },
      { bucket: 'ledger-archive', mode: 'detect', prune: false, items: ['object-lock-audit'] },
      { bucket: 'logs-web', mode: 'enforce', prune: false, items: ['logs-weekly (detect)'] },
      {
        bucket: 'partner-exchange',
        mode: 'enforce',
        prune: false,
        items: ['partner-daily'],
        account: '444455556666',
        region: 'eu-west-1',
      },
      {
        bucket: 'photos-prod',
        mode: 'enforce',
        prune: true,
        items: ['daily-csv', 'weekly-parquet-versions'],
        region: 'us-east-1',
      },
      { bucket: 'web-prod', mode: 'enforce', prune: false, items: ['daily-csv'] },
    ]);
    // photos-prod's own daily-csv wins over the prod-baseline template's (Prefix "baseline").
    const photos = result.buckets.find((bucket) => bucket.bucket === 'photos-prod')!;
    expect(photos.items[0]!.configuration).toMatchObject({
      Destination: { S3BucketDestination: { Prefix: 'photos-prod' } },
    });
  });
});
