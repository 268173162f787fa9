import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { inventoryConfigurationSchema } from '../../../../lib/core/inventory/schema.js';
import { makeConfiguration } from '../../../helpers/factories.js';

describe('inventoryConfigurationSchema', () => {
  it('words its issues itself when embedded in another schema', () => {
    const file = z.object({ configurations: z.array(inventoryConfigurationSchema) });

    const result = file.safeParse({
      configurations: [
        { ...makeConfiguration(), IsEnable: true, Verison: 1, Schedule: { Frequency: 'daily' } },
      ],
    });

    expect(result.error?.issues.map(({ path, message }) => ({ path, message }))).toEqual([
      {
        path: ['configurations', 0, 'Schedule', 'Frequency'],
        message: 'expected Daily | Weekly, got "daily"',
      },
      {
        path: ['configurations', 0],
        message:
          '"IsEnable": unknown field; did you mean "IsEnabled"?; "Verison": unknown field; expected one of ' +
          'Destination, IsEnabled, Filter, Id, IncludedObjectVersions, OptionalFields, Schedule',
      },
    ]);
  });

  it('parses a valid configuration to an equal copy', () => {
    const configuration = makeConfiguration();

    expect(inventoryConfigurationSchema.parse(configuration)).toEqual(configuration);
  });
});
