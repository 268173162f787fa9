import { describe, expect, it } from 'vitest';
import { deliveryCause } from '../../../../lib/core/delivery/deliveryCause.js';
import type { DesiredConfiguration } from '../../../../lib/core/reconcile/desiredConfigurations.js';
import { makeConfiguration, makeKmsConfiguration } from '../../../helpers/factories.js';
import {
  destinationWithPolicy,
  KEY_ARN,
  makeBucketFacts,
  makeDestinationFacts,
  makeKeyFacts,
  makePolicy,
  ourDestinationGrant,
  ourKeyGrant,
  rootStatement,
  SOURCE_BUCKET,
} from '../../../helpers/reconcileFactories.js';

const configuration = makeConfiguration();
const desired: DesiredConfiguration = { id: 'daily-csv', configuration, mode: 'detect' };
const granted = makeBucketFacts({ destinations: [destinationWithPolicy([ourDestinationGrant()])] });

describe('deliveryCause', () => {
  it('finds nothing when the configuration is on the bucket and every policy allows delivery', () => {
    expect(deliveryCause(desired, configuration, granted)).toBeUndefined();
  });

  it('names a configuration that is gone or disabled on the bucket', () => {
    expect(deliveryCause(desired, undefined, granted)).toBe(
      `configuration daily-csv is not on bucket ${SOURCE_BUCKET}`,
    );
    expect(deliveryCause(desired, { ...configuration, IsEnabled: false }, granted)).toBe(
      `configuration daily-csv is disabled on bucket ${SOURCE_BUCKET}`,
    );
  });

  it('names a destination policy that no longer allows delivery', () => {
    const facts = makeBucketFacts({ destinations: [makeDestinationFacts()] });
    expect(deliveryCause(desired, configuration, facts)).toBe(
      `the destination bucket inventory-reports policy does not allow delivery from ${SOURCE_BUCKET} (configuration daily-csv)`,
    );
  });

  it('names a destination in another region, and a missing destination', () => {
    const moved = makeBucketFacts({
      destinations: [makeDestinationFacts('inventory-reports', { region: 'eu-west-1' })],
    });
    expect(deliveryCause(desired, configuration, moved)).toContain('is in eu-west-1, not in the source');
    const gone = makeBucketFacts({
      destinations: [makeDestinationFacts('inventory-reports', { exists: false })],
    });
    expect(deliveryCause(desired, configuration, gone)).toContain('does not exist');
  });

  it('names a disabled key, and a key whose grant was removed', () => {
    const kms = makeKmsConfiguration();
    const entry = { ...desired, configuration: kms };
    const destinations = [destinationWithPolicy([ourDestinationGrant()])];
    const disabled = makeBucketFacts({
      destinations,
      keys: [
        makeKeyFacts(KEY_ARN, {
          keyState: 'Disabled',
          policy: { state: 'present', document: makePolicy([rootStatement(), ourKeyGrant()]) },
        }),
      ],
    });
    expect(deliveryCause(entry, kms, disabled)).toContain('is Disabled, not Enabled');
    const ungranted = makeBucketFacts({ destinations, keys: [makeKeyFacts()] });
    expect(deliveryCause(entry, kms, ungranted)).toBe(
      `the KMS key ${KEY_ARN} policy does not allow delivery from ${SOURCE_BUCKET} (configuration daily-csv)`,
    );
  });
});
