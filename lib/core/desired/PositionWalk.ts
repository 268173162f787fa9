import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import { appendSegment } from './paths.js';
import type { SourceIssue, SourcePosition } from './types.js';

/** Walks the YAML tree once: the position of every path, and the issues only the tree shows. */
export class PositionWalk {
  readonly positions = new Map<string, SourcePosition>();
  readonly issues: SourceIssue[] = [];
  /** Aliases to anchors not set before them: the data cannot be built. */
  readonly unresolved: SourceIssue[] = [];

  constructor(
    private readonly lines: LineCounter,
    private readonly document: Document,
  ) {}

  node(node: unknown, path: string): void {
    // Aliases are not followed: a path through one is placed at the alias, where this use of it is written.
    if (isAlias(node) && node.resolve(this.document) === undefined) {
      this.unresolved.push({
        path,
        message: `YAML syntax error: the alias *${node.source} refers to no anchor &${node.source} set before it`,
        ...this.at(node.range?.[0]),
      });
    } else if (isMap(node)) {
      const seen = new Map<string, SourcePosition>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = this.keyOf(pair.key, path);
        const position = this.at(
          (pair.key as Node | null)?.range?.[0] ?? (pair.value as Node | null)?.range?.[0] ?? node.range?.[0],
        );
        if (key === undefined) continue;
        const memberPath = appendSegment(path, key);
        if (key === '__proto__') {
          // JavaScript objects cannot hold it as data: it would be dropped silently.
          this.issues.push({
            path: memberPath,
            message: 'the key "__proto__" is not supported',
            ...position,
          });
        }
        const earlier = seen.get(key);
        if (earlier !== undefined) {
          this.issues.push({
            path: memberPath,
            message: `duplicate key ${JSON.stringify(key)}: also at line ${earlier.line}; keep one`,
            ...position,
          });
        }
        seen.set(key, position);
        // The last of duplicate keys is the one the data holds, so it is the one errors point at.
        this.positions.set(memberPath, position);
        this.node(pair.value, memberPath);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const itemPath = appendSegment(path, index);
        this.positions.set(itemPath, this.at((item as Node | null)?.range?.[0] ?? node.range?.[0]));
        this.node(item, itemPath);
      });
    }
    if (path === '' && (node as Node | null)?.range !== undefined) {
      this.positions.set('', this.at((node as Node).range![0]));
    }
  }

  /** A key as the data holds it (as YAML's `toJS` writes it); `undefined`, with an issue, for a collection key. */
  private keyOf(key: unknown, path: string): string | undefined {
    if (key === null || key === undefined) return '';
    if (isScalar(key)) return key.value === null ? '' : String(key.value);
    const position = this.at((key as Node).range?.[0]);
    this.issues.push({
      path,
      message: 'expected a plain key (a name), got a key that is itself a mapping, list or alias',
      ...position,
    });
    return undefined;
  }

  private at(offset: number | undefined): SourcePosition {
    const { line, col } = this.lines.linePos(offset ?? 0);
    return { line, column: col };
  }
}
