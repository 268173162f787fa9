/** Where a path goes under the mapping (longest key first), or undefined when no key matches it. */
export function mappedPath(mapping: Readonly<Record<string, string>>, path: string): string | undefined;
/** Every tracked file that moves, old → new; throws on two files with one destination or an unused key. */
export function plannedMoves(
  mapping: Readonly<Record<string, string>>,
  trackedFiles: readonly string[],
): Map<string, string>;
/** One file's text with every relative specifier pointing where its target now lives. */
export function rewriteSpecifiers(
  text: string,
  oldFile: string,
  newFile: string,
  moveOf: (path: string) => string,
  isFile: (path: string) => boolean,
): { text: string; count: number };
/** Lines of text files that still name an old path after the rewrite, as `file:line: path`. */
export function staleMentions(
  trackedFiles: readonly string[],
  moves: ReadonlyMap<string, string>,
  textOf: (file: string) => string,
): string[];
/** Moves and rewrites in the repository at `root`; with `dryRun` only says what it would do. */
export function moveModules(
  root: string,
  mapping: Readonly<Record<string, string>>,
  options?: { dryRun?: boolean; log?: (line: string) => void; ignore?: readonly string[] },
): { moves: Map<string, string>; edits: Map<string, string>; mentions: string[] };
/** The folders whose code is rewritten. */
export const CODE_ROOTS: readonly string[];
