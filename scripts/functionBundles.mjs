// How every Lambda in functions/ is bundled and how its init is measured: one definition, used by
// scripts/build.mjs (npm run build) and bench/coldStart.ts (npm run bench).

/** The esbuild options that decide what a bundle holds and how it loads (as serverless.yml's esbuild). */
export const FUNCTION_BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  minify: true,
  // What a function loads only on first use (lib/aws/loadSdk) goes to its own chunk file, so init neither
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
 * Where a function's bundle goes: `<outdir>/index.mjs` (the handler file) and the chunks it loads on
 * first use beside it.
 */
export function bundleOutput(entry, outdir) {
  return { entryPoints: { index: entry }, outdir, outExtension: { '.js': '.mjs' } };
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
