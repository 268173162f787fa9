import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { FUNCTION_BUNDLE_OPTIONS, INIT_ENV } from '../../../../scripts/functionBundles.mjs';

const root = new URL('../../../../', import.meta.url).pathname;
const functions = readdirSync(join(root, 'functions')).filter((file) => file.endsWith('.ts'));
const workDir = mkdtempSync(join(tmpdir(), 's3ir-lazy-sdk-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/**
 * The SDK client packages each function evaluates at import: what (nearly) every invocation of it uses.
 * DynamoDB and S3 (reconcile and the delivery check read S3 on every invocation; every function's wiring
 * (lib/wiring) builds the client factory, which imports the S3 client statically).
 */
const AT_INIT: Record<string, string[]> = {
  auditAnchor: ['client-dynamodb', 'client-s3'],
  auditApi: ['client-dynamodb', 'client-s3'],
  deliveryCheck: ['client-dynamodb', 'client-s3'],
  desiredChange: ['client-dynamodb', 'client-s3'],
  discover: ['client-dynamodb', 'client-s3'],
  reconcile: ['client-dynamodb', 'client-s3'],
  s3Change: ['client-dynamodb', 'client-s3'],
  schedule: ['client-dynamodb', 'client-s3'],
};

/** Every client package the service uses: each is in every bundle, evaluated at init or on first use. */
const BUNDLED = [
  'client-dynamodb',
  'client-kms',
  'client-organizations',
  'client-resource-groups-tagging-api',
  'client-s3',
  'client-sns',
  'client-sqs',
  'client-sts',
];

/** A client package's schema module: the bulk of its init (every shape and error registered when evaluated). */
const SCHEMA_MODULE = /[\\/]@aws-sdk[\\/](client-[^\\/]+)[\\/]dist-es[\\/]schemas[\\/]schemas_0\.js$/;

/** Makes each client package's schema module record its package name when it is evaluated. */
function markEvaluation(marked: Set<string>): Plugin {
  return {
    name: 'mark-sdk-evaluation',
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: SCHEMA_MODULE }, (args) => {
        const name = SCHEMA_MODULE.exec(args.path)![1]!;
        marked.add(name);
        const marker = `globalThis.__s3irEvaluated.push(${JSON.stringify(name)});\n`;
        return { contents: marker + readFileSync(args.path, 'utf8'), loader: 'js' };
      });
    },
  };
}

/**
 * Bundles a function as `npm run build` does (plus the markers; into a folder, so that code-split chunks
 * count too), imports it in a fresh node as the build measures init, and answers the client packages in
 * its output and those evaluated by the import.
 */
async function clientPackages(
  file: string,
): Promise<{ bundled: string[]; evaluated: string[]; marked: string[] }> {
  const outdir = join(workDir, file.replace(/\.ts$/, ''));
  const marked = new Set<string>();
  const result = await build({
    ...FUNCTION_BUNDLE_OPTIONS,
    absWorkingDir: root,
    entryPoints: { index: join('functions', file) },
    outdir,
    outExtension: { '.js': '.mjs' },
    metafile: true,
    plugins: [markEvaluation(marked)],
  });
  const bundled = new Set(
    Object.values(result.metafile.outputs)
      .flatMap((output) => Object.entries(output.inputs))
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => /[\\/]@aws-sdk[\\/](client-[^\\/]+)[\\/]/.exec(path)?.[1])
      .filter((name) => name !== undefined),
  );
  const script =
    'globalThis.__s3irEvaluated = []; await import(process.env.S3IR_BUNDLE_URL); ' +
    "process.stdout.write('\\n' + JSON.stringify(globalThis.__s3irEvaluated));";
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, ...INIT_ENV, S3IR_BUNDLE_URL: pathToFileURL(join(outdir, 'index.mjs')).href },
    encoding: 'utf8',
  });
  const evaluated: string[] = JSON.parse(stdout.trim().split('\n').at(-1)!);
  return {
    bundled: [...bundled].sort(),
    evaluated: [...new Set(evaluated)].sort(),
    marked: [...marked].sort(),
  };
}

// Each client package costs 5–15 ms of init; a function loads those it needs only now and then on first
// use (lib/adapters/aws/loadSdk). One static import of such a package (a command class used anywhere in the
// function's bundle) puts it back into that function's init (issue #7).
describe('the Lambda bundles', () => {
  it.each(functions)(
    '%s evaluates only the client packages it always uses at init',
    { timeout: 120_000 },
    async (file) => {
      const packages = await clientPackages(file);

      expect(packages.bundled).toEqual(BUNDLED);
      // Every package in the bundle carries a marker: an SDK that moved its schema module fails here.
      expect(packages.marked).toEqual(BUNDLED);
      expect(packages.evaluated).toEqual(AT_INIT[file.replace(/\.ts$/, '')]);
    },
  );
});
