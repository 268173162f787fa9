import { unknownFieldMessage } from '../inventory/messages.js';

/**
 * Names people reach for instead of the file's own members: `aws s3api list-bucket-inventory-configurations`
 * prints `InventoryConfigurationList`, and the singular is a natural slip.
 */
const ALIASES: Record<string, string> = {
  inventory: 'inventories',
  inventoryconfiguration: 'inventories',
  inventoryconfigurations: 'inventories',
  inventoryconfigurationlist: 'inventories',
  configurations: 'inventories',
  bucket: 'buckets',
  template: 'templates',
  default: 'defaults',
  tag: 'tags',
  name: 'names',
  accountid: 'account',
};

/** The reason for an unknown member of the file's own objects, with a "did you mean" for typos and aliases. */
export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const alias = ALIASES[key.toLowerCase()];
  if (alias !== undefined && alias !== key && known.includes(alias)) {
    return `unknown field; did you mean "${alias}"?`;
  }
  return unknownFieldMessage(key, known);
}
