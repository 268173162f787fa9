import { createHash } from 'node:crypto';
import type { ReportLocation, ReportReader } from '../../../../lib/usecases/deliveryCheck/ports.js';

/** An in-memory destination: objects by bucket and key, with the calls made (for cost assertions). */
export class MemoryReports implements ReportReader {
  readonly objects = new Map<string, string>();
  readonly calls: string[] = [];

  put(bucket: string, key: string, body: string): void {
    this.objects.set(`${bucket}/${key}`, body);
  }

  delete(bucket: string, key: string): void {
    this.objects.delete(`${bucket}/${key}`);
  }

  /** A complete report as S3 writes it (docs/aws-facts.md §4); returns the manifest text. */
  deliver(options: {
    bucket: string;
    base: string;
    folder: string;
    source: string;
    destinationArn?: string;
    format?: string;
    files?: { key: string; body: string }[];
  }): string {
    const files = options.files ?? [{ key: `${options.base}data/one.csv.gz`, body: 'rows' }];
    for (const file of files) this.put(options.bucket, file.key, file.body);
    const manifest = JSON.stringify({
      sourceBucket: options.source,
      destinationBucket: options.destinationArn ?? `arn:aws:s3:::${options.bucket}`,
      version: '2016-11-30',
      creationTimestamp: '0',
      fileFormat: options.format ?? 'CSV',
      fileSchema: 'Bucket, Key',
      files: files.map((file) => ({ key: file.key, size: file.body.length, MD5checksum: 'x' })),
    });
    this.put(options.bucket, `${options.base}${options.folder}/manifest.json`, manifest);
    this.put(
      options.bucket,
      `${options.base}${options.folder}/manifest.checksum`,
      createHash('md5').update(manifest).digest('hex'),
    );
    return manifest;
  }

  async listFolders(location: ReportLocation, base: string, startAfter?: string): Promise<string[]> {
    this.calls.push(`list ${location.bucket}/${base}${startAfter ? ` after ${startAfter}` : ''}`);
    const folders = new Set<string>();
    for (const path of this.objects.keys()) {
      const key = path.slice(location.bucket.length + 1);
      if (!path.startsWith(`${location.bucket}/`) || !key.startsWith(base)) continue;
      if (startAfter !== undefined && key <= startAfter) continue;
      const rest = key.slice(base.length);
      if (rest.includes('/')) folders.add(rest.slice(0, rest.indexOf('/')));
    }
    return [...folders].sort();
  }

  async readText(location: ReportLocation, key: string): Promise<string | undefined> {
    this.calls.push(`get ${location.bucket}/${key}`);
    return this.objects.get(`${location.bucket}/${key}`);
  }

  async objectSize(location: ReportLocation, key: string): Promise<number | undefined> {
    this.calls.push(`head ${location.bucket}/${key}`);
    return this.objects.get(`${location.bucket}/${key}`)?.length;
  }
}
