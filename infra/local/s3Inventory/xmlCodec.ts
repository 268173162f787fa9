import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { escapeXml } from '../gateway/awsErrors.js';
import { S3_XMLNS } from './constants.js';
import { inventoryErrors } from './errors.js';
import type { InventoryPage, StoredInventoryConfiguration } from './types.js';

/**
 * A parsed XML element: its text (a leaf) or its children by name, each name with every occurrence
 * in document order, so that validation sees duplicates and does not depend on element order.
 */
export type XmlNode = string | XmlElement;
export interface XmlElement {
  [name: string]: XmlNode[] | string | undefined;
  '#text'?: string;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: () => true,
});

/**
 * Parses a request body into its root element. Not well-formed XML, or a document whose root is
 * not `rootName`, is S3's MalformedXML.
 */
export function parseXmlDocument(body: string, rootName: string): XmlNode {
  if (XMLValidator.validate(body) !== true) throw inventoryErrors.malformedXml();
  const document = parser.parse(body) as XmlElement;
  const roots = Object.keys(document).filter((name) => name !== '#text');
  const root = document[rootName];
  if (roots.length !== 1 || !Array.isArray(root) || root.length !== 1) throw inventoryErrors.malformedXml();
  return root[0]!;
}

const element = (name: string, content: string) => `<${name}>${content}</${name}>`;
const text = (name: string, value: string) => element(name, escapeXml(value));

function encryptionXml(
  encryption: StoredInventoryConfiguration['Destination']['S3BucketDestination']['Encryption'],
) {
  if (!encryption) return '';
  if ('SSES3' in encryption) return element('Encryption', '<SSE-S3/>');
  return element('Encryption', element('SSE-KMS', text('KeyId', encryption.SSEKMS.KeyId)));
}

/** The `<InventoryConfiguration>` element (members in the order of S3's documentation). */
export function configurationXml(configuration: StoredInventoryConfiguration, xmlns?: string): string {
  const destination = configuration.Destination.S3BucketDestination;
  const parts = [
    element(
      'Destination',
      element(
        'S3BucketDestination',
        (destination.AccountId !== undefined ? text('AccountId', destination.AccountId) : '') +
          text('Bucket', destination.Bucket) +
          text('Format', destination.Format) +
          (destination.Prefix !== undefined ? text('Prefix', destination.Prefix) : '') +
          encryptionXml(destination.Encryption),
      ),
    ),
    text('IsEnabled', String(configuration.IsEnabled)),
    configuration.Filter ? element('Filter', text('Prefix', configuration.Filter.Prefix)) : '',
    text('Id', configuration.Id),
    text('IncludedObjectVersions', configuration.IncludedObjectVersions),
    configuration.OptionalFields
      ? element('OptionalFields', configuration.OptionalFields.map((field) => text('Field', field)).join(''))
      : '',
    element('Schedule', text('Frequency', configuration.Schedule.Frequency)),
  ];
  const open = xmlns ? `<InventoryConfiguration xmlns="${xmlns}">` : '<InventoryConfiguration>';
  return `${open}${parts.join('')}</InventoryConfiguration>`;
}

const declaration = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** The body of GetBucketInventoryConfiguration. */
export function getResultXml(configuration: StoredInventoryConfiguration): string {
  return declaration + configurationXml(configuration, S3_XMLNS);
}

/**
 * The body of ListBucketInventoryConfigurations: the echoed `ContinuationToken`, the configurations
 * as flattened `InventoryConfiguration` elements, `IsTruncated`, and `NextContinuationToken` only
 * when truncated (docs/aws-facts.md §1, List and pagination).
 */
export function listResultXml(page: InventoryPage): string {
  return (
    `${declaration}<ListInventoryConfigurationsResult xmlns="${S3_XMLNS}">` +
    (page.continuationToken !== undefined ? text('ContinuationToken', page.continuationToken) : '') +
    page.configurations.map((configuration) => configurationXml(configuration)).join('') +
    text('IsTruncated', String(page.isTruncated)) +
    (page.nextContinuationToken !== undefined
      ? text('NextContinuationToken', page.nextContinuationToken)
      : '') +
    '</ListInventoryConfigurationsResult>'
  );
}
