import fc from 'fast-check';
import type { InventoryFilter } from '../../lib/core/inventory/s3Inventory.js';
import {
  InventoryFormat,
  InventoryFrequency,
  InventoryIncludedObjectVersions,
  InventoryOptionalField,
} from '../../lib/core/inventory/s3Inventory.js';
import type { InventoryConfiguration } from '../../lib/core/inventory/types.js';
import { makeConfiguration } from './factories.js';

const PARTITION_REGIONS = {
  aws: ['us-east-1', 'eu-west-1', 'ap-southeast-2'],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-west-1', 'us-gov-east-1'],
} as const;
type Partition = keyof typeof PARTITION_REGIONS;

/** A valid inventory configuration Id: 1–64 of `[A-Za-z0-9_.-]`. */
export const arbId = (): fc.Arbitrary<string> => fc.stringMatching(/^[A-Za-z0-9_.-]{1,64}$/);

/** A valid general purpose bucket name (labels of `[a-z0-9-]` joined by dots, none of the reserved forms). */
export const arbBucketName = (): fc.Arbitrary<string> =>
  fc
    .array(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/), { minLength: 1, maxLength: 4 })
    .map((labels) => labels.join('.'))
    .filter(
      (name) =>
        name.length >= 3 &&
        name.length <= 63 &&
        !/^\d+(\.\d+){3}$/.test(name) &&
        !/^(xn--|sthree-|amzn-s3-demo-)/.test(name) &&
        !/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name),
    );

/** A full KMS key ARN (single- or multi-Region key) in the partition. */
export const arbKmsKeyArn = (partition: Partition): fc.Arbitrary<string> =>
  fc
    .record({
      region: fc.constantFrom(...PARTITION_REGIONS[partition]),
      account: fc.stringMatching(/^\d{12}$/),
      keyId: fc.oneof(
        fc.uuid(),
        fc.stringMatching(/^[0-9a-f]{32}$/).map((hex) => `mrk-${hex}`),
      ),
    })
    .map(({ region, account, keyId }) => `arn:${partition}:kms:${region}:${account}:key/${keyId}`);

const arbPrefix = fc.string({ maxLength: 20 });

/** An S3BucketDestination; a KMS key is in the bucket's partition. Built once per partition (fast to sample). */
const arbBucketDestinationIn = (partition: Partition) =>
  fc.record(
    {
      AccountId: fc.stringMatching(/^\d{12}$/),
      Bucket: arbBucketName().map((name) => `arn:${partition}:s3:::${name}`),
      Format: fc.constantFrom(...Object.values(InventoryFormat)),
      Prefix: arbPrefix,
      Encryption: fc.oneof(
        fc.constant({}),
        fc.constant({ SSES3: {} }),
        arbKmsKeyArn(partition).map((KeyId) => ({ SSEKMS: { KeyId } })),
      ),
    },
    { requiredKeys: ['Bucket', 'Format'] },
  );

const arbDestination = fc.oneof(
  ...(Object.keys(PARTITION_REGIONS) as Partition[]).map((partition) => arbBucketDestinationIn(partition)),
);

/**
 * A valid configuration, as `validateConfiguration` accepts it, covering the optional members and their
 * empty forms (`Filter: {}`, `Prefix: ''`, `Encryption: {}`, OptionalFields in any order).
 */
export function arbConfiguration(
  options: { id?: fc.Arbitrary<string> } = {},
): fc.Arbitrary<InventoryConfiguration> {
  return fc
    .record(
      {
        Id: options.id ?? arbId(),
        IsEnabled: fc.boolean(),
        IncludedObjectVersions: fc.constantFrom(...Object.values(InventoryIncludedObjectVersions)),
        Schedule: fc.constantFrom(...Object.values(InventoryFrequency)).map((Frequency) => ({ Frequency })),
        Destination: arbDestination.map((S3BucketDestination) => ({ S3BucketDestination })),
        // S3 takes `<Filter/>`, though the SDK types Filter.Prefix as required.
        Filter: fc.oneof(
          fc.constant({} as InventoryFilter),
          arbPrefix.map((Prefix) => ({ Prefix })),
        ),
        OptionalFields: fc.shuffledSubarray(Object.values(InventoryOptionalField)),
      },
      { requiredKeys: ['Id', 'IsEnabled', 'IncludedObjectVersions', 'Schedule', 'Destination'] },
    )
    .map(({ Filter, OptionalFields, ...required }) => {
      // Drop the factory's default OptionalFields so that "absent" is generated too.
      const { OptionalFields: _defaultFields, ...base } = makeConfiguration(required);
      return { ...base, ...(Filter && { Filter }), ...(OptionalFields && { OptionalFields }) };
    });
}

/** Valid configurations with unique Ids, as one bucket can hold them. */
export function arbConfigurationList(
  options: { minLength?: number; maxLength?: number } = {},
): fc.Arbitrary<InventoryConfiguration[]> {
  return fc.uniqueArray(arbConfiguration(), {
    selector: (configuration) => configuration.Id,
    minLength: options.minLength ?? 0,
    maxLength: options.maxLength ?? 8,
  });
}
