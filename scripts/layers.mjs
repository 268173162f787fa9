// Prints the import-layer violations of lib/, functions/, infra/local/, scripts/ and bench/, and how they differ from
// the ratchet in test/unit/architecture/knownViolations.json. `npm run layers -- --write` rewrites that file: do it
// only when the list shrank (the test fails on any violation not listed and on any listed one that is gone).
// Runs under tsx (npm run layers) because the checker is TypeScript shared with the test.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkLayers, compareWithKnown, knownViolationsOf } from '../test/unit/architecture/checkLayers.ts';
import { importGraph, sourceFiles } from '../test/unit/architecture/importGraph.ts';
import { LAYER_CONFIG, SCANNED_ROOTS } from '../test/unit/architecture/layerMap.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const knownFile = fileURLToPath(new URL('../test/unit/architecture/knownViolations.json', import.meta.url));

const files = sourceFiles(root, SCANNED_ROOTS);
const violations = checkLayers(LAYER_CONFIG, files, importGraph(root, files));

if (process.argv.includes('--write')) {
  writeFileSync(knownFile, `${JSON.stringify(knownViolationsOf(violations), null, 2)}\n`);
  // Biome owns the layout of JSON files too (npm run lint).
  execFileSync(fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url)), [
    'format',
    '--write',
    knownFile,
  ]);
  console.log(`wrote ${violations.length} known violations to ${knownFile}`);
} else {
  for (const violation of violations) console.log(`${violation.rule.padEnd(8)} ${violation.message}`);
  const { added, gone } = compareWithKnown(violations, JSON.parse(readFileSync(knownFile, 'utf8')));
  console.log(
    `\n${violations.length} violations; ${added.length} not in the ratchet, ${gone.length} listed but gone`,
  );
  for (const violation of added) console.log(`new   ${violation.rule} ${violation.message}`);
  for (const id of gone) console.log(`gone  ${id}`);
  process.exitCode = added.length > 0 || gone.length > 0 ? 1 : 0;
}
