import { describe, expect, it } from 'vitest';
import { normalizeConfiguration } from '../../../../../lib/core/inventory/normalizeConfiguration.js';
import type { InventoryConfiguration } from '../../../../../lib/core/inventory/types.js';
import type { InventoryPort } from '../../../../../lib/core/reconcile/ports.js';
import { makeConfiguration, makeKmsConfiguration } from '../../../../helpers/factories.js';

/** What the contract needs from one implementation of InventoryPort. */
export interface InventoryPortSubject {
  port: InventoryPort;
  /** Creates a bucket with no configurations and returns its name. */
  newBucket(): Promise<string>;
  /** A bucket name that does not exist. */
  missingBucket(): string;
  /** Runs `task` over every item, as fast as the implementation can take it. */
  forEach?<T>(items: T[], task: (item: T) => Promise<unknown>): Promise<void>;
}

/** The AWS error code a port error carries: our adapters put it in `code`, the memory fake in `name`. */
export function errorCode(error: unknown): string | undefined {
  const value = error as { code?: unknown; name?: unknown } | undefined;
  return typeof value?.code === 'string'
    ? value.code
    : typeof value?.name === 'string'
      ? value.name
      : undefined;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to reject');
}

const same = (configuration: InventoryConfiguration | undefined) =>
  configuration === undefined ? undefined : normalizeConfiguration(configuration);

/** Zero-padded so that S3's Id order (ascending) is the numeric order. */
const idOf = (n: number) => `inv-${String(n).padStart(3, '0')}`;

/**
 * The behaviour every InventoryPort must have (docs/aws-facts.md §1), run against the memory fake and against
 * S3InventoryAdapter on the local AWS, so the fake the core is tested with cannot drift from AWS.
 */
export function describeInventoryPortContract(name: string, subject: () => InventoryPortSubject): void {
  const serial = async <T>(items: T[], task: (item: T) => Promise<unknown>) => {
    for (const item of items) await task(item);
  };
  const forEach = <T>(items: T[], task: (item: T) => Promise<unknown>) =>
    (subject().forEach ?? serial)(items, task);

  describe(`InventoryPort contract: ${name}`, () => {
    it('lists a bucket without configurations as []', async () => {
      const { port, newBucket } = subject();
      await expect(port.list(await newBucket())).resolves.toEqual([]);
    });

    it('puts and gets a configuration back as it was written', async () => {
      const { port, newBucket } = subject();
      const bucket = await newBucket();
      const configuration = makeConfiguration({ Id: 'daily', Filter: { Prefix: 'logs/' } });
      await port.put(bucket, configuration);
      expect(same(await port.get(bucket, 'daily'))).toEqual(same(configuration));
      expect((await port.list(bucket)).map(same)).toEqual([same(configuration)]);
    });

    it('round-trips SSE-S3 and SSE-KMS encryption and the destination account', async () => {
      const { port, newBucket } = subject();
      const bucket = await newBucket();
      const base = makeConfiguration({ Id: 'sse-s3' });
      const sseS3: InventoryConfiguration = {
        ...base,
        Destination: {
          S3BucketDestination: {
            ...base.Destination!.S3BucketDestination!,
            AccountId: '111122223333',
            Encryption: { SSES3: {} },
          },
        },
      };
      const sseKms = makeKmsConfiguration(undefined, { Id: 'sse-kms', IncludedObjectVersions: 'All' });
      await port.put(bucket, sseS3);
      await port.put(bucket, sseKms);
      expect(same(await port.get(bucket, 'sse-s3'))).toEqual(same(sseS3));
      expect(same(await port.get(bucket, 'sse-kms'))).toEqual(same(sseKms));
    });

    it('returns undefined for an Id the bucket does not have', async () => {
      const { port, newBucket } = subject();
      await expect(port.get(await newBucket(), 'absent')).resolves.toBeUndefined();
    });

    it('replaces a configuration put again with the same Id (upsert)', async () => {
      const { port, newBucket } = subject();
      const bucket = await newBucket();
      await port.put(bucket, makeConfiguration({ Id: 'one' }));
      const changed = makeConfiguration({ Id: 'one', IsEnabled: false, Schedule: { Frequency: 'Weekly' } });
      await port.put(bucket, changed);
      expect((await port.list(bucket)).map(same)).toEqual([same(changed)]);
    });

    it('puts, lists (every page, by Id) and deletes 250 configurations', async () => {
      const { port, newBucket } = subject();
      const bucket = await newBucket();
      const ids = Array.from({ length: 250 }, (_, n) => idOf(n));
      await forEach([...ids].reverse(), (id) => port.put(bucket, makeConfiguration({ Id: id })));
      const listed = await port.list(bucket);
      expect(listed.map((configuration) => configuration.Id)).toEqual(ids);
      expect(same(listed[137])).toEqual(same(makeConfiguration({ Id: idOf(137) })));
      await forEach(ids, (id) => port.delete(bucket, id));
      await expect(port.list(bucket)).resolves.toEqual([]);
    });

    it('deletes only the configuration named', async () => {
      const { port, newBucket } = subject();
      const bucket = await newBucket();
      await port.put(bucket, makeConfiguration({ Id: 'keep' }));
      await port.put(bucket, makeConfiguration({ Id: 'drop' }));
      await port.delete(bucket, 'drop');
      expect((await port.list(bucket)).map((configuration) => configuration.Id)).toEqual(['keep']);
      await expect(port.get(bucket, 'drop')).resolves.toBeUndefined();
    });

    it('rejects deleting an Id the bucket does not have with NoSuchConfiguration', async () => {
      const { port, newBucket } = subject();
      expect(errorCode(await rejection(port.delete(await newBucket(), 'absent')))).toBe(
        'NoSuchConfiguration',
      );
    });

    it('rejects every call on a bucket that does not exist with NoSuchBucket', async () => {
      const { port, missingBucket } = subject();
      const bucket = missingBucket();
      expect(errorCode(await rejection(port.list(bucket)))).toBe('NoSuchBucket');
      expect(errorCode(await rejection(port.get(bucket, 'any')))).toBe('NoSuchBucket');
      expect(errorCode(await rejection(port.put(bucket, makeConfiguration())))).toBe('NoSuchBucket');
    });
  });
}
