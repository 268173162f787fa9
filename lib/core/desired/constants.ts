/** The only desired-state file format version this code reads. */
export const DESIRED_FILE_VERSION = 1;

/** Tag limits of AWS resource tags, in Unicode characters. */
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;

/** Template names are table sort keys and appear in `source`: the same alphabet and length as an inventory Id. */
export const MAX_TEMPLATE_NAME_LENGTH = 64;

/** The longest general purpose bucket name; a glob whose shortest match is longer can never match. */
export const MAX_BUCKET_NAME_LENGTH = 63;

/** `source` of a table item written from a desired-state file, e.g. `file:examples/inventory.yaml`. */
export function fileSource(fileName: string): string {
  return `file:${fileName}`;
}

/** `source` of a configuration a template gives to a bucket, e.g. `template:all-prod`. */
export function templateSource(templateName: string): string {
  return `template:${templateName}`;
}
