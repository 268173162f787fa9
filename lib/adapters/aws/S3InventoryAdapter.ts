import {
  DeleteBucketInventoryConfigurationCommand,
  GetBucketInventoryConfigurationCommand,
  ListBucketInventoryConfigurationsCommand,
  PutBucketInventoryConfigurationCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { InventoryConfiguration } from '../../core/inventory/types.js';
import type { InventoryPort } from '../../core/reconcile/ports.js';
import { clientOf } from './clientSource.js';
import { AwsAdapterError, NotFoundError } from './errors.js';
import { bucketOwnerInput, type ExpectedOwner } from './expectedOwner.js';
import { callAws } from './toAdapterError.js';
import type { ClientSource } from './types.js';

export type S3InventoryAdapterOptions = ClientSource<Pick<S3Client, 'send'>> & {
  /** Sent as `ExpectedBucketOwner` on every call: S3 answers 403 if the bucket changed hands. */
  expectedBucketOwner?: ExpectedOwner;
};

/**
 * InventoryPort over the S3 inventory API (docs/aws-facts.md §1). `list` follows every page itself: SDK v3 has
 * no paginator for ListBucketInventoryConfigurations.
 * @example
 * const inventory = new S3InventoryAdapter({ client: await factory.s3({ account, region }) });
 */
export class S3InventoryAdapter implements InventoryPort {
  private readonly options: S3InventoryAdapterOptions;

  constructor(options: S3InventoryAdapterOptions) {
    this.options = options;
  }

  /** Every configuration of the bucket, in the order S3 lists them (by Id). */
  async list(bucket: string): Promise<InventoryConfiguration[]> {
    const client = await clientOf(this.options, bucket);
    const owner = await this.owner(bucket);
    const configurations: InventoryConfiguration[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      const page = await callAws(`ListBucketInventoryConfigurations ${bucket}`, () =>
        client.send(new ListBucketInventoryConfigurationsCommand({ ...owner, ContinuationToken: token })),
      );
      // With no configurations the SDK output has no InventoryConfigurationList key at all.
      configurations.push(...(page.InventoryConfigurationList ?? []));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      if (page.IsTruncated && (token === undefined || seen.has(token))) {
        throw new AwsAdapterError({
          code: 'InvalidPagination',
          message: `ListBucketInventoryConfigurations ${bucket}: a truncated page gave ${token === undefined ? 'no' : 'a repeated'} NextContinuationToken`,
        });
      }
      if (token !== undefined) seen.add(token);
    } while (token !== undefined);
    return configurations;
  }

  /** The configuration, or `undefined` when the bucket has none with that Id (NoSuchConfiguration). */
  async get(bucket: string, id: string): Promise<InventoryConfiguration | undefined> {
    const client = await clientOf(this.options, bucket);
    const owner = await this.owner(bucket);
    try {
      const output = await callAws(`GetBucketInventoryConfiguration ${bucket} ${id}`, () =>
        client.send(new GetBucketInventoryConfigurationCommand({ ...owner, Id: id })),
      );
      return output.InventoryConfiguration;
    } catch (error) {
      if (error instanceof NotFoundError && error.resource === 'configuration') return undefined;
      throw error;
    }
  }

  /** Creates or replaces (upsert by Id) the configuration. */
  async put(bucket: string, configuration: InventoryConfiguration): Promise<void> {
    const client = await clientOf(this.options, bucket);
    const owner = await this.owner(bucket);
    await callAws(`PutBucketInventoryConfiguration ${bucket} ${configuration.Id}`, () =>
      client.send(
        new PutBucketInventoryConfigurationCommand({
          ...owner,
          Id: configuration.Id,
          InventoryConfiguration: configuration,
        }),
      ),
    );
  }

  /** @throws NotFoundError (`NoSuchConfiguration`) when there is no configuration with that Id. */
  async delete(bucket: string, id: string): Promise<void> {
    const client = await clientOf(this.options, bucket);
    const owner = await this.owner(bucket);
    await callAws(`DeleteBucketInventoryConfiguration ${bucket} ${id}`, () =>
      client.send(new DeleteBucketInventoryConfigurationCommand({ ...owner, Id: id })),
    );
  }

  private owner(bucket: string): Promise<{ Bucket: string; ExpectedBucketOwner?: string }> {
    return bucketOwnerInput(bucket, this.options.expectedBucketOwner);
  }
}
