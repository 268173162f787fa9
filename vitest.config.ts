import { defineConfig } from 'vitest/config';

// The SDK warns once per process that its releases after January 2027 need Node 22; this repository pins
// today's SDK for Node 20 (package-lock.json), so in tests, where every CLI subprocess and the local AWS would
// print it, it is noise. Set here, in the main process, it reaches the global setup, the workers and children.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/globalSetup/localAws.ts'],
    // Integration tests talk to a local AWS over HTTP; a loaded 2-core machine needs room.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    coverage: {
      provider: 'v8',
      include: ['lib/**/*.ts'],
      exclude: [
        'lib/**/index.ts',
        'lib/**/types.ts',
        'lib/**/ports.ts',
        // The command layer runs only as `s3ir` subprocesses in test/cli (asserting output, exit codes and
        // resulting AWS state); v8 coverage of the test workers cannot see child processes.
        'lib/cli/main.ts',
        'lib/cli/commands/**',
        'lib/cli/cliContext.ts',
        'lib/wiring/planBuckets.ts',
      ],
      reporter: ['text', 'json-summary'],
      reportsDirectory: 'coverage',
      thresholds: { lines: 90 },
    },
  },
});
