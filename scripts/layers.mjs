// Prints the import-layer violations of lib/, functions/, infra/local/, scripts/ and bench/ (the rule that
// test/unit/architecture/layers.test.ts holds in npm test) and exits 1 when there is any.
// Runs under tsx (npm run layers) because the checker is TypeScript shared with the test.
import { fileURLToPath } from 'node:url';
import { checkLayers } from '../test/unit/architecture/checkLayers.ts';
import { importGraph, sourceFiles } from '../test/unit/architecture/importGraph.ts';
import { LAYER_CONFIG, SCANNED_ROOTS } from '../test/unit/architecture/layerMap.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const files = sourceFiles(root, SCANNED_ROOTS);
const violations = checkLayers(LAYER_CONFIG, files, importGraph(root, files));
for (const violation of violations) console.log(`${violation.rule.padEnd(8)} ${violation.message}`);
console.log(`${files.length} files, ${violations.length} violations`);
process.exitCode = violations.length > 0 ? 1 : 0;
