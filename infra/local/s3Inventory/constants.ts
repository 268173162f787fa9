/** S3's XML namespace (docs/aws-facts.md §1). */
export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** Limits of docs/aws-facts.md §1 (List and pagination). */
export const INVENTORY_LIMITS = {
  pageSize: 100,
  perBucket: 1_000,
  /** Larger bodies are refused before parsing (a configuration is a few hundred bytes). */
  maxBodyBytes: 64 * 1024,
} as const;

/** At most 64 characters of [A-Za-z0-9_.-] (docs/aws-facts.md §1, Shape: seen enforced as MalformedXML). */
export const INVENTORY_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
