/**
 * The SDK client packages a function uses only now and then (KMS keys, alerts, the queue, tag selection,
 * STS), loaded on first use (issue #7): each costs 3–8 ms of init, mostly evaluating its schema module.
 * esbuild evaluates a module that a bundle reaches only through `import()` when that import runs, and with
 * code splitting leaves it in a chunk file read only then; without splitting its code is still parsed at
 * init. S3 and DynamoDB stay static imports: (nearly) every invocation uses them.
 *
 * Each loader imports a module of ./sdk naming the parts the service uses: a dynamically imported module
 * keeps every export, so importing the package itself would bundle all its commands. One static import of
 * such a package elsewhere puts it back into init: test/unit/adapters/aws/lazySdkBundles.test.ts checks each
 * function. Types are free (`import type` is erased): take them from the packages directly.
 */
const loaders = {
  kms: () => import('./sdk/kms.js'),
  organizations: () => import('./sdk/organizations.js'),
  sns: () => import('./sdk/sns.js'),
  sqs: () => import('./sdk/sqs.js'),
  sts: () => import('./sdk/sts.js'),
  tagging: () => import('./sdk/tagging.js'),
};

export type SdkName = keyof typeof loaders;
export type SdkPackage<N extends SdkName> = Awaited<ReturnType<(typeof loaders)[N]>>;

const loaded = new Map<SdkName, Promise<unknown>>();

/**
 * One SDK client package, evaluated on the first call (memoized).
 * @example const { PublishCommand } = await loadSdk('sns');
 */
export function loadSdk<N extends SdkName>(name: N): Promise<SdkPackage<N>> {
  let module = loaded.get(name);
  if (module === undefined) {
    module = loaders[name]();
    loaded.set(name, module);
  }
  return module as Promise<SdkPackage<N>>;
}
