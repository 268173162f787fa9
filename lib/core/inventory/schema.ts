// A namespace import, as everywhere: `import { z } from 'zod/mini'` would bundle all of zod (see schemaParts.ts).
import * as z from 'zod/mini';
import { isRecord } from '../json/isRecord.js';
import { bucketArnProblems, bucketNameFromArn } from './bucketArn.js';
import { kmsKeyArnProblems, kmsKeyPartition } from './kmsKeyArn.js';
import { describeValue, expecting, oneOf, unknownFieldMessage } from './messages.js';
import {
  InventoryFormat,
  InventoryFrequency,
  InventoryIncludedObjectVersions,
  InventoryOptionalField,
} from './s3Inventory.js';
import { always, reportEach, strictObject as strictObjectOf } from './schemaParts.js';
import type { InventoryConfiguration } from './types.js';

const MAX_ID_LENGTH = 64;
/** An S3 object key is at most 1024 bytes of UTF-8; both prefixes are key prefixes. */
const MAX_PREFIX_BYTES = 1024;

/** A strict object: an unknown member (a typo such as `IsEnable`) is an issue, not silently dropped. */
function strictObject<Shape extends z.core.$ZodLooseShape>(shape: Shape, expected = 'an object') {
  return strictObjectOf(shape, expected, unknownFieldMessage);
}

function enumOf<Values extends Record<string, string>>(values: Values) {
  return z.enum(values, { error: expecting(oneOf(Object.values(values))) });
}

function idProblems(id: string): string[] {
  const problems: string[] = [];
  if (id.length === 0) problems.push(`expected 1 to ${MAX_ID_LENGTH} characters, got ""`);
  if (id.length > MAX_ID_LENGTH) {
    problems.push(`expected at most ${MAX_ID_LENGTH} characters, got ${id.length} in ${describeValue(id)}`);
  }
  const refused = [...new Set(id.replace(/[A-Za-z0-9_.-]/g, ''))];
  if (refused.length > 0) {
    const shown = refused.map((character) => JSON.stringify(character)).join(', ');
    problems.push(`expected only letters, digits, "_", "." and "-", got ${describeValue(id)} (${shown})`);
  }
  return problems;
}

function prefixProblems(prefix: string): string[] {
  const bytes = Buffer.byteLength(prefix, 'utf8');
  return bytes > MAX_PREFIX_BYTES
    ? [`expected at most ${MAX_PREFIX_BYTES} bytes of UTF-8 (an S3 key's limit), got ${bytes}`]
    : [];
}

function accountIdProblems(accountId: string): string[] {
  return /^\d{12}$/.test(accountId)
    ? []
    : [`expected a 12-digit AWS account ID, got ${describeValue(accountId)}`];
}

const keyPrefix = z.string({ error: expecting('a string') }).check(reportEach(prefixProblems));

const optionalFields = z
  .array(enumOf(InventoryOptionalField), { error: expecting('an array of field names') })
  .check(
    z.superRefine((fields, ctx) => {
      if (!Array.isArray(fields)) return;
      const firstIndex = new Map<unknown, number>();
      fields.forEach((field, index) => {
        const first = firstIndex.get(field);
        if (first === undefined) firstIndex.set(field, index);
        else {
          const message = `expected each field once, got ${describeValue(field)} again (also at OptionalFields[${first}])`;
          ctx.addIssue({ code: 'custom', message, path: [index], input: field });
        }
      });
    }, always),
  );

const encryption = strictObject({
  SSES3: z.optional(strictObject({}, 'an empty object {}')),
  SSEKMS: z.optional(
    strictObject({
      KeyId: z.string({ error: expecting('a KMS key ARN') }).check(reportEach(kmsKeyArnProblems)),
    }),
  ),
}).check(
  z.superRefine((value, ctx) => {
    if (isRecord(value) && value.SSES3 !== undefined && value.SSEKMS !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected at most one of SSES3 and SSEKMS, got both',
        input: value,
      });
    }
  }, always),
);

const s3BucketDestination = strictObject({
  AccountId: z.optional(
    z.string({ error: expecting('a 12-digit AWS account ID') }).check(reportEach(accountIdProblems)),
  ),
  Bucket: z
    .string({ error: expecting('a bucket ARN like arn:aws:s3:::my-bucket') })
    .check(reportEach(bucketArnProblems)),
  Format: enumOf(InventoryFormat),
  Prefix: z.optional(keyPrefix),
  Encryption: z.optional(encryption),
}).check(
  z.superRefine((value, ctx) => {
    const bucket = isRecord(value) && typeof value.Bucket === 'string' ? value.Bucket : undefined;
    const sseKms = isRecord(value) && isRecord(value.Encryption) ? value.Encryption.SSEKMS : undefined;
    const keyId = isRecord(sseKms) && typeof sseKms.KeyId === 'string' ? sseKms.KeyId : undefined;
    if (bucket === undefined || keyId === undefined || bucketNameFromArn(bucket) === undefined) return;
    const bucketPartition = bucket.split(':')[1];
    const keyPartition = kmsKeyPartition(keyId);
    if (keyPartition !== undefined && keyPartition !== bucketPartition) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a key in the destination bucket's partition "${bucketPartition}", got partition "${keyPartition}"`,
        path: ['Encryption', 'SSEKMS', 'KeyId'],
        input: keyId,
      });
    }
  }, always),
);

const configuration = strictObject(
  {
    Destination: strictObject({ S3BucketDestination: s3BucketDestination }),
    IsEnabled: z.boolean({ error: expecting('true or false') }),
    Filter: z.optional(strictObject({ Prefix: z.optional(keyPrefix) })),
    Id: z
      .string({ error: expecting(`an Id of 1 to ${MAX_ID_LENGTH} letters, digits, "_", "." or "-"`) })
      .check(reportEach(idProblems)),
    IncludedObjectVersions: enumOf(InventoryIncludedObjectVersions),
    OptionalFields: z.optional(optionalFields),
    Schedule: strictObject({ Frequency: enumOf(InventoryFrequency) }),
  },
  'an inventory configuration object',
);

/**
 * The S3 API `InventoryConfiguration` (PascalCase, as `aws s3api get-bucket-inventory-configuration` prints it),
 * with the rules S3 enforces and those it should (docs/aws-facts.md §1). Every message says what was expected and got.
 */
// The SDK types `Filter.Prefix` as required (`string | undefined`) while S3 takes `<Filter/>`, hence the cast.
export const inventoryConfigurationSchema = configuration as z.ZodMiniType<InventoryConfiguration>;
