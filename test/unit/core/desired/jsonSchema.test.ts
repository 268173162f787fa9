import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  DESIRED_STATE_SCHEMA_PATH,
  desiredStateJsonSchema,
  desiredStateJsonSchemaText,
} from '../../../../lib/core/desired/jsonSchema.js';

const root = new URL('../../../../', import.meta.url);
const committed = () => readFileSync(new URL(DESIRED_STATE_SCHEMA_PATH, root), 'utf8');

/** The machine's Python with the jsonschema package: an independent JSON Schema implementation. */
const hasPythonJsonSchema =
  spawnSync('python3', ['-c', 'import jsonschema'], { stdio: 'ignore' }).status === 0;

describe('schema/desired-state.schema.json', () => {
  it('is exactly what `npm run schema` generates from the zod schema', () => {
    // Compared as JSON with its member order: the script lets Biome lay the text out.
    const fresh = JSON.stringify(JSON.parse(desiredStateJsonSchemaText()));
    expect(JSON.stringify(JSON.parse(committed())), 'run `npm run schema` and commit the result').toBe(fresh);
  });

  it('is a draft 2020-12 schema that describes its members', () => {
    const schema = desiredStateJsonSchema() as {
      $schema: string;
      description: string;
      properties: Record<string, { description?: string }>;
      $defs: Record<string, { description?: string; properties?: Record<string, { description?: string }> }>;
    };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.description).toContain('inventory configurations');
    for (const member of ['version', 'buckets', 'templates'])
      expect(schema.properties[member]!.description).toBeTruthy();
    expect(Object.keys(schema.$defs).sort()).toEqual(['InventoryConfiguration', 'ReconcileMode', 'Template']);
    const inventory = schema.$defs.InventoryConfiguration!;
    expect(inventory.description).toContain('aws s3api get-bucket-inventory-configuration');
    for (const field of ['Id', 'IsEnabled', 'Destination', 'Schedule', 'IncludedObjectVersions']) {
      expect(inventory.properties![field]!.description, field).toBeTruthy();
    }
  });

  it.skipIf(!hasPythonJsonSchema)(
    'passes the draft 2020-12 metaschema, and the example validates against it',
    () => {
      const example = JSON.stringify(parse(readFileSync(new URL('examples/inventory.yaml', root), 'utf8')));
      const script = [
        'import json, sys, jsonschema',
        'schema = json.load(open(sys.argv[1]))',
        'jsonschema.Draft202012Validator.check_schema(schema)',
        'jsonschema.Draft202012Validator(schema).validate(json.loads(sys.stdin.read()))',
        'print("ok")',
      ].join('\n');
      const out = execFileSync('python3', ['-c', script, new URL(DESIRED_STATE_SCHEMA_PATH, root).pathname], {
        input: example,
        encoding: 'utf8',
      });
      expect(out.trim()).toBe('ok');
    },
  );

  it.skipIf(!hasPythonJsonSchema)('lets editors flag a typo the loader also refuses', () => {
    const bad = JSON.stringify({ version: 1, buckets: { 'photos-prod': { inventory: [] } } });
    const script = [
      'import json, sys, jsonschema',
      'schema = json.load(open(sys.argv[1]))',
      'errors = list(jsonschema.Draft202012Validator(schema).iter_errors(json.loads(sys.stdin.read())))',
      'print(len(errors))',
    ].join('\n');
    const out = execFileSync('python3', ['-c', script, new URL(DESIRED_STATE_SCHEMA_PATH, root).pathname], {
      input: bad,
      encoding: 'utf8',
    });
    expect(Number(out.trim())).toBeGreaterThan(0);
  });
});
