// The osls plugin (serverless.yml `plugins`) that packages every function on its own: one esbuild build of
// that function's handler alone, with the options of `npm run build` (scripts/functionBundles.mjs: code
// splitting, so what a handler loads on first use stays out of its init), zipped, and handed to osls as the
// function's `package.artifact`. One build per function, so its zip holds its handler file and the chunks
// that file imports, and nothing of another function (serverless-esbuild built every handler into one
// folder, and each zip carried the others' chunks).
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { build } from 'esbuild';
import { bundleOutput, FUNCTION_BUNDLE_OPTIONS, reachableOutputs } from './functionBundles.mjs';
import { zipFiles } from './zipFiles.mjs';

/** Where the builds go, per function (ignored by git, left out of `npm run package`'s copy). */
const WORK_DIR = '.esbuild';
const SOURCE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

/** `functions/schedule.handler` → `functions/schedule`: the handler file without extension. */
export function handlerModule(handler) {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0) throw new Error(`handler "${handler}" is not <file>.<export>`);
  return handler.slice(0, dot);
}

/**
 * Builds one function into `<outdir>/<handler file>.mjs` plus its chunks, and returns the archive entries:
 * every file the handler file reaches through its imports, named relative to `outdir` (the zip root is the
 * Lambda task root).
 */
export async function buildFunction({ serviceDir, handler, outdir }) {
  const module = handlerModule(handler);
  const entry = SOURCE_EXTENSIONS.map((extension) => `${module}${extension}`).find((candidate) =>
    existsSync(join(serviceDir, candidate)),
  );
  if (!entry)
    throw new Error(`handler "${handler}": none of ${SOURCE_EXTENSIONS.map((e) => module + e).join(', ')}`);
  await rm(outdir, { recursive: true, force: true }); // chunks of an earlier build would linger
  const result = await build({
    ...FUNCTION_BUNDLE_OPTIONS,
    ...bundleOutput(entry, outdir, module),
    absWorkingDir: serviceDir,
    sourcemap: false,
    metafile: true,
  });
  const files = reachableOutputs(result.metafile, entry).map((file) => resolve(serviceDir, file));
  return Promise.all(
    files.map(async (file) => ({
      name: relative(outdir, file).split(sep).join('/'),
      data: await readFile(file),
    })),
  );
}

export default class PackageFunctions {
  constructor(serverless, options, { log } = {}) {
    this.serverless = serverless;
    this.options = options;
    this.log = log;
    this.hooks = {
      'before:package:createDeploymentArtifacts': () =>
        this.packageFunctions(serverless.service.getAllFunctions()),
      // `osls package function` and `osls deploy function` (which spawns it).
      'before:package:function:package': () => this.packageFunctions([options.function]),
    };
  }

  async packageFunctions(names) {
    const { serviceDir, service } = this.serverless;
    // Where osls writes its own artifacts (`--package`, `package.path`, else `.serverless`).
    const packageDir = resolve(serviceDir, this.options.package ?? service.package?.path ?? '.serverless');
    await mkdir(packageDir, { recursive: true });
    for (const name of names) {
      const functionObject = service.getFunction(name);
      if (!functionObject.handler) continue; // an image function: nothing to bundle
      const files = await buildFunction({
        serviceDir,
        handler: functionObject.handler,
        outdir: join(serviceDir, WORK_DIR, name),
      });
      const artifact = join(packageDir, `${name}.zip`);
      const zip = zipFiles(files);
      await writeFile(artifact, zip);
      functionObject.package = { ...functionObject.package, artifact };
      this.log?.verbose?.(`${name}: ${files.length} file(s), ${(zip.length / 1024).toFixed(1)} KiB zipped`);
    }
  }
}
