import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { ReportLocation, ReportReader } from '../../usecases/deliveryCheck/ports.js';
import { NotFoundError } from './errors.js';
import { callAws } from './toAdapterError.js';

export interface S3ReportReaderOptions {
  /** The client for a destination: in its owner's account (assumed role) and its region. */
  clientFor(location: ReportLocation): Promise<Pick<S3Client, 'send'>>;
  /**
   * The owner sent as `ExpectedBucketOwner` when a location names no account (a destination in the home
   * account), e.g. `() => factory.homeAccount()`. Without it such a location is read without the check.
   */
  defaultOwner?: () => Promise<string>;
}

/**
 * Reads delivered inventory reports (docs/aws-facts.md §4): dated folders by ListObjectsV2 with delimiter `/`,
 * manifest text by GetObject, data files by HeadObject. A missing object is `undefined`, not an error.
 */
export class S3ReportReader implements ReportReader {
  private readonly options: S3ReportReaderOptions;

  constructor(options: S3ReportReaderOptions) {
    this.options = options;
  }

  /** No folders when the destination bucket does not exist: no report can be there. */
  async listFolders(location: ReportLocation, base: string, startAfter?: string): Promise<string[]> {
    try {
      return await this.listAll(location, base, startAfter);
    } catch (error) {
      if (error instanceof NotFoundError && error.resource === 'bucket') return [];
      throw error;
    }
  }

  private async listAll(location: ReportLocation, base: string, startAfter?: string): Promise<string[]> {
    const client = await this.options.clientFor(location);
    const owner = await this.owner(location);
    const folders: string[] = [];
    let token: string | undefined;
    do {
      const page = await callAws(`ListObjectsV2 ${location.bucket}/${base}`, () =>
        client.send(
          new ListObjectsV2Command({
            Bucket: location.bucket,
            Prefix: base,
            Delimiter: '/',
            ...(startAfter !== undefined && { StartAfter: startAfter }),
            ...(token !== undefined && { ContinuationToken: token }),
            ...owner,
          }),
        ),
      );
      for (const prefix of page.CommonPrefixes ?? []) {
        if (prefix.Prefix) folders.push(prefix.Prefix.slice(base.length).replace(/\/$/, ''));
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return folders;
  }

  async readText(location: ReportLocation, key: string): Promise<string | undefined> {
    const client = await this.options.clientFor(location);
    const owner = await this.owner(location);
    try {
      const output = await callAws(`GetObject ${location.bucket}/${key}`, () =>
        client.send(
          new GetObjectCommand({
            Bucket: location.bucket,
            Key: key,
            ...owner,
          }),
        ),
      );
      return (await output.Body?.transformToString('utf8')) ?? '';
    } catch (error) {
      if (error instanceof NotFoundError && error.resource !== 'bucket') return undefined;
      throw error;
    }
  }

  async objectSize(location: ReportLocation, key: string): Promise<number | undefined> {
    const client = await this.options.clientFor(location);
    const owner = await this.owner(location);
    try {
      const output = await callAws(`HeadObject ${location.bucket}/${key}`, () =>
        client.send(
          new HeadObjectCommand({
            Bucket: location.bucket,
            Key: key,
            ...owner,
          }),
        ),
      );
      return output.ContentLength ?? 0;
    } catch (error) {
      if (error instanceof NotFoundError && error.resource !== 'bucket') return undefined;
      throw error;
    }
  }

  /** `{ ExpectedBucketOwner }` of a location: its account, else the default owner, else none. */
  private async owner(location: ReportLocation): Promise<{ ExpectedBucketOwner?: string }> {
    const account = location.account ?? (await this.options.defaultOwner?.());
    return account === undefined ? {} : { ExpectedBucketOwner: account };
  }
}
