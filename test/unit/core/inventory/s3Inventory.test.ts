import type * as Sdk from '@aws-sdk/client-s3';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as Core from '../../../../lib/core/inventory/s3Inventory.js';

// `toEqualTypeOf` is checked both ways by `tsc --noEmit` (npm run typecheck): a member or enum value the SDK adds,
// drops or retypes makes this file fail to compile. The run-time `toEqual` checks against the SDK's objects catch
// the same drift when only vitest runs.
describe('lib/core/inventory/s3Inventory.ts', () => {
  it('declares the enums exactly as @aws-sdk/client-s3 does, as types', () => {
    expectTypeOf<typeof Core.InventoryFormat>().toEqualTypeOf<typeof Sdk.InventoryFormat>();
    expectTypeOf<typeof Core.InventoryFrequency>().toEqualTypeOf<typeof Sdk.InventoryFrequency>();
    expectTypeOf<typeof Core.InventoryIncludedObjectVersions>().toEqualTypeOf<
      typeof Sdk.InventoryIncludedObjectVersions
    >();
    expectTypeOf<typeof Core.InventoryOptionalField>().toEqualTypeOf<typeof Sdk.InventoryOptionalField>();
    expectTypeOf<Core.InventoryOptionalField>().toEqualTypeOf<Sdk.InventoryOptionalField>();
  });

  it('declares the configuration shape exactly as @aws-sdk/client-s3 does', () => {
    expectTypeOf<Core.InventoryConfiguration>().toEqualTypeOf<Sdk.InventoryConfiguration>();
    expectTypeOf<Core.InventoryDestination>().toEqualTypeOf<Sdk.InventoryDestination>();
    expectTypeOf<Core.InventoryS3BucketDestination>().toEqualTypeOf<Sdk.InventoryS3BucketDestination>();
    expectTypeOf<Core.InventoryEncryption>().toEqualTypeOf<Sdk.InventoryEncryption>();
    expectTypeOf<Core.InventorySSEKMS>().toEqualTypeOf<Sdk.SSEKMS>();
    expectTypeOf<Core.InventorySSES3>().toEqualTypeOf<Sdk.SSES3>();
    expectTypeOf<Core.InventoryFilter>().toEqualTypeOf<Sdk.InventoryFilter>();
    expectTypeOf<Core.InventorySchedule>().toEqualTypeOf<Sdk.InventorySchedule>();
  });

  it('holds the same enum values as the SDK at run time', async () => {
    const sdk = await import('@aws-sdk/client-s3');

    expect(Core.InventoryFormat).toEqual(sdk.InventoryFormat);
    expect(Core.InventoryFrequency).toEqual(sdk.InventoryFrequency);
    expect(Core.InventoryIncludedObjectVersions).toEqual(sdk.InventoryIncludedObjectVersions);
    expect(Core.InventoryOptionalField).toEqual(sdk.InventoryOptionalField);
  });
});
