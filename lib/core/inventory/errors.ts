import type { ValidationIssue } from './types.js';
import { formatIssue } from './validateConfiguration.js';

/** The base of every error lib/inventory throws. */
export class InventoryError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InventoryError';
  }
}

/** A configuration failed validation; `issues` holds every reason, as `validateConfiguration` reports them. */
export class InvalidConfigurationError extends InventoryError {
  readonly issues: ValidationIssue[];

  constructor(issues: ValidationIssue[], options?: ErrorOptions) {
    super(
      `invalid inventory configuration:\n${issues.map((issue) => `  ${formatIssue(issue)}`).join('\n')}`,
      options,
    );
    this.name = 'InvalidConfigurationError';
    this.issues = issues;
  }
}

/** A list of configurations cannot be matched by Id: one has no Id, or two share one. */
export class ConfigurationIdError extends InventoryError {
  readonly side: 'desired' | 'actual';
  readonly index: number;
  readonly id: string | undefined;

  constructor(side: 'desired' | 'actual', index: number, id: string | undefined) {
    super(
      id === undefined
        ? `${side} configuration [${index}] has no Id`
        : `${side} configuration [${index}] repeats the Id ${JSON.stringify(id)}`,
    );
    this.name = 'ConfigurationIdError';
    this.side = side;
    this.index = index;
    this.id = id;
  }
}
