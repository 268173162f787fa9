import {
  InventoryFormat,
  InventoryFrequency,
  InventoryIncludedObjectVersions,
  InventoryOptionalField,
} from '@aws-sdk/client-s3';
import { INVENTORY_ID_PATTERN } from './constants.js';
import { inventoryErrors } from './errors.js';
import type { StoredInventoryConfiguration, StoredS3BucketDestination } from './types.js';
import type { XmlElement, XmlNode } from './xmlCodec.js';

// Enumerations come from the SDK's own model, never a hand-written copy (docs/aws-facts.md §1, Shape).
const formats: readonly string[] = Object.values(InventoryFormat);
const frequencies: readonly string[] = Object.values(InventoryFrequency);
const objectVersions: readonly string[] = Object.values(InventoryIncludedObjectVersions);
const optionalFields: readonly string[] = Object.values(InventoryOptionalField);

/** The children of an element that may hold only the named elements (and whitespace). */
function container(node: XmlNode, allowed: readonly string[]): XmlElement {
  if (typeof node === 'string') {
    if (node.trim() !== '') throw inventoryErrors.malformedXml();
    return {};
  }
  for (const [name, value] of Object.entries(node)) {
    if (name === '#text' ? String(value).trim() !== '' : !allowed.includes(name))
      throw inventoryErrors.malformedXml();
  }
  return node;
}

function optional(parent: XmlElement, name: string): XmlNode | undefined {
  const nodes = parent[name];
  if (nodes === undefined) return undefined;
  if (!Array.isArray(nodes) || nodes.length !== 1) throw inventoryErrors.malformedXml();
  return nodes[0];
}

function required(parent: XmlElement, name: string): XmlNode {
  const node = optional(parent, name);
  if (node === undefined) throw inventoryErrors.malformedXml();
  return node;
}

function leaf(node: XmlNode): string {
  if (typeof node !== 'string') throw inventoryErrors.malformedXml();
  return node;
}

function oneOf(node: XmlNode, allowed: readonly string[]): string {
  const value = leaf(node);
  if (!allowed.includes(value)) throw inventoryErrors.malformedXml();
  return value;
}

function encryption(node: XmlNode): StoredS3BucketDestination['Encryption'] {
  const element = container(node, ['SSE-S3', 'SSE-KMS']);
  const sseS3 = optional(element, 'SSE-S3');
  const sseKms = optional(element, 'SSE-KMS');
  if ((sseS3 === undefined) === (sseKms === undefined)) throw inventoryErrors.malformedXml();
  if (sseS3 !== undefined) {
    container(sseS3, []);
    return { SSES3: {} };
  }
  const keyId = leaf(required(container(sseKms!, ['KeyId']), 'KeyId'));
  if (keyId === '') throw inventoryErrors.malformedXml();
  return { SSEKMS: { KeyId: keyId } };
}

function s3BucketDestination(node: XmlNode): StoredS3BucketDestination {
  const element = container(node, ['AccountId', 'Bucket', 'Format', 'Prefix', 'Encryption']);
  const accountId = optional(element, 'AccountId');
  const prefix = optional(element, 'Prefix');
  const encrypted = optional(element, 'Encryption');
  return {
    ...(accountId !== undefined ? { AccountId: leaf(accountId) } : {}),
    Bucket: leaf(required(element, 'Bucket')),
    Format: oneOf(required(element, 'Format'), formats),
    ...(prefix !== undefined ? { Prefix: leaf(prefix) } : {}),
    ...(encrypted !== undefined ? { Encryption: encryption(encrypted) } : {}),
  };
}

function isEnabled(node: XmlNode): boolean {
  return oneOf(node, ['true', 'false']) === 'true';
}

const members = [
  'Destination',
  'IsEnabled',
  'Filter',
  'Id',
  'IncludedObjectVersions',
  'OptionalFields',
  'Schedule',
];

/**
 * Turns a parsed `<InventoryConfiguration>` into the stored model, or throws MalformedXML for any
 * missing required element, unknown or repeated element, bad enum value or bad Id (docs/aws-facts.md §1).
 * The destination ARN is checked separately ({@link checkDestinationArn}), after the Id match.
 */
export function toConfiguration(root: XmlNode): StoredInventoryConfiguration {
  const element = container(root, members);
  const id = leaf(required(element, 'Id'));
  if (!INVENTORY_ID_PATTERN.test(id)) throw inventoryErrors.malformedXml();
  const filter = optional(element, 'Filter');
  const fields = optional(element, 'OptionalFields');
  const fieldNodes =
    fields === undefined ? undefined : (container(fields, ['Field']).Field as XmlNode[] | undefined);
  return {
    Id: id,
    IsEnabled: isEnabled(required(element, 'IsEnabled')),
    IncludedObjectVersions: oneOf(required(element, 'IncludedObjectVersions'), objectVersions),
    Schedule: {
      Frequency: oneOf(
        required(container(required(element, 'Schedule'), ['Frequency']), 'Frequency'),
        frequencies,
      ),
    },
    Destination: {
      S3BucketDestination: s3BucketDestination(
        required(container(required(element, 'Destination'), ['S3BucketDestination']), 'S3BucketDestination'),
      ),
    },
    ...(filter !== undefined
      ? { Filter: { Prefix: leaf(required(container(filter, ['Prefix']), 'Prefix')) } }
      : {}),
    ...(fields !== undefined
      ? { OptionalFields: (fieldNodes ?? []).map((node) => oneOf(node, optionalFields)) }
      : {}),
  };
}

/**
 * The destination must be a bucket ARN without account (or region): `arn:aws:s3:::dest`.
 * Not an ARN → "Invalid bucket ARN."; an account in it → "Bucket ARN should not specify a namespace."
 */
export function checkDestinationArn(bucketArn: string): void {
  const match = bucketArn.match(
    /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):s3:([^:]*):([^:]*):([^:/]+)$/,
  );
  if (!match) throw inventoryErrors.invalidBucketArn();
  const [, , region, account, bucket] = match;
  if (account !== '') throw inventoryErrors.bucketArnWithNamespace();
  if (region !== '' || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket!))
    throw inventoryErrors.invalidBucketArn();
}
