/**
 * Writes schema/desired-state.schema.json from the zod schema of the desired-state file (`npm run schema`),
 * then formats it with Biome so that `npm run lint` accepts it as written. A unit test fails when the committed
 * file means anything other than a fresh one, so run this after changing the schema.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { DESIRED_STATE_SCHEMA_PATH, desiredStateJsonSchemaText } from '../lib/core/desired/jsonSchema.js';

const target = fileURLToPath(new URL(`../${DESIRED_STATE_SCHEMA_PATH}`, import.meta.url));
writeFileSync(target, desiredStateJsonSchemaText());
const biome = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome');
execFileSync(process.execPath, [biome, 'format', '--write', target], { stdio: 'ignore' });
console.log(`wrote ${DESIRED_STATE_SCHEMA_PATH}`);
