import type { PolicyDocument, PolicyStatement } from './types.js';

/** The statements of a document as a list, whether `Statement` is one object or an array. */
export function statementsOf(document: PolicyDocument): PolicyStatement[] {
  const { Statement: statement } = document;
  if (statement === undefined) return [];
  return Array.isArray(statement) ? statement : [statement];
}

/** A policy member given as a scalar or a list, as a list. */
export function toArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
