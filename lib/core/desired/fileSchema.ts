// A namespace import: `import { z } from 'zod/mini'` would bundle all of zod (lib/core/inventory/schemaParts.ts).
import * as z from 'zod/mini';
import { bucketNameProblems } from '../inventory/bucketArn.js';
import { describeValue, expecting, oneOf } from '../inventory/messages.js';
import { inventoryConfigurationSchema } from '../inventory/schema.js';
import { always, reportEach, strictObject as strictObjectOf } from '../inventory/schemaParts.js';
import { isRecord } from '../json/isRecord.js';
import {
  DESIRED_FILE_VERSION,
  MAX_TAG_KEY_LENGTH,
  MAX_TAG_VALUE_LENGTH,
  MAX_TEMPLATE_NAME_LENGTH,
} from './constants.js';
import { unknownKeyMessage } from './fieldMessages.js';
import { globProblems } from './globMatch.js';
import { ReconcileMode } from './types.js';

/** A strict object: an unknown member is an issue naming it (`loadDesiredFile` adds the "did you mean"). */
function strictObject<Shape extends z.core.$ZodLooseShape>(shape: Shape, expected: string) {
  return strictObjectOf(shape, expected, unknownKeyMessage);
}

/** Unicode characters, as AWS counts tag lengths. */
function characters(value: string): number {
  return [...value].length;
}

const modeSchema = z.enum(ReconcileMode, { error: expecting(oneOf(Object.values(ReconcileMode))) }).check(
  z.meta({
    id: 'ReconcileMode',
    description:
      '`enforce` converges the bucket to its desired state; `detect` only reports and records drift.',
  }),
);

const pruneSchema = z.boolean({ error: expecting('true or false') }).check(
  z.meta({
    description:
      'Delete inventory configurations that are present on the bucket but declared nowhere. Off unless set.',
  }),
);

const inventoriesSchema = z
  .array(
    inventoryConfigurationSchema.check(
      z.meta({
        id: 'InventoryConfiguration',
        description:
          'An S3 InventoryConfiguration exactly as `aws s3api get-bucket-inventory-configuration` prints it ' +
          '(PascalCase).',
      }),
    ),
    { error: expecting('a list of inventory configurations') },
  )
  .check(z.meta({ description: 'Inventory configurations, each with an Id unique within this list.' }));

const templateNameProblems = (name: string): string[] =>
  new RegExp(`^[A-Za-z0-9_.-]{1,${MAX_TEMPLATE_NAME_LENGTH}}$`).test(name)
    ? []
    : [
        `expected a template name of 1 to ${MAX_TEMPLATE_NAME_LENGTH} letters, digits, "_", "." or "-", ` +
          `got ${describeValue(name)}`,
      ];

const bucketEntrySchema = strictObject(
  {
    account: z
      .optional(
        z
          .string({ error: expecting('a 12-digit AWS account ID in quotes') })
          .check(z.regex(/^\d{12}$/, { error: expecting('a 12-digit AWS account ID') })),
      )
      .check(
        z.meta({ description: "The bucket's AWS account, when it is not the caller's (12 digits, quoted)." }),
      ),
    region: z
      .optional(
        z
          .string({ error: expecting('a region like us-east-1') })
          .check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, { error: expecting('a region like us-east-1') })),
      )
      .check(z.meta({ description: "The bucket's region; saves looking it up." })),
    mode: z.optional(modeSchema),
    prune: z.optional(pruneSchema),
    inventories: z.optional(inventoriesSchema),
  },
  'a bucket entry object (account, region, mode, prune, inventories)',
).check(
  z.meta({
    description: 'What one bucket must have. Its own inventories beat any template for the same Id.',
  }),
);

const bucketsSchema = z
  .record(
    z.string().check(
      z.meta({
        pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
        description: 'A general purpose S3 bucket name.',
      }),
    ),
    bucketEntrySchema,
    { error: expecting('a mapping of bucket names to bucket entries') },
  )
  .check(
    z.superRefine((buckets, ctx) => {
      if (!isRecord(buckets)) return;
      for (const name of Object.keys(buckets)) {
        for (const message of bucketNameProblems(name)) {
          ctx.addIssue({ code: 'custom', message, path: [name], input: name });
        }
      }
    }, always),
    z.meta({ description: 'Desired state per bucket, by bucket name.' }),
  );

const tagsSchema = z
  .record(
    z.string().check(z.meta({ minLength: 1, maxLength: MAX_TAG_KEY_LENGTH })),
    z.string({ error: expecting('a tag value in quotes') }).check(
      z.meta({ maxLength: MAX_TAG_VALUE_LENGTH }),
      z.superRefine((value, ctx) => {
        if (characters(value) > MAX_TAG_VALUE_LENGTH) {
          ctx.addIssue({
            code: 'custom',
            message: `expected a tag value of at most ${MAX_TAG_VALUE_LENGTH} characters, got ${characters(value)}`,
            input: value,
          });
        }
      }),
    ),
    { error: expecting('a mapping of tag keys to values') },
  )
  .check(
    z.superRefine((tags, ctx) => {
      if (!isRecord(tags)) return;
      const keys = Object.keys(tags);
      if (keys.length === 0) {
        ctx.addIssue({ code: 'custom', message: 'expected at least one tag, got {}', input: tags });
      }
      for (const key of keys) {
        const length = characters(key);
        if (length === 0 || length > MAX_TAG_KEY_LENGTH) {
          ctx.addIssue({
            code: 'custom',
            message: `expected a tag key of 1 to ${MAX_TAG_KEY_LENGTH} characters, got ${length}`,
            path: [key],
            input: key,
          });
        }
      }
    }, always),
    z.meta({ minProperties: 1, description: 'Tags the bucket must all carry, with exactly these values.' }),
  );

const namesSchema = z
  .array(
    z.string({ error: expecting('a bucket name glob') }).check(
      reportEach(globProblems),
      z.meta({
        description:
          'A bucket name glob: bucket name characters, `*` (any run), `?` (one), `[abc]`, `[a-z]`, `[!a]`.',
      }),
    ),
    { error: expecting('a list of bucket name globs') },
  )
  .check(
    z.minLength(1, { error: 'expected at least one bucket name glob, got []' }),
    z.meta({ description: 'The bucket name must match at least one of these globs.' }),
  );

const accountsSchema = z
  .array(
    z.string({ error: expecting('an account, organization or OU id in quotes') }).check(
      z.regex(/^(\d{12}|o-[a-z0-9]{10,32}|ou-[a-z0-9]{4,32}-[a-z0-9]{8,32})$/, {
        error: expecting('a 12-digit account id, an organization id (o-…) or an OU id (ou-…)'),
      }),
      z.meta({
        description:
          'A 12-digit account id (quoted), the organization id (`o-…`) or an OU id (`ou-…`, any account below it).',
      }),
    ),
    { error: expecting('a list of account, organization or OU ids') },
  )
  .check(
    z.minLength(1, { error: 'expected at least one account, organization or OU id, got []' }),
    z.meta({ description: "The bucket's account must be one of these or lie in one of these OUs." }),
  );

const regionsSchema = z
  .array(
    z
      .string({ error: expecting('a region like us-east-1') })
      .check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, { error: expecting('a region like us-east-1') })),
    { error: expecting('a list of regions') },
  )
  .check(
    z.minLength(1, { error: 'expected at least one region, got []' }),
    z.meta({ description: "The bucket's region must be one of these." }),
  );

const matchSchema = strictObject(
  {
    tags: z.optional(tagsSchema),
    names: z.optional(namesSchema),
    accounts: z.optional(accountsSchema),
    regions: z.optional(regionsSchema),
  },
  'a match object (tags, names, accounts, regions)',
).check(
  z.superRefine((match, ctx) => {
    if (isRecord(match) && match.tags === undefined && match.names === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected tags, names or both: an empty match would select every bucket',
        input: match,
      });
    }
  }, always),
  z.meta({
    minProperties: 1,
    description: 'Which buckets the template applies to: tags AND names AND accounts AND regions.',
  }),
);

const templateSchema = strictObject(
  {
    name: z
      .string({ error: expecting('a template name') })
      .check(
        reportEach(templateNameProblems),
        z.meta({ description: 'Unique in the file; letters, digits, "_", "." and "-".' }),
      ),
    match: matchSchema,
    mode: z.optional(modeSchema),
    inventories: inventoriesSchema.check(
      z.minLength(1, { error: 'expected at least one inventory configuration, got []' }),
    ),
  },
  'a template object (name, match, mode, inventories)',
).check(
  z.meta({
    id: 'Template',
    description:
      'Gives its inventories to every bucket that matches. A bucket entry beats a template for the same Id; two ' +
      'templates giving the same Id to one bucket is an error.',
  }),
);

const defaultsSchema = strictObject(
  { mode: z.optional(modeSchema), prune: z.optional(pruneSchema) },
  'a defaults object (mode, prune)',
).check(
  z.meta({ description: 'Mode and prune for every bucket that does not set its own (enforce, no prune).' }),
);

/**
 * The desired-state file (`s3ir validate|apply -f FILE`), the single source of truth for its shape:
 * `loadDesiredFile` validates with it and `schema/desired-state.schema.json` is generated from it.
 * Inventories are the S3 API's own `InventoryConfiguration`, so `aws s3api` output can be pasted in.
 */
export const desiredStateFileSchema = strictObject(
  {
    $schema: z
      .optional(z.string({ error: expecting('a JSON Schema reference') }))
      .check(z.meta({ description: 'For editors: the JSON Schema this file follows.' })),
    version: z
      .literal(DESIRED_FILE_VERSION, { error: expecting(`${DESIRED_FILE_VERSION} (the format version)`) })
      .check(z.meta({ description: 'The format version.' })),
    defaults: z.optional(defaultsSchema),
    buckets: z.optional(bucketsSchema),
    templates: z
      .optional(z.array(templateSchema, { error: expecting('a list of templates') }))
      .check(z.meta({ description: 'Configurations given to every bucket a template matches.' })),
  },
  'a desired-state file object (version, defaults, buckets, templates)',
).check(
  z.meta({
    title: 'S3 inventory desired state',
    description:
      'The inventory configurations S3 buckets must have, reconciled by s3-inventory-reconciler (s3ir validate, ' +
      'apply, plan).',
  }),
);

export type DesiredStateFile = z.infer<typeof desiredStateFileSchema>;
export type DesiredBucketEntry = z.infer<typeof bucketEntrySchema>;
export type DesiredTemplate = z.infer<typeof templateSchema>;
export type DesiredTemplateMatch = z.infer<typeof matchSchema>;

/** The schema of one template: templates read back from the table are checked with it too. */
export { templateSchema };
