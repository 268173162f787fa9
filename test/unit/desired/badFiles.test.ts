import { describe, expect, it } from 'vitest';
import { formatFileError, loadDesiredFile } from '../../../lib/desired/index.js';
import {
  bucketWith,
  configuration,
  destination,
  globsFile,
  KEY_ARN,
  lastLineOf,
  lineOf,
  templateWith,
  yamlOf,
} from './desiredFixtures.js';

interface BadFile {
  name: string;
  text: string;
  /** `bad.yaml` unless given. */
  fileName?: string;
  /** The exact path of the error. */
  path: string;
  /** A fragment of its message. */
  reason: string;
  /** The error's line: a number, or a fragment of the line it is on; absent when the error has no line. */
  line?: number | string;
  /** The error's line as the last line holding this fragment (for repeats). */
  lastLine?: string;
  /** How many errors the file has, when the case pins it. */
  count?: number;
}

const V1 = 'version: 1\n';
const INVENTORY = configuration();
const TEMPLATE_INVENTORY = yamlOf([INVENTORY])
  .split('\n')
  .map((line) => `      ${line}`)
  .join('\n');

const yamlSyntax: BadFile[] = [
  {
    name: 'an unclosed flow list',
    text: `${V1}templates:\n  - name: a\n    match: { names: [logs-*, web-*\n`,
    path: '',
    reason: 'YAML syntax error',
    line: 5,
  },
  {
    name: 'a tab used as indentation',
    text: `${V1}buckets:\n\tphotos-prod: {}\n`,
    path: '',
    reason: 'YAML syntax error: Tabs are not allowed as indentation',
    line: 3,
  },
  {
    name: 'a nested mapping in a compact mapping',
    text: `${V1}defaults: mode: detect\n`,
    path: '',
    reason: 'Nested mappings are not allowed in compact mappings',
    line: 2,
  },
  {
    name: 'two documents in one file',
    text: `${V1}---\nversion: 1\n`,
    path: '',
    reason: 'Source contains multiple documents',
    line: 2,
  },
  {
    name: 'an unterminated double-quoted string',
    text: `${V1}buckets:\n  "photos-prod: {}\n`,
    path: '',
    reason: 'YAML syntax error: Missing closing "quote',
    line: 4,
  },
  {
    name: 'an unclosed flow mapping',
    text: `${V1}defaults: { mode: detect\nbuckets: {}\n`,
    path: '',
    reason: 'YAML syntax error',
    line: 3,
  },
  {
    name: 'an alias to an anchor never defined',
    text: `${V1}defaults: *nothing\n`,
    path: 'defaults',
    reason: 'YAML syntax error: the alias *nothing refers to no anchor &nothing set before it',
    line: 2,
    count: 1,
  },
  {
    name: 'a list item followed by a mapping at the same level',
    text: '- version\nversion: 1\n',
    path: '',
    reason: 'YAML syntax error: Unexpected',
    line: 2,
  },
  {
    name: 'a value indented less than its key',
    text: `${V1}buckets:\n  photos-prod:\n    mode: detect\n   prune: true\n`,
    path: '',
    reason: 'YAML syntax error',
    line: 5,
  },
  {
    name: 'an unknown tag',
    text: `${V1}defaults: !settings { mode: detect }\n`,
    path: '',
    reason: 'unsupported YAML: Unresolved tag: !settings',
    line: 2,
  },
  {
    name: 'an alias bomb',
    text: [
      'version: 1',
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
    ].join('\n'),
    path: '',
    reason: 'could not expand the file: Excessive alias count',
  },
];

const duplicateKeys: BadFile[] = [
  {
    name: 'version twice',
    text: `${V1}version: 1\n`,
    path: 'version',
    reason: 'duplicate key "version": also at line 1',
    line: 2,
    count: 1,
  },
  {
    name: 'a bucket declared twice',
    text: `${V1}buckets:\n  photos-prod:\n    mode: detect\n  photos-prod:\n    mode: enforce\n`,
    path: 'buckets.photos-prod',
    reason: 'duplicate key "photos-prod": also at line 3',
    line: 5,
    count: 1,
  },
  {
    name: 'a member twice inside an inventory',
    text: `${bucketWith([INVENTORY])}        Id: weekly\n`,
    path: 'buckets.photos-prod.inventories[0].Id',
    reason: 'duplicate key "Id": also at line 5',
    line: '        Id: weekly',
  },
  {
    name: 'a tag key twice in a match',
    text: `${V1}templates:\n  - name: a\n    match: { tags: { env: prod, env: dev } }\n    inventories:\n${TEMPLATE_INVENTORY}`,
    path: 'templates[0].match.tags.env',
    reason: 'duplicate key "env": also at line 4',
    line: 4,
  },
  {
    name: 'defaults.mode twice',
    text: `${V1}defaults:\n  mode: detect\n  mode: enforce\n`,
    path: 'defaults.mode',
    reason: 'duplicate key "mode": also at line 3',
    line: 4,
  },
  {
    name: 'a "__proto__" key',
    text: `${V1}templates:\n  - name: a\n    match: { tags: { __proto__: x } }\n    inventories:\n${TEMPLATE_INVENTORY}`,
    path: 'templates[0].match.tags.__proto__',
    reason: 'the key "__proto__" is not supported',
    line: 4,
  },
  {
    name: 'a key that is a list',
    text: `${V1}buckets:\n  [photos-prod]: {}\n`,
    path: 'buckets',
    reason: 'expected a plain key (a name), got a key that is itself a mapping',
    line: 3,
  },
];

const wrongTypes: BadFile[] = [
  { name: 'an empty file', text: '', path: '', reason: 'the file holds no data', count: 1 },
  { name: 'only comments', text: '# nothing yet\n', path: '', reason: 'the file holds no data' },
  {
    name: 'a list at the top',
    text: '- version: 1\n',
    path: '',
    reason: 'expected a desired-state file object (version, defaults, buckets, templates), got an array',
    line: 1,
  },
  { name: 'a string at the top', text: 'buckets\n', path: '', reason: 'got "buckets"', line: 1 },
  {
    name: 'version missing',
    text: 'buckets: {}\n',
    path: 'version',
    reason: 'required: expected 1 (the format version)',
    line: 1,
  },
  {
    name: 'version 2',
    text: 'version: 2\n',
    path: 'version',
    reason: 'expected 1 (the format version), got 2',
    line: 1,
  },
  { name: 'version as a string', text: 'version: "1"\n', path: 'version', reason: 'got "1"', line: 1 },
  {
    name: 'defaults as a string',
    text: `${V1}defaults: detect\n`,
    path: 'defaults',
    reason: 'expected a defaults object (mode, prune), got "detect"',
    line: 2,
  },
  {
    name: 'defaults.mode not a mode',
    text: `${V1}defaults: { mode: enforcing }\n`,
    path: 'defaults.mode',
    reason: 'expected enforce | detect, got "enforcing"',
    line: 2,
  },
  {
    name: 'defaults.prune as "yes" (a string in YAML 1.2)',
    text: `${V1}defaults: { prune: yes }\n`,
    path: 'defaults.prune',
    reason: 'expected true or false, got "yes"',
    line: 2,
  },
  {
    name: 'buckets as a list',
    text: `${V1}buckets:\n  - photos-prod\n`,
    path: 'buckets',
    reason: 'expected a mapping of bucket names to bucket entries, got an array',
    line: 2,
  },
  {
    name: 'a bucket entry left empty',
    text: `${V1}buckets:\n  photos-prod:\n`,
    path: 'buckets.photos-prod',
    reason: 'expected a bucket entry object (account, region, mode, prune, inventories), got null',
    line: 3,
  },
  {
    name: 'a bucket entry as a string',
    text: `${V1}buckets:\n  photos-prod: detect\n`,
    path: 'buckets.photos-prod',
    reason: 'got "detect"',
    line: 3,
  },
  {
    name: 'an account not quoted (a number)',
    text: bucketWith([INVENTORY], { account: 111122223333 }),
    path: 'buckets.photos-prod.account',
    reason: 'expected a 12-digit AWS account ID in quotes, got 111122223333',
    line: 'account:',
  },
  {
    name: 'an account of 11 digits',
    text: bucketWith([INVENTORY], { account: '11112222333' }),
    path: 'buckets.photos-prod.account',
    reason: 'expected a 12-digit AWS account ID, got "11112222333"',
    line: 'account:',
  },
  {
    name: 'an account with letters',
    text: bucketWith([INVENTORY], { account: 'prod-account' }),
    path: 'buckets.photos-prod.account',
    reason: 'expected a 12-digit AWS account ID, got "prod-account"',
    line: 'account:',
  },
  {
    name: 'a region in capitals',
    text: bucketWith([INVENTORY], { region: 'US-EAST-1' }),
    path: 'buckets.photos-prod.region',
    reason: 'expected a region like us-east-1, got "US-EAST-1"',
    line: 'region:',
  },
  {
    name: 'a region as a number',
    text: bucketWith([INVENTORY], { region: 1 }),
    path: 'buckets.photos-prod.region',
    reason: 'expected a region like us-east-1, got 1',
    line: 'region:',
  },
  {
    name: 'a bucket mode with a capital',
    text: bucketWith([INVENTORY], { mode: 'Enforce' }),
    path: 'buckets.photos-prod.mode',
    reason: 'expected enforce | detect, got "Enforce"',
    line: 'mode:',
  },
  {
    name: 'prune as 1',
    text: bucketWith([INVENTORY], { prune: 1 }),
    path: 'buckets.photos-prod.prune',
    reason: 'expected true or false, got 1',
    line: 'prune:',
  },
  {
    name: 'inventories as a mapping',
    text: `${V1}buckets:\n  photos-prod:\n    inventories:\n      daily-csv: {}\n`,
    path: 'buckets.photos-prod.inventories',
    reason: 'expected a list of inventory configurations, got an object',
    line: 4,
  },
  {
    name: 'inventories as a string',
    text: `${V1}buckets:\n  photos-prod:\n    inventories: daily-csv\n`,
    path: 'buckets.photos-prod.inventories',
    reason: 'got "daily-csv"',
    line: 4,
  },
  {
    name: 'templates as a mapping',
    text: `${V1}templates:\n  all-prod: {}\n`,
    path: 'templates',
    reason: 'expected a list of templates, got an object',
    line: 2,
  },
  {
    name: 'a template as a string',
    text: `${V1}templates:\n  - all-prod\n`,
    path: 'templates[0]',
    reason: 'expected a template object (name, match, mode, inventories), got "all-prod"',
    line: 3,
  },
  {
    name: 'a template without a name',
    text: templateWith({ name: undefined }),
    path: 'templates[0].name',
    reason: 'required: expected a template name',
    line: 3,
  },
  {
    name: 'a template name with a space',
    text: templateWith({ name: 'all prod' }),
    path: 'templates[0].name',
    reason: 'expected a template name of 1 to 64 letters, digits, "_", "." or "-", got "all prod"',
    line: 'name: all prod',
  },
  {
    name: 'a template name of 65 characters',
    text: templateWith({ name: 'a'.repeat(65) }),
    path: 'templates[0].name',
    reason: 'expected a template name of 1 to 64',
    line: 'name: aaa',
  },
  {
    name: 'a template name that is a number',
    text: templateWith({ name: 7 }),
    path: 'templates[0].name',
    reason: 'expected a template name, got 7',
    line: 'name: 7',
  },
  {
    name: 'a template name with "#"',
    text: templateWith({ name: '#defaults' }),
    path: 'templates[0].name',
    reason: 'got "#defaults"',
    line: 'name:',
  },
  {
    name: 'a template without a match',
    text: templateWith({ match: undefined }),
    path: 'templates[0].match',
    reason: 'required: expected a match object (tags, names)',
    line: 3,
  },
  {
    name: 'a match as a string',
    text: templateWith({ match: 'env=prod' }),
    path: 'templates[0].match',
    reason: 'expected a match object (tags, names), got "env=prod"',
    line: 'match:',
  },
  {
    name: 'a template mode not a mode',
    text: templateWith({ mode: 'dry-run' }),
    path: 'templates[0].mode',
    reason: 'expected enforce | detect, got "dry-run"',
    line: 'mode:',
  },
  {
    name: 'a template without inventories',
    text: templateWith({ inventories: undefined }),
    path: 'templates[0].inventories',
    reason: 'required: expected a list of inventory configurations',
    line: 3,
  },
  {
    name: 'a template with no inventories',
    text: templateWith({ inventories: [] }),
    path: 'templates[0].inventories',
    reason: 'expected at least one inventory configuration, got []',
    line: 'inventories:',
  },
  {
    name: 'match.names as a string',
    text: templateWith({ match: { names: 'logs-*' } }),
    path: 'templates[0].match.names',
    reason: 'expected a list of bucket name globs, got "logs-*"',
    line: 'names:',
  },
  {
    name: 'match.names empty',
    text: templateWith({ match: { names: [] } }),
    path: 'templates[0].match.names',
    reason: 'expected at least one bucket name glob, got []',
    line: 'names:',
  },
  {
    name: 'a glob that is a number',
    text: globsFile([42]),
    path: 'templates[0].match.names[0]',
    reason: 'expected a bucket name glob, got 42',
    line: '- 42',
  },
  {
    name: 'match.tags as a list',
    text: templateWith({ match: { tags: ['env=prod'] } }),
    path: 'templates[0].match.tags',
    reason: 'expected a mapping of tag keys to values, got an array',
    line: 'tags:',
  },
  {
    name: 'match.tags empty',
    text: templateWith({ match: { tags: {} } }),
    path: 'templates[0].match.tags',
    reason: 'expected at least one tag, got {}',
    line: 'tags:',
  },
  {
    name: 'a tag value that is a number',
    text: templateWith({ match: { tags: { tier: 1 } } }),
    path: 'templates[0].match.tags.tier',
    reason: 'expected a tag value in quotes, got 1',
    line: 'tier:',
  },
  {
    name: 'a tag value that is a boolean',
    text: templateWith({ match: { tags: { public: false } } }),
    path: 'templates[0].match.tags.public',
    reason: 'got false',
    line: 'public:',
  },
  {
    name: 'a tag value of 257 characters',
    text: templateWith({ match: { tags: { env: 'p'.repeat(257) } } }),
    path: 'templates[0].match.tags.env',
    reason: 'expected a tag value of at most 256 characters, got 257',
    line: 'env:',
  },
  {
    name: 'a tag key of 129 characters',
    text: templateWith({ match: { tags: { ['k'.repeat(129)]: 'v' } } }),
    path: `templates[0].match.tags.${'k'.repeat(129)}`,
    reason: 'expected a tag key of 1 to 128 characters, got 129',
    line: 'kkkk',
  },
  {
    name: 'an empty tag key',
    text: templateWith({ match: { tags: { '': 'v' } } }),
    path: 'templates[0].match.tags[""]',
    reason: 'expected a tag key of 1 to 128 characters, got 0',
    line: '"": v',
  },
  {
    name: 'an empty match',
    text: templateWith({ match: {} }),
    path: 'templates[0].match',
    reason: 'expected tags, names or both: an empty match would select every bucket',
    line: 'match:',
  },
  {
    name: 'a null match',
    text: `${V1}templates:\n  - name: a\n    match:\n    inventories:\n${TEMPLATE_INVENTORY}`,
    path: 'templates[0].match',
    reason: 'expected a match object (tags, names), got null',
    line: 4,
  },
  {
    name: '$schema as a number',
    text: `$schema: 1\n${V1}`,
    path: '$schema',
    reason: 'expected a JSON Schema reference, got 1',
    line: 1,
  },
];

const unknownKeys: BadFile[] = [
  {
    name: 'top-level "bucket"',
    text: `${V1}bucket: {}\n`,
    path: 'bucket',
    reason: 'unknown field; did you mean "buckets"?',
    line: 2,
  },
  {
    name: 'top-level "tempaltes"',
    text: `${V1}tempaltes: []\n`,
    path: 'tempaltes',
    reason: 'unknown field; did you mean "templates"?',
    line: 2,
  },
  {
    name: 'top-level "owner"',
    text: `${V1}owner: platform-team\n`,
    path: 'owner',
    reason: 'unknown field; expected one of $schema, version, defaults, buckets, templates',
    line: 2,
  },
  {
    name: 'defaults.mdoe',
    text: `${V1}defaults: { mdoe: detect }\n`,
    path: 'defaults.mdoe',
    reason: 'unknown field; expected one of mode, prune',
    line: 2,
  },
  {
    name: 'a bucket entry with "inventory"',
    text: `${V1}buckets:\n  photos-prod:\n    inventory: []\n`,
    path: 'buckets.photos-prod.inventory',
    reason: 'did you mean "inventories"?',
    line: 4,
  },
  {
    name: 'a bucket entry with InventoryConfigurationList (list output pasted)',
    text: `${V1}buckets:\n  photos-prod:\n    InventoryConfigurationList: []\n`,
    path: 'buckets.photos-prod.InventoryConfigurationList',
    reason: 'did you mean "inventories"?',
    line: 4,
  },
  {
    name: 'a bucket entry with "Region"',
    text: bucketWith([INVENTORY], { Region: 'us-east-1' }),
    path: 'buckets.photos-prod.Region',
    reason: 'did you mean "region"?',
    line: 'Region:',
  },
  {
    name: 'a bucket entry with "acount"',
    text: bucketWith([INVENTORY], { acount: '111122223333' }),
    path: 'buckets.photos-prod.acount',
    reason: 'did you mean "account"?',
    line: 'acount:',
  },
  {
    name: 'a bucket entry with "tags"',
    text: bucketWith([INVENTORY], { tags: { env: 'prod' } }),
    path: 'buckets.photos-prod.tags',
    reason: 'unknown field; expected one of account, region, mode, prune, inventories',
    line: 'tags:',
  },
  {
    name: 'a template with "matches"',
    text: templateWith({ matches: { names: ['*'] } }),
    path: 'templates[0].matches',
    reason: 'did you mean "match"?',
    line: 'matches:',
  },
  {
    name: 'a template with "Name"',
    text: templateWith({ Name: 'x' }),
    path: 'templates[0].Name',
    reason: 'did you mean "name"?',
    line: 'Name:',
  },
  {
    name: 'a template with "prune" (templates never prune)',
    text: templateWith({ prune: true }),
    path: 'templates[0].prune',
    reason: 'unknown field; expected one of name, match, mode, inventories',
    line: 'prune:',
  },
  {
    name: 'a match with "tag"',
    text: templateWith({ match: { tag: { env: 'prod' } } }),
    path: 'templates[0].match.tag',
    reason: 'did you mean "tags"?',
    line: 'tag:',
  },
  {
    name: 'a match with "name"',
    text: templateWith({ match: { name: 'logs-*' } }),
    path: 'templates[0].match.name',
    reason: 'did you mean "names"?',
    line: 'name: logs',
  },
  {
    name: 'a match with "prefix"',
    text: templateWith({ match: { names: ['logs-*'], prefix: 'logs-' } }),
    path: 'templates[0].match.prefix',
    reason: 'unknown field; expected one of tags, names',
    line: 'prefix:',
  },
  {
    name: 'an inventory with "IsEnable"',
    text: bucketWith([configuration({ IsEnabled: undefined, IsEnable: true })]),
    path: 'buckets.photos-prod.inventories[0].IsEnable',
    reason: 'unknown field; did you mean "IsEnabled"?',
    line: 'IsEnable:',
  },
  {
    name: 'an S3BucketDestination with "Formt"',
    text: bucketWith([destination({ Formt: 'CSV' })]),
    path: 'buckets.photos-prod.inventories[0].Destination.S3BucketDestination.Formt',
    reason: 'did you mean "Format"?',
    line: 'Formt:',
  },
  {
    name: 'a Schedule with "frequency"',
    text: bucketWith([configuration({ Schedule: { frequency: 'Daily' } })]),
    path: 'buckets.photos-prod.inventories[0].Schedule.frequency',
    reason: 'did you mean "Frequency"?',
    line: 'frequency:',
  },
  {
    name: 'a Filter with "prefix"',
    text: bucketWith([configuration({ Filter: { prefix: 'logs/' } })]),
    path: 'buckets.photos-prod.inventories[0].Filter.prefix',
    reason: 'did you mean "Prefix"?',
    line: 'prefix:',
  },
  {
    name: 'an Encryption with "SSE-S3" (the XML name)',
    text: bucketWith([destination({ Encryption: { 'SSE-S3': {} } })]),
    path: 'buckets.photos-prod.inventories[0].Destination.S3BucketDestination.Encryption.SSE-S3',
    reason: 'unknown field',
    line: 'SSE-S3:',
  },
  {
    name: 'get-bucket-inventory-configuration output pasted whole',
    text: bucketWith([{ InventoryConfiguration: INVENTORY }]),
    path: 'buckets.photos-prod.inventories[0].InventoryConfiguration',
    reason: 'unknown field',
    line: 'InventoryConfiguration:',
  },
  {
    name: 'an unknown member inside a template inventory',
    text: templateWith({ inventories: [configuration({ Owner: 'me' })] }),
    path: 'templates[0].inventories[0].Owner',
    reason: 'unknown field',
    line: 'Owner:',
  },
];

const badInventories: BadFile[] = [
  {
    name: 'Format "csv"',
    text: bucketWith([destination({ Format: 'csv' })]),
    path: 'buckets.photos-prod.inventories[0].Destination.S3BucketDestination.Format',
    reason: 'expected CSV | ORC | Parquet, got "csv"',
    line: 'Format: csv',
  },
  {
    name: 'Frequency "Hourly"',
    text: bucketWith([configuration({ Schedule: { Frequency: 'Hourly' } })]),
    path: 'buckets.photos-prod.inventories[0].Schedule.Frequency',
    reason: 'expected Daily | Weekly, got "Hourly"',
    line: 'Frequency: Hourly',
  },
  {
    name: 'IncludedObjectVersions "all"',
    text: bucketWith([configuration({ IncludedObjectVersions: 'all' })]),
    path: 'buckets.photos-prod.inventories[0].IncludedObjectVersions',
    reason: 'expected All | Current, got "all"',
    line: 'IncludedObjectVersions: all',
  },
  {
    name: 'an OptionalField that does not exist',
    text: bucketWith([configuration({ OptionalFields: ['Size', 'Owner'] })]),
    path: 'buckets.photos-prod.inventories[0].OptionalFields[1]',
    reason: 'got "Owner"',
    line: '- Owner',
  },
  {
    name: 'an OptionalField twice',
    text: bucketWith([configuration({ OptionalFields: ['Size', 'ETag', 'Size'] })]),
    path: 'buckets.photos-prod.inventories[0].OptionalFields[2]',
    reason: 'expected each field once, got "Size" again (also at OptionalFields[0])',
    lastLine: '- Size',
  },
  {
    name: 'IsEnabled as the string "true"',
    text: bucketWith([configuration({ IsEnabled: 'true' })]),
    path: 'buckets.photos-prod.inventories[0].IsEnabled',
    reason: 'expected true or false, got "true"',
    line: 'IsEnabled:',
  },
  {
    name: 'IsEnabled as "yes"',
    text: bucketWith([configuration({ IsEnabled: 'yes' })]),
    path: 'buckets.photos-prod.inventories[0].IsEnabled',
    reason: 'got "yes"',
    line: 'IsEnabled:',
  },
  {
    name: 'the Id missing',
    text: bucketWith([configuration({ Id: undefined })]),
    path: 'buckets.photos-prod.inventories[0].Id',
    reason: 'required: expected an Id of 1 to 64',
    line: 5,
  },
  {
    name: 'an Id with a space',
    text: bucketWith([configuration({ Id: 'daily csv' })]),
    path: 'buckets.photos-prod.inventories[0].Id',
    reason: 'expected only letters, digits',
    line: 'Id: daily csv',
  },
  {
    name: 'an Id of 65 characters',
    text: bucketWith([configuration({ Id: 'i'.repeat(65) })]),
    path: 'buckets.photos-prod.inventories[0].Id',
    reason: 'expected at most 64 characters, got 65',
    line: 'Id: iii',
  },
  {
    name: 'an Id that is a number',
    text: bucketWith([configuration({ Id: 2024 })]),
    path: 'buckets.photos-prod.inventories[0].Id',
    reason: 'got 2024',
    line: 'Id: 2024',
  },
  {
    name: 'a destination bucket name instead of an ARN',
    text: bucketWith([destination({ Bucket: 'inventory-reports' })]),
    path: 'buckets.photos-prod.inventories[0].Destination.S3BucketDestination.Bucket',
    reason: 'expected a bucket ARN like arn:aws:s3:::my-bucket, got "inventory-reports"',
    line: 'Bucket:',
  },
  {
    name: 'a destination ARN with an account',
    text: bucketWith([destination({ Bucket: 'arn:aws:s3::999988887777:inventory-reports' })]),
    path: 'buckets.photos-prod.inventories[0].Destination.S3BucketDestination.Bucket',
    reason: 'Bucket ARN should not specify a namespace',
    line: 'Bucket:',
  },
  {
    name: 'a KMS alias',
    text: bucketWith([destination({ Encryption: { SSEKMS: { KeyId: 'alias/inventory' } } })]),
    path: 'buckets.photos-prod.inventories[0].Destination.S3BucketDestination.Encryption.SSEKMS.KeyId',
    reason: 'not an alias',
    line: 'KeyId:',
  },
  {
    name: 'a bare KMS key id',
    text: bucketWith([
      destination({ Encryption: { SSEKMS: { KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' } } }),
    ]),
    path: 'buckets.photos-prod.inventories[0].Destination.S3BucketDestination.Encryption.SSEKMS.KeyId',
    reason: 'got a bare key id',
    line: 'KeyId:',
  },
  {
    name: 'both SSES3 and SSEKMS',
    text: bucketWith([destination({ Encryption: { SSES3: {}, SSEKMS: { KeyId: KEY_ARN } } })]),
    path: 'buckets.photos-prod.inventories[0].Destination.S3BucketDestination.Encryption',
    reason: 'expected at most one of SSES3 and SSEKMS, got both',
    line: 'Encryption:',
  },
  {
    name: 'a destination AccountId of 10 digits',
    text: bucketWith([destination({ AccountId: '9999888877' })]),
    path: 'buckets.photos-prod.inventories[0].Destination.S3BucketDestination.AccountId',
    reason: 'expected a 12-digit AWS account ID, got "9999888877"',
    line: 'AccountId:',
  },
  {
    name: 'the Destination missing',
    text: bucketWith([configuration({ Destination: undefined })]),
    path: 'buckets.photos-prod.inventories[0].Destination',
    reason: 'required: expected an object',
    line: 5,
  },
  {
    name: 'an inventory that is a string',
    text: bucketWith(['daily-csv']),
    path: 'buckets.photos-prod.inventories[0]',
    reason: 'expected an inventory configuration object, got "daily-csv"',
    line: '- daily-csv',
    count: 1,
  },
  {
    name: 'an inventory left empty',
    text: `${V1}buckets:\n  photos-prod:\n    inventories:\n      -\n`,
    path: 'buckets.photos-prod.inventories[0]',
    reason: 'got null',
    line: 5,
  },
  {
    name: 'a bad Format inside a template',
    text: templateWith({ inventories: [destination({ Format: 'JSON' })] }),
    path: 'templates[0].inventories[0].Destination.S3BucketDestination.Format',
    reason: 'expected CSV | ORC | Parquet, got "JSON"',
    line: 'Format: JSON',
  },
  {
    name: 'a bad inventory in the second place',
    text: bucketWith([INVENTORY, configuration({ Schedule: { Frequency: 'Monthly' } }, 'weekly')]),
    path: 'buckets.photos-prod.inventories[1].Schedule.Frequency',
    reason: 'expected Daily | Weekly, got "Monthly"',
    line: 'Frequency: Monthly',
  },
];

const badBucketNames: BadFile[] = [
  ['Photos-Prod', 'expected a bucket name of lowercase letters, digits, "." and "-"'],
  ['photos_prod', 'expected a bucket name of lowercase letters, digits, "." and "-"'],
  ['ab', 'expected a bucket name of 3 to 63 characters, got "ab" (2)'],
  ['b'.repeat(64), 'expected a bucket name of 3 to 63 characters'],
  ['192.168.1.10', 'not an IP address'],
  ['xn--photos', 'not starting with "xn--"'],
  ['photos-s3alias', 'not ending with "-s3alias"'],
  ['photos..prod', 'expected a bucket name without ".."'],
  ['-photos', 'starts and ends with a letter or digit'],
].map(([name, reason]) => ({
  name: `the bucket name ${JSON.stringify(name!.length > 20 ? `${name!.slice(0, 10)}…` : name)}`,
  text: yamlOf({ version: 1, buckets: { [name!]: { inventories: [INVENTORY] } } }),
  path: name!.includes('.') ? `buckets[${JSON.stringify(name)}]` : `buckets.${name}`,
  reason: reason!,
  line: 3,
}));

const duplicateIds: BadFile[] = [
  {
    name: 'an Id twice in a bucket entry',
    text: bucketWith([INVENTORY, configuration({}, 'weekly'), configuration({}, 'daily-csv')]),
    path: 'buckets.photos-prod.inventories[2].Id',
    reason: 'duplicate Id "daily-csv": also at buckets.photos-prod.inventories[0] (line 5)',
    lastLine: 'Id: daily-csv',
    count: 1,
  },
  {
    name: 'an Id twice in a template',
    text: templateWith({ inventories: [configuration(), configuration()] }),
    path: 'templates[0].inventories[1].Id',
    reason: 'duplicate Id "daily-csv": also at templates[0].inventories[0] (line 8)',
    lastLine: 'Id: daily-csv',
    count: 1,
  },
  {
    name: 'an Id three times (two errors)',
    text: bucketWith([configuration(), configuration(), configuration()]),
    path: 'buckets.photos-prod.inventories[1].Id',
    reason: 'also at buckets.photos-prod.inventories[0] (line 5)',
    line: 19,
    count: 2,
  },
  {
    name: 'a template name twice',
    text: yamlOf({
      version: 1,
      templates: [
        { name: 'all-prod', match: { tags: { env: 'prod' } }, inventories: [INVENTORY] },
        { name: 'all-prod', match: { names: ['*-prod'] }, inventories: [configuration({}, 'weekly')] },
      ],
    }),
    path: 'templates[1].name',
    reason: 'duplicate template name "all-prod": also at templates[0] (line 3)',
    lastLine: 'name: all-prod',
    count: 1,
  },
];

const badGlobs: BadFile[] = [
  ['logs-[', 'unbalanced "[" at character 6: no closing "]"'],
  ['logs-]', 'unbalanced "]" at character 6: no "[" opens it'],
  ['logs-[]', 'empty character class "[]" at character 6'],
  ['logs-[!]', 'empty character class "[!]" at character 6'],
  ['logs-**', '"**" at character 6: use a single "*"'],
  ['***', '"**" at character 1'],
  ['Logs-*', '"L" at character 1 cannot be in a bucket name (bucket names are lowercase)'],
  ['logs_*', '"_" at character 5 cannot be in a bucket name (use "-")'],
  ['logs *', '" " at character 5 cannot be in a bucket name'],
  ['logs-[z-a]', 'reversed range "z-a" in the class "[z-a]" at character 6: write "a-z"'],
  ['logs-[[a]]', '"[" inside the class opened at character 6: classes cannot nest'],
  ['logs-[A-Z]', '"A" in the class "[A-Z]" at character 6 cannot be in a bucket name'],
  ['logs-[a-Z]', '"Z" in the class "[a-Z]" at character 6 cannot be in a bucket name'],
  ['logs/*', '"/" at character 5 cannot be in a bucket name'],
  ['', 'expected a glob of at least one character, got ""'],
  ['a'.repeat(64), 'can never match: it needs at least 64 characters and bucket names have at most 63'],
  ['logs-\\*', '"\\\\" at character 6 cannot be in a bucket name'],
  ['logs-{a,b}', '"{" at character 6 cannot be in a bucket name'],
  ['!prod', '"!" at character 1 cannot be in a bucket name'],
  ['logs-[_]', '"_" in the class "[_]" at character 6 cannot be in a bucket name'],
].map(([glob, reason]) => ({
  name: `the glob ${JSON.stringify(glob!.length > 20 ? `${glob!.slice(0, 10)}…` : glob)}`,
  text: globsFile(['ok-*', glob]),
  path: 'templates[0].match.names[1]',
  reason: reason!,
  line: 7,
}));

const JSON_FILE = 'photos.json';
const badJson: BadFile[] = [
  {
    name: 'JSON with a trailing comma',
    text: '{\n  "version": 1,\n  "buckets": {},\n}\n',
    path: '',
    reason: 'invalid JSON: trailing comma before "}"',
    line: 4,
  },
  {
    name: 'JSON missing a comma',
    text: '{\n  "version": 1\n  "buckets": {}\n}\n',
    path: '',
    reason: 'invalid JSON: expected "," or "}" after a member, got "\\""',
    line: 3,
  },
  {
    name: 'JSON with single quotes',
    text: "{\n  'version': 1\n}\n",
    path: '',
    reason: 'expected a member name in double quotes',
    line: 2,
  },
  {
    name: 'JSON with an unquoted key',
    text: '{\n  version: 1\n}\n',
    path: '',
    reason: 'expected a member name in double quotes, got "v"',
    line: 2,
  },
  {
    name: 'JSON with a comment',
    text: '{\n  "version": 1 // the format\n}\n',
    path: '',
    reason: 'expected "," or "}" after a member, got "/"',
    line: 2,
  },
  {
    name: 'JSON with an unterminated string',
    text: '{\n  "version": 1,\n  "buckets": {"photos-prod: {}}\n}\n',
    path: '',
    reason: 'control character in a string',
    line: 3,
  },
  {
    name: 'JSON with text after the value',
    text: '{"version": 1}\nbuckets: {}\n',
    path: '',
    reason: 'unexpected "b" after the JSON value',
    line: 2,
  },
  {
    name: 'an empty JSON file',
    text: '',
    path: '',
    reason: 'expected a value, got the end of the file',
    line: 1,
  },
  {
    name: 'JSON cut short',
    text: '{\n  "version": 1,\n  "buckets": {\n',
    path: '',
    reason: 'expected a member name in double quotes, got the end of the file',
    line: 4,
  },
  {
    name: 'JSON with a bad escape',
    text: '{\n  "version": 1,\n  "$schema": "..\\schema.json"\n}\n',
    path: '',
    reason: 'invalid escape "\\\\s" in a string',
    line: 3,
  },
  {
    name: 'JSON with a bad \\u escape',
    text: '{"version": 1, "$schema": "\\u12"}',
    path: '',
    reason: 'expected 4 hex digits after \\u',
    line: 1,
  },
  {
    name: 'JSON with a leading zero',
    text: '{\n  "version": 01\n}\n',
    path: '',
    reason: 'expected "," or "}" after a member, got "1"',
    line: 2,
  },
  {
    name: 'JSON with a misspelt true',
    text: '{\n  "version": 1,\n  "defaults": {"prune": tru}\n}\n',
    path: '',
    reason: 'expected a value, got "t"',
    line: 3,
  },
  {
    name: 'JSON with a missing colon',
    text: '{\n  "version" 1\n}\n',
    path: '',
    reason: 'expected ":" after the member name, got "1"',
    line: 2,
  },
  {
    name: 'JSON list with a trailing comma',
    text: '{\n  "version": 1,\n  "templates": [\n    {},\n  ]\n}\n',
    path: '',
    reason: 'trailing comma before "]"',
    line: 5,
  },
  {
    name: 'JSON list missing a comma',
    text: '{"version": 1, "templates": [{} {}]}',
    path: '',
    reason: 'expected "," or "]" after an element, got "{"',
    line: 1,
  },
  {
    name: 'JSON with a bare minus',
    text: '{"version": -}',
    path: '',
    reason: 'expected a number, got "-"',
    line: 1,
  },
  {
    name: 'JSON nested beyond reason',
    text: `{"version": 1, "x": ${'['.repeat(600)}${']'.repeat(600)}}`,
    path: '',
    reason: 'nesting deeper than 512 levels',
    line: 1,
  },
  {
    name: 'a JSON duplicate key (valid JSON, still refused)',
    text: '{\n  "version": 1,\n  "version": 1\n}\n',
    path: 'version',
    reason: 'duplicate key "version": also at line 2',
    line: 3,
  },
  {
    name: 'a JSON unknown member, placed by line',
    text: '{\n  "version": 1,\n  "buckets": {\n    "photos-prod": {\n      "invetories": []\n    }\n  }\n}\n',
    path: 'buckets.photos-prod.invetories',
    reason: 'did you mean "inventories"?',
    line: 5,
  },
  {
    name: 'a JSON bad enum, placed by line',
    text: JSON.stringify(
      { version: 1, buckets: { 'photos-prod': { inventories: [destination({ Format: 'XML' })] } } },
      null,
      2,
    ),
    path: 'buckets.photos-prod.inventories[0].Destination.S3BucketDestination.Format',
    reason: 'expected CSV | ORC | Parquet, got "XML"',
    line: '"Format": "XML"',
  },
].map((badFile) => ({ ...badFile, fileName: JSON_FILE }));

const badFiles: BadFile[] = [
  ...yamlSyntax,
  ...duplicateKeys,
  ...wrongTypes,
  ...unknownKeys,
  ...badInventories,
  ...badBucketNames,
  ...duplicateIds,
  ...badGlobs,
  ...badJson,
];

describe('loadDesiredFile() with bad files', () => {
  it('has at least 110 distinct cases', () => {
    expect(badFiles.length).toBeGreaterThanOrEqual(110);
    expect(new Set(badFiles.map((badFile) => badFile.name)).size).toBe(badFiles.length);
    const inputs = badFiles.map((badFile) => `${badFile.fileName ?? 'bad.yaml'}\n${badFile.text}`);
    expect(new Set(inputs).size).toBe(badFiles.length);
  });

  it.each(badFiles)(
    'refuses $name',
    ({ text, fileName = 'bad.yaml', path, reason, line, lastLine, count }) => {
      const result = loadDesiredFile(text, fileName);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      const shown = result.errors.map(formatFileError).join('\n');
      const error = result.errors.find(
        (candidate) => candidate.path === path && candidate.message.includes(reason),
      );
      expect(error, `no error at ${path} with "${reason}"; got:\n${shown}`).toBeDefined();
      expect(error!.file).toBe(fileName);
      const expectedLine =
        lastLine !== undefined
          ? lastLineOf(text, lastLine)
          : typeof line === 'string'
            ? lineOf(text, line)
            : line;
      expect(error!.line, shown).toBe(expectedLine);
      if (expectedLine !== undefined) expect(error!.column).toBeGreaterThanOrEqual(1);
      if (count !== undefined) expect(result.errors, shown).toHaveLength(count);
    },
  );
});
