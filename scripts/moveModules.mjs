// Moves modules with `git mv` and rewrites every relative specifier that pointed at them (or from them), so a layout
// change is one reviewed commit instead of hundreds of hand edits.
//
//   node scripts/moveModules.mjs mapping.json [--dry-run]
//
// mapping.json maps an old path to a new one: a file (`"lib/reconcile/types.ts": "lib/desired/types.ts"`) or a folder
// prefix ending in `/` (`"lib/aws/": "lib/adapters/aws/"`); the longest matching key wins, so a file can leave a
// folder that moves elsewhere. Specifiers in static and dynamic imports, `export … from`, `vi.mock()` and its kin,
// `require()` and `new URL('…', import.meta.url)` are rewritten in every .ts/.tsx/.mts/.mjs/.js file of the roots
// below, keeping the extension as written (`./x.js` for `x.ts`). Other text files that still name an old path
// (serverless.yml handlers, vitest.config.ts coverage globs, README links) are listed for a hand edit.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folders whose code is rewritten, plus the code files at the repository root (vitest.config.ts). */
export const CODE_ROOTS = ['lib/', 'functions/', 'test/', 'scripts/', 'bench/', 'infra/', 'viewer/', 'bin/'];
const CODE_FILE = /\.(ts|tsx|mts|mjs|js)$/;
const TEXT_FILE = /\.(ts|tsx|mts|mjs|js|json|ya?ml|md|html)$/;

// A quote, then a relative specifier, after one of the forms that name a module or a file next to the code.
const SPECIFIER = new RegExp(
  `(?:${[
    String.raw`(\bfrom\s*)`,
    String.raw`(\bimport\s*\(\s*)`,
    String.raw`(\bimport\s+)`,
    String.raw`(\bvi\.(?:mock|doMock|unmock|doUnmock|importActual|importMock)\s*\(\s*)`,
    String.raw`(\brequire\s*\(\s*)`,
    String.raw`(\bnew\s+URL\s*\(\s*)`,
  ].join('|')})${String.raw`(['"])(\.\.?(?:/[^'"\n]*)?)\7`}`,
  'g',
);

/** Where a path goes under the mapping (longest key first), or undefined when no key matches it. */
export function mappedPath(mapping, path) {
  let best;
  for (const from of Object.keys(mapping)) {
    const matches = from.endsWith('/') ? `${path}/`.startsWith(from) : path === from;
    if (matches && (best === undefined || from.length > best.length)) best = from;
  }
  if (best === undefined) return undefined;
  const to = mapping[best];
  if (!best.endsWith('/')) return to;
  const rest = path.slice(best.length);
  return `${to}${rest}`.replace(/\/$/, '') || to;
}

/** Every tracked file that moves, old → new; refuses two files with one destination or a move onto a kept file. */
export function plannedMoves(mapping, trackedFiles) {
  const moves = new Map();
  for (const file of trackedFiles) {
    const to = mappedPath(mapping, file);
    if (to !== undefined && to !== file) moves.set(file, to);
  }
  const tracked = new Set(trackedFiles);
  const destinations = new Map();
  for (const [from, to] of moves) {
    if (destinations.has(to)) throw new Error(`${from} and ${destinations.get(to)} would both move to ${to}`);
    if (tracked.has(to) && !moves.has(to)) throw new Error(`${from} would move onto ${to}, which stays`);
    destinations.set(to, from);
  }
  for (const key of Object.keys(mapping)) {
    const used = key.endsWith('/') ? [...moves.keys()].some((file) => file.startsWith(key)) : moves.has(key);
    if (!used) throw new Error(`the mapping key ${key} matches no tracked file`);
  }
  return moves;
}

/** The ways a specifier names a file, as [suffix of the specifier, suffix of the file]: `.js` names `.ts`. */
const SPELLINGS = [
  ['', ''],
  ['.js', '.ts'],
  ['.js', '.tsx'],
  ['.mjs', '.mts'],
  ['', '.ts'],
  ['', '.tsx'],
  ['', '.mjs'],
  ['', '.js'],
  ['', '/index.ts'],
  ['/', '/index.ts'],
];

/** The specifier that names `newTarget` from a file in `newDir`, spelled the way `specifier` was. */
function respell(specifier, newDir, newTarget, spelling) {
  const [specSuffix, fileSuffix] = spelling;
  const bare = newTarget.slice(0, newTarget.length - fileSuffix.length);
  let relative = posix.relative(newDir, bare);
  if (!relative.startsWith('.')) relative = relative === '' ? '.' : `./${relative}`;
  const trailingSlash = specSuffix === '' && specifier.endsWith('/') && !relative.endsWith('/') ? '/' : '';
  return `${relative}${specSuffix}${trailingSlash}`;
}

/**
 * One file's text with every relative specifier pointing where its target now lives, seen from where the file now
 * lives. `moveOf(path)` gives a path's new location (itself when it stays); `isFile(path)` tells tracked files.
 */
export function rewriteSpecifiers(text, oldFile, newFile, moveOf, isFile) {
  const oldDir = posix.dirname(oldFile);
  const newDir = posix.dirname(newFile);
  let count = 0;
  const rewritten = text.replace(SPECIFIER, (match, ...groups) => {
    const quote = groups[6];
    const specifier = groups[7];
    const lead = groups.slice(0, 6).find((group) => group !== undefined) ?? '';
    const resolved = posix.normalize(posix.join(oldDir, specifier)).replace(/\/$/, '');
    const spelling = SPELLINGS.find(([specSuffix, fileSuffix]) => {
      if (!specifier.endsWith(specSuffix) || (specSuffix === '/' && !specifier.endsWith('/'))) return false;
      const stem = specSuffix === '' || specSuffix === '/' ? resolved : resolved.slice(0, -specSuffix.length);
      return isFile(`${stem}${fileSuffix}`);
    });
    let replacement;
    if (spelling === undefined) {
      // Not a tracked file (a folder, a generated file): keep naming the same path, or the path its folder moved to.
      replacement = respell(specifier, newDir, moveOf(resolved), ['', '']);
      if (specifier.endsWith('/') && !replacement.endsWith('/')) replacement += '/';
    } else {
      const [specSuffix, fileSuffix] = spelling;
      const stem = specSuffix === '' || specSuffix === '/' ? resolved : resolved.slice(0, -specSuffix.length);
      const oldTarget = `${stem}${fileSuffix}`;
      replacement = respell(specifier, newDir, moveOf(oldTarget), spelling);
    }
    if (replacement === specifier) return match;
    count += 1;
    return `${lead}${quote}${replacement}${quote}`;
  });
  return { text: rewritten, count };
}

/**
 * Lines of text files that still name an old path (without extension) after the rewrite, as `file:line: path`:
 * serverless.yml handlers, coverage globs, esbuild entry points, README links. `textOf` gives a file's new text.
 */
export function staleMentions(trackedFiles, moves, textOf) {
  const needles = [...moves.keys()].map((file) => {
    const stem = file.replace(/\.(ts|tsx|mts|mjs|js)$/, '');
    return {
      stem,
      pattern: new RegExp(`(^|[^\\w./-])${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`),
    };
  });
  const mentions = [];
  for (const file of trackedFiles) {
    if (!TEXT_FILE.test(file) || file === 'package-lock.json') continue;
    textOf(file)
      .split('\n')
      .forEach((line, index) => {
        const named = needles.find(({ pattern }) => pattern.test(line));
        if (named !== undefined) mentions.push(`${file}:${index + 1}: ${named.stem}`);
      });
  }
  return mentions;
}

/** Moves and rewrites in the repository at `root`; with `dryRun` only says what it would do. */
export function moveModules(root, mapping, { dryRun = false, log = console.log, ignore = [] } = {}) {
  const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' });
  const trackedFiles = git('ls-files', '-z').split('\0').filter(Boolean);
  const tracked = new Set(trackedFiles);
  const moves = plannedMoves(mapping, trackedFiles);
  const moveOf = (path) => moves.get(path) ?? mappedPath(mapping, path) ?? path;
  const codeFiles = trackedFiles.filter(
    (file) =>
      CODE_FILE.test(file) && (CODE_ROOTS.some((folder) => file.startsWith(folder)) || !file.includes('/')),
  );
  const edits = new Map();
  let specifiers = 0;
  for (const file of codeFiles) {
    const text = readFileSync(join(root, file), 'utf8');
    const result = rewriteSpecifiers(text, file, moveOf(file), moveOf, (path) => tracked.has(path));
    if (result.count > 0) edits.set(file, result.text);
    specifiers += result.count;
  }
  // Read before moving: the names are the files' new paths.
  const mentions = staleMentions(
    trackedFiles.filter((file) => !ignore.includes(file)),
    moves,
    (file) => edits.get(file) ?? readFileSync(join(root, file), 'utf8'),
  ).map((mention) => {
    const file = mention.slice(0, mention.indexOf(':'));
    return `${moveOf(file)}${mention.slice(file.length)}`;
  });
  for (const [from, to] of moves) log(`${dryRun ? 'would move' : 'move'} ${from} → ${to}`);
  if (!dryRun) {
    for (const [from, to] of moves) {
      mkdirSync(dirname(join(root, to)), { recursive: true });
      git('mv', from, to);
    }
    for (const [file, text] of edits) writeFileSync(join(root, moveOf(file)), text);
    // A rewritten specifier can change the order Biome's organizeImports wants; let it sort what we touched.
    const biome = join(root, 'node_modules/.bin/biome');
    const touched = [...edits.keys()].map(moveOf);
    if (touched.length > 0 && existsSync(biome)) {
      try {
        execFileSync(biome, ['check', '--write', '--no-errors-on-unmatched', ...touched], {
          cwd: root,
          stdio: 'ignore',
        });
      } catch {
        log('biome check --write left findings in the rewritten files: run npm run lint');
      }
    }
  }
  log(`${moves.size} files moved, ${specifiers} specifiers rewritten in ${edits.size} files`);
  if (mentions.length > 0) log(`still naming an old path (edit by hand):\n  ${mentions.join('\n  ')}`);
  return { moves, edits, mentions };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const mappingFile = args.find((arg) => !arg.startsWith('--'));
  if (mappingFile === undefined) {
    console.error('usage: node scripts/moveModules.mjs mapping.json [--dry-run]');
    process.exit(2);
  }
  const root = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
  const mapping = JSON.parse(readFileSync(mappingFile, 'utf8'));
  try {
    // The mapping file names every old path: it is not a stale mention.
    const ignore = [relative(root, resolve(mappingFile)).split(sep).join('/')];
    moveModules(root, mapping, { dryRun: args.includes('--dry-run'), ignore });
  } catch (error) {
    console.error(`moveModules: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
