import { posix } from 'node:path';

/**
 * The relative modules an ES module file imports: `import … from"./x.mjs"`, `import"./x.mjs"`,
 * `export … from"./x.mjs"` and `import("./x.mjs")`, as esbuild writes them (minified or not). Bare
 * specifiers (`node:module`) are not files of the bundle and are left out.
 */
export function relativeImports(source: string): Array<{ specifier: string; dynamic: boolean }> {
  const found: Array<{ specifier: string; dynamic: boolean }> = [];
  const statement = /\b(?:from|import)\s*(\()?\s*(["'])(\.{1,2}\/[^"'\s]+)\2/g;
  for (const match of source.matchAll(statement)) found.push({ specifier: match[3]!, dynamic: !!match[1] });
  return found;
}

/** What an archive's handler reaches through its imports. */
export interface ImportGraph {
  /** Every file reached from the handler file, the handler file included. */
  reached: Set<string>;
  /** Files reached only through `import()`: loaded on first use, not at init. */
  dynamicOnly: Set<string>;
  /** Specifiers naming no file of the archive (`importer → resolved name`). */
  missing: string[];
}

/** Walks the imports from `handlerFile` through `files` (archive name → source). */
export function importGraph(files: Map<string, string>, handlerFile: string): ImportGraph {
  const missing = new Set<string>();
  const reach = (followDynamic: boolean): Set<string> => {
    const reached = new Set<string>([handlerFile]);
    const queue = [handlerFile];
    while (queue.length > 0) {
      const file = queue.shift()!;
      for (const { specifier, dynamic } of relativeImports(files.get(file) ?? '')) {
        if (dynamic && !followDynamic) continue;
        const target = posix.normalize(posix.join(posix.dirname(file), specifier));
        if (!files.has(target)) missing.add(`${file} → ${target}`);
        else if (!reached.has(target)) {
          reached.add(target);
          queue.push(target);
        }
      }
    }
    return reached;
  };
  const reached = reach(true);
  // What the handler file's static imports reach is loaded at init; the rest only on first use.
  const atInit = reach(false);
  return {
    reached,
    dynamicOnly: new Set([...reached].filter((file) => !atInit.has(file))),
    missing: [...missing],
  };
}
