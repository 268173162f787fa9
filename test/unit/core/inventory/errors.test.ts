import { describe, expect, it } from 'vitest';
import {
  ConfigurationIdError,
  InvalidConfigurationError,
  InventoryError,
} from '../../../../lib/core/inventory/errors.js';

describe('InvalidConfigurationError', () => {
  it('carries the issues and lists them in its message', () => {
    const issues = [
      { path: 'IsEnabled', message: 'expected true or false, got "true"' },
      { path: '', message: 'expected an inventory configuration object, got null' },
    ];
    const cause = new Error('underlying');

    const error = new InvalidConfigurationError(issues, { cause });

    expect(error).toBeInstanceOf(InventoryError);
    expect(error.name).toBe('InvalidConfigurationError');
    expect(error.issues).toBe(issues);
    expect(error.cause).toBe(cause);
    expect(error.message).toBe(
      'invalid inventory configuration:\n' +
        '  IsEnabled: expected true or false, got "true"\n' +
        '  (root): expected an inventory configuration object, got null',
    );
  });
});

describe('ConfigurationIdError', () => {
  it('names the side, the position and the Id', () => {
    const error = new ConfigurationIdError('desired', 2, 'daily-csv');

    expect(error).toBeInstanceOf(InventoryError);
    expect(error).toMatchObject({ name: 'ConfigurationIdError', side: 'desired', index: 2, id: 'daily-csv' });
    expect(error.message).toBe('desired configuration [2] repeats the Id "daily-csv"');
  });
});

describe('InventoryError', () => {
  it('sets its name', () => {
    expect(new InventoryError('x').name).toBe('InventoryError');
  });
});
