import { createHash } from 'node:crypto';
import { isRecord } from '../json/isRecord.js';

/** What a report of this configuration must say about itself. */
export interface ExpectedReport {
  sourceBucket: string;
  /** The configuration's destination ARN, as S3 writes it into the manifest. */
  destinationArn: string;
  /** `CSV`, `ORC` or `Parquet`. */
  format: string;
}

/** One data file the manifest lists. */
export interface ManifestFile {
  key: string;
  size: number;
}

/** The outcome of checking manifest.json against manifest.checksum and the configuration. */
export interface ManifestCheck {
  /** The files to look for; empty when the manifest could not be read. */
  files: ManifestFile[];
  /** One line each; empty when the manifest is sound. */
  problems: string[];
}

/**
 * Verifies a report's manifest (docs/aws-facts.md §4): its MD5 equals `manifest.checksum`, and `sourceBucket`,
 * `destinationBucket` and `fileFormat` match the configuration. Pure: the caller fetched both objects.
 */
export function verifyManifest(
  manifestText: string,
  checksumText: string,
  expected: ExpectedReport,
): ManifestCheck {
  const problems: string[] = [];
  const md5 = createHash('md5').update(manifestText).digest('hex');
  const checksum = checksumText.trim().toLowerCase();
  if (checksum !== md5) {
    problems.push(`manifest.checksum is ${JSON.stringify(cut(checksum))}, but manifest.json's MD5 is ${md5}`);
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(manifestText);
  } catch {
    return { files: [], problems: [...problems, 'manifest.json is not JSON'] };
  }
  if (!isRecord(manifest))
    return { files: [], problems: [...problems, 'manifest.json is not a JSON object'] };
  const field = (name: string, want: string) => {
    if (manifest[name] !== want) {
      problems.push(
        `manifest ${name} is ${JSON.stringify(manifest[name])}, expected ${JSON.stringify(want)}`,
      );
    }
  };
  field('sourceBucket', expected.sourceBucket);
  field('destinationBucket', expected.destinationArn);
  field('fileFormat', expected.format);
  const files = manifestFiles(manifest.files);
  if (files === undefined) problems.push('manifest files is not a list of {key, size}');
  return { files: files ?? [], problems };
}

function manifestFiles(value: unknown): ManifestFile[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const files: ManifestFile[] = [];
  for (const entry of value) {
    if (!isRecord(entry) || typeof entry.key !== 'string' || typeof entry.size !== 'number') return undefined;
    files.push({ key: entry.key, size: entry.size });
  }
  return files;
}

function cut(text: string): string {
  return text.length <= 64 ? text : `${text.slice(0, 61)}...`;
}
