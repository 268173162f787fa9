// How every Lambda in functions/ is bundled and how its init is measured: one definition, used by
// scripts/build.mjs (npm run build), scripts/packageFunctions.mjs (the osls plugin that builds the deployed
// zips) and bench/coldStart.ts (npm run bench).

/** The esbuild options that decide what a bundle holds and how it loads (as serverless.yml's esbuild). */
export const FUNCTION_BUNDLE_OPTIONS = {
  // Bundle everything, @aws-sdk/* included (no `external`): the deployed code runs the SDK versions it was
  // tested with (the runtime's copy changes under us and can be older than lib-dynamodb/Powertools expect),
  // and a tree-shaken, minified bundle loads faster than the runtime's full SDK.
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  minify: true,
  // What a function loads only on first use (lib/adapters/aws/loadSdk) goes to its own chunk file, so init neither
  // evaluates nor parses it. Needs an output folder: see bundleOutput.
  splitting: true,
  // Prefer each package's ESM build, as serverless.yml does: better tree-shaking of @aws-sdk/* and Powertools.
  mainFields: ['module', 'main'],
  // A fully bundled ESM file still meets CommonJS dependencies that call require(): give them one.
  banner: {
    js: "import { createRequire as __s3irCreateRequire } from 'node:module'; const require = __s3irCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
};

/**
 * Where a function's bundle goes: `<outdir>/<name>.mjs` (the handler file, `index.mjs` unless named) and
 * the chunks it loads on first use in `outdir`. One build per function: the folder then holds exactly what
 * that handler imports, nothing of another function.
 */
export function bundleOutput(entry, outdir, name = 'index') {
  return { entryPoints: { [name]: entry }, outdir, outExtension: { '.js': '.mjs' } };
}

/** What a function gets at init when measured: the settings it requires; nothing is called. */
export const INIT_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'dummy',
  AWS_SECRET_ACCESS_KEY: 'dummy',
  POWERTOOLS_SERVICE_NAME: 's3ir',
  POWERTOOLS_METRICS_DISABLED: 'true',
  S3IR_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/s3ir-reconcile',
  S3IR_ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:s3ir-alerts',
};

/**
 * The output files (metafile paths) a function loads, at init or on first use: its entry's output and
 * whatever that reaches through static and dynamic imports. esbuild also writes chunks that nothing imports
 * any more (the target of an `import()` whose caller was tree-shaken, such as @aws-sdk/core's browser-only
 * bowser): those are left out of the zip and of the size.
 */
export function reachableOutputs(metafile, entry) {
  const { outputs } = metafile;
  const start = Object.keys(outputs).find((file) => outputs[file].entryPoint === entry);
  if (!start) throw new Error(`no output of entry ${entry} in the metafile`);
  const reached = new Set([start]);
  const queue = [start];
  while (queue.length > 0) {
    for (const { path, external } of outputs[queue.shift()].imports) {
      if (external || reached.has(path) || !(path in outputs)) continue;
      reached.add(path);
      queue.push(path);
    }
  }
  return [...reached];
}
