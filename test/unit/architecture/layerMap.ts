import type { LayerConfig } from './checkLayers.js';

/**
 * The layers of this repository, bottom up, and the folder each belongs to (the longest matching prefix wins).
 * An import may point to its own layer or one below; only the adapters (and tooling that drives the local AWS)
 * load `@aws-sdk/*` at run time. A new folder must be declared here, or the checker reports it.
 */
export const LAYER_CONFIG: LayerConfig = {
  layers: ['core', 'usecases', 'adapters', 'entry'],
  folders: {
    // The core: models, policy, plan/apply, transitions. Pure but for node:crypto hashes and node:path.
    'lib/core/json/': 'core',
    'lib/core/concurrency/': 'core',
    'lib/core/inventory/': 'core',
    'lib/core/policy/': 'core',
    'lib/core/audit/': 'core',
    'lib/core/desired/': 'core',
    'lib/core/reconcile/': 'core',
    'lib/core/alerts/': 'core',
    'lib/core/delivery/': 'core',
    'lib/core/brake/': 'core',
    'lib/core/organization/': 'core',
    'lib/core/grants/': 'core',
    // Member accounts' statuses (#18): above alerts and organization, imported by use cases only.
    'lib/core/accounts/': 'core',
    // Use cases: what a Lambda or a command does, over ports each declares; no SDK.
    'lib/usecases/': 'usecases',
    // The adapters: the only folder that speaks AWS.
    'lib/adapters/aws/': 'adapters',
    // Entry points: they wire and run.
    'lib/wiring/': 'entry',
    'lib/cli/': 'entry',
    'lib/api/': 'entry',
    'functions/': 'entry',
    'infra/local/': 'entry',
    'scripts/': 'entry',
    'bench/': 'entry',
  },
  sdkAllowed: ['lib/adapters/aws/', 'infra/local/', 'scripts/', 'bench/'],
};

/** The folders whose files the checker reads. */
export const SCANNED_ROOTS = ['lib', 'functions', 'infra/local', 'scripts', 'bench'] as const;
