import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { InventoryOptionalField } from '@aws-sdk/client-s3';
import type { DeliveryPlan, ListedObject } from './types.js';

/** One object of a report, ready to put. */
export interface ReportObject {
  key: string;
  body: Buffer;
  contentType: string;
}

/** Every object of one report, in the order S3 writes them (manifest.checksum last: it marks completion). */
export interface ReportFiles {
  objects: ReportObject[];
  manifestKey: string;
}

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');
const pad = (n: number) => String(n).padStart(2, '0');

/** `2024-05-01T00-00Z` and `2024-05-01-00-00`: the dated folder and the Hive partition of docs/aws-facts.md §4. */
function reportTimes(now: Date): { folder: string; partition: string } {
  const date = `${now.getUTCFullYear()}-${pad(now.getUTCMonth() + 1)}-${pad(now.getUTCDate())}`;
  const [hours, minutes] = [pad(now.getUTCHours()), pad(now.getUTCMinutes())];
  return { folder: `${date}T${hours}-${minutes}Z`, partition: `${date}-${hours}-${minutes}` };
}

/**
 * The order of optional columns in a report: the service model's order (docs/aws-facts.md §1, botocore), which
 * is the order of S3's own reports; fields newer than that list follow in the SDK's order.
 */
const modelOrder = [
  'Size',
  'LastModifiedDate',
  'StorageClass',
  'ETag',
  'IsMultipartUploaded',
  'ReplicationStatus',
  'EncryptionStatus',
  'ObjectLockRetainUntilDate',
  'ObjectLockMode',
  'ObjectLockLegalHoldStatus',
  'IntelligentTieringAccessTier',
  'BucketKeyStatus',
  'ChecksumAlgorithm',
  'ObjectAccessControlList',
  'ObjectOwner',
  'LifecycleExpirationDate',
];
const columnOrder = [
  ...modelOrder,
  ...Object.values(InventoryOptionalField).filter((field) => !modelOrder.includes(field)),
];

/** The report's columns: Bucket, Key, the version columns for `All`, then the configured optional fields. */
function columns(plan: DeliveryPlan): string[] {
  const { IncludedObjectVersions, OptionalFields = [] } = plan.configuration;
  const versions = IncludedObjectVersions === 'All' ? ['VersionId', 'IsLatest', 'IsDeleteMarker'] : [];
  return ['Bucket', 'Key', ...versions, ...columnOrder.filter((field) => OptionalFields.includes(field))];
}

const snakeCase = (field: string) =>
  field.replace(/(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/g, '_').toLowerCase();
const typed = (field: string) =>
  field === 'Size' ? 'bigint' : /Date$/.test(field) ? 'timestamp' : /^Is/.test(field) ? 'boolean' : 'string';

/** `fileSchema` of the manifest, as S3 writes it for each format. */
function fileSchema(format: string, fields: string[]): string {
  if (format === 'CSV') return fields.join(', ');
  if (format === 'ORC') return `struct<${fields.map((f) => `${snakeCase(f)}:${typed(f)}`).join(',')}>`;
  const parquetType: Record<string, string> = {
    bigint: 'int64',
    timestamp: 'int64 (TIMESTAMP(MILLIS,true))',
    boolean: 'boolean',
    string: 'binary (STRING)',
  };
  const members = fields.map((f, i) => {
    const [type, annotation = ''] = parquetType[typed(f)]!.split(' ');
    return `${i < 2 ? 'required' : 'optional'} ${type} ${snakeCase(f)}${annotation ? ` ${annotation}` : ''};`;
  });
  return `message s3.inventory { ${members.join(' ')} }`;
}

function cell(field: string, bucket: string, object: ListedObject): string {
  const values: Record<string, string | undefined> = {
    Bucket: bucket,
    Key: encodeURIComponent(object.key).replace(/%2F/g, '/'),
    VersionId: object.versionId,
    IsLatest: object.isLatest === undefined ? undefined : String(object.isLatest),
    IsDeleteMarker: object.isDeleteMarker === undefined ? undefined : String(object.isDeleteMarker),
    Size: object.isDeleteMarker ? undefined : String(object.size),
    LastModifiedDate: object.lastModified?.toISOString(),
    ETag: object.eTag,
    StorageClass: object.storageClass,
    IsMultipartUploaded: String(object.eTag.includes('-')),
  };
  return `"${(values[field] ?? '').replace(/"/g, '""')}"`;
}

/** The data file: real gzipped CSV rows; ORC and Parquet only carry their magic bytes (placeholders). */
function dataFile(format: string, fields: string[], bucket: string, objects: ListedObject[]) {
  if (format === 'CSV') {
    const rows = objects.map((object) => fields.map((field) => cell(field, bucket, object)).join(','));
    return { extension: 'csv.gz', body: gzipSync(Buffer.from(rows.map((row) => `${row}\n`).join(''))) };
  }
  const note = Buffer.from(`placeholder ${format} written by the local AWS: ${objects.length} objects\n`);
  if (format === 'ORC') return { extension: 'orc', body: Buffer.concat([Buffer.from('ORC'), note]) };
  return { extension: 'parquet', body: Buffer.concat([Buffer.from('PAR1'), note, Buffer.from('PAR1')]) };
}

/**
 * The objects of one inventory report in the layout of docs/aws-facts.md §4: a data file under `data/`, the
 * Hive `symlink.txt`, and `manifest.json` with `manifest.checksum` (MD5 hex of manifest.json) in the
 * dated folder `{prefix}/{source}/{id}/YYYY-MM-DDTHH-MMZ/`.
 */
export function reportFiles(plan: DeliveryPlan, objects: ListedObject[], now: Date): ReportFiles {
  const { configuration, source, destination } = plan;
  const { Prefix: prefix, Format: format } = configuration.Destination.S3BucketDestination;
  const base = `${prefix ? `${prefix}/` : ''}${source.name}/${configuration.Id}`;
  const { folder, partition } = reportTimes(now);
  const fields = columns(plan);
  const data = dataFile(format, fields, source.name, objects);
  const dataKey = `${base}/data/${randomUUID()}.${data.extension}`;
  const manifest = Buffer.from(
    JSON.stringify(
      {
        sourceBucket: source.name,
        destinationBucket: plan.destinationArn,
        version: '2016-11-30',
        creationTimestamp: String(now.getTime()),
        fileFormat: format,
        fileSchema: fileSchema(format, fields),
        files: [{ key: dataKey, size: data.body.length, MD5checksum: md5(data.body) }],
      },
      null,
      2,
    ),
  );
  const manifestKey = `${base}/${folder}/manifest.json`;
  return {
    manifestKey,
    objects: [
      { key: dataKey, body: data.body, contentType: 'application/octet-stream' },
      {
        key: `${base}/hive/dt=${partition}/symlink.txt`,
        body: Buffer.from(`s3://${destination.name}/${dataKey}\n`),
        contentType: 'text/plain',
      },
      { key: manifestKey, body: manifest, contentType: 'application/json' },
      {
        key: `${base}/${folder}/manifest.checksum`,
        body: Buffer.from(md5(manifest)),
        contentType: 'text/plain',
      },
    ],
  };
}
