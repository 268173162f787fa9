import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateConfiguration } from '../../../../lib/core/inventory/validateConfiguration.js';
import { arbConfiguration, arbConfigurationList } from '../../../helpers/inventoryArbitraries.js';

describe('arbConfiguration()', () => {
  it('generates only configurations that validateConfiguration accepts', () => {
    fc.assert(
      fc.property(arbConfiguration(), (configuration) => {
        expect(validateConfiguration(configuration)).toEqual({ ok: true, value: configuration });
      }),
      { numRuns: 300 },
    );
  });

  it('uses the Id arbitrary it is given', () => {
    fc.assert(
      fc.property(arbConfiguration({ id: fc.constant('fixed-id') }), (configuration) => {
        expect(configuration.Id).toBe('fixed-id');
      }),
    );
  });
});

describe('arbConfigurationList()', () => {
  it('generates valid configurations with unique Ids', () => {
    fc.assert(
      fc.property(arbConfigurationList(), (configurations) => {
        expect(new Set(configurations.map((configuration) => configuration.Id)).size).toBe(
          configurations.length,
        );
        expect(configurations.every((configuration) => validateConfiguration(configuration).ok)).toBe(true);
      }),
    );
  });
});
