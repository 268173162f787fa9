import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import ts from 'typescript';

/** One import of one module by another, as the layer checker sees it. */
export interface ImportEdge {
  /** Importing file, relative to the repository root with `/` separators, e.g. `lib/core/reconcile/plan.ts`. */
  from: string;
  /** 1-based line of the import. */
  line: number;
  /** The specifier as written, e.g. `../json/isRecord.js`, `@aws-sdk/client-s3`. */
  specifier: string;
  /** The imported file (relative to the root) for a relative specifier, else the package name (`@aws-sdk/client-s3`). */
  to: string;
  /** True when the target is a file of the repository, false for a package or a `node:` builtin. */
  local: boolean;
  /** False for `import type` / `export type` / `typeof import()`: erased by the compiler, loaded only by `tsc`. */
  runtime: boolean;
}

const SOURCE_EXTENSIONS = ['.ts', '.mts', '.mjs', '.js'];

/** The package an import names: `@aws-sdk/client-s3/dist` → `@aws-sdk/client-s3`, `zod/mini` → `zod`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** The file a relative specifier names, relative to the root: `./x.js` may be `x.ts` (NodeNext resolution). */
export function resolveRelative(root: string, from: string, specifier: string): string {
  const target = posix.normalize(posix.join(posix.dirname(from), specifier));
  const stem = target.replace(/\.(m?js|ts)$/, '');
  const candidates = [
    target,
    ...SOURCE_EXTENSIONS.map((extension) => `${stem}${extension}`),
    ...SOURCE_EXTENSIONS.map((extension) => `${target}/index${extension}`),
  ];
  return candidates.find((file) => isFile(join(root, file))) ?? target;
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** Every module specifier in one source text, with whether it is loaded at run time. */
export function importsOf(
  text: string,
  fileName: string,
): { specifier: string; line: number; runtime: boolean }[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: { specifier: string; line: number; runtime: boolean }[] = [];
  const add = (literal: ts.Expression, runtime: boolean) => {
    if (!ts.isStringLiteralLike(literal)) return;
    const line = source.getLineAndCharacterOfPosition(literal.getStart(source)).line + 1;
    found.push({ specifier: literal.text, line, runtime });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      // `import { type A } from 'x'` still loads 'x' under verbatimModuleSyntax (it becomes `import {} from 'x'`).
      add(node.moduleSpecifier, node.importClause?.isTypeOnly !== true);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined) {
      add(node.moduleSpecifier, !node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, !node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument !== undefined) add(argument, true);
    } else if (ts.isImportTypeNode(node)) {
      const argument = node.argument;
      if (ts.isLiteralTypeNode(argument)) add(argument.literal as ts.Expression, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The source files under the given folders (relative to root), skipping declaration files and generated output. */
export function sourceFiles(root: string, folders: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    const absolute = join(root, folder);
    if (!existsSync(absolute)) return;
    for (const entry of readdirSync(absolute, { withFileTypes: true })) {
      const path = posix.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(path);
      } else if (/\.(ts|mts|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        files.push(path);
      }
    }
  };
  for (const folder of folders) walk(folder);
  return files.sort();
}

/** Every import edge of the given files (paths relative to root). */
export function importGraph(root: string, files: readonly string[]): ImportEdge[] {
  return files.flatMap((from) =>
    importsOf(readFileSync(join(root, from), 'utf8'), from).map(({ specifier, line, runtime }) => {
      const local = specifier.startsWith('.');
      const to = local ? resolveRelative(root, from, specifier) : packageName(specifier);
      return { from, line, specifier, to, local, runtime };
    }),
  );
}

/** A path relative to root with `/` separators. */
export function repoPath(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}
