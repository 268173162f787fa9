import { type Document, LineCounter, parseDocument, type YAMLError } from 'yaml';
import { jsonSyntaxError } from './jsonSyntaxError.js';
import { PositionWalk } from './PositionWalk.js';
import { parentPath } from './paths.js';
import type { Locate, SourceIssue, SourcePosition } from './types.js';

/** At most this many aliases are expanded, so that a "billion laughs" file cannot exhaust memory. */
const MAX_ALIAS_COUNT = 100;

export interface ParsedSource {
  /** The data, or `undefined` when the text could not be parsed at all. */
  value: unknown;
  issues: SourceIssue[];
  locate: Locate;
}

/**
 * Parses a desired-state file's text, YAML or strict JSON, and records the line and column of every member
 * and element, so that any error found later can be placed. JSON is read with the same YAML 1.2 parser (JSON is
 * YAML), after a strict JSON check, so that both formats get the same positions. Duplicate keys and keys that are
 * not scalars are issues. Never throws for any text.
 */
export function parseSource(text: string, format: 'json' | 'yaml'): ParsedSource {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = new LineCounter();
  const noPositions: Locate = () => undefined;
  if (format === 'json') {
    const syntax = jsonSyntaxError(source);
    if (syntax !== undefined) {
      const position = positionOf(source, syntax.offset);
      return {
        value: undefined,
        issues: [{ path: '', message: `invalid JSON: ${syntax.message}`, ...position }],
        locate: noPositions,
      };
    }
  }
  const document = parseDocument(source, {
    lineCounter: lines,
    uniqueKeys: false,
    logLevel: 'error',
    prettyErrors: true,
  });
  if (document.errors.length > 0 && format === 'json') {
    // Strict JSON that the YAML parser refuses (YAML limits implicit keys to 1024 characters): read it without
    // positions rather than refuse a valid file.
    return { value: JSON.parse(source) as unknown, issues: [], locate: noPositions };
  }
  if (document.errors.length > 0) {
    return {
      value: undefined,
      issues: document.errors.map((error) => yamlIssue(error, `${kindOf(format)} syntax error`)),
      locate: noPositions,
    };
  }
  const walk = new PositionWalk(lines, document);
  walk.node(document.contents, '');
  if (walk.unresolved.length > 0) return { value: undefined, issues: walk.unresolved, locate: noPositions };
  // The parser's warnings (an unknown tag) are errors here: the file would not mean what it says.
  const issues = [
    ...document.warnings.map((warning) => yamlIssue(warning, `unsupported ${kindOf(format)}`)),
    ...walk.issues,
  ];
  const locate: Locate = (path) => {
    for (let at = path; ; at = parentPath(at)) {
      const position = walk.positions.get(at);
      if (position !== undefined || at === '') return position;
    }
  };
  try {
    return { value: toData(document), issues, locate };
  } catch (error) {
    const message = `could not expand the file: ${error instanceof Error ? error.message : String(error)}`;
    return { value: undefined, issues: [...issues, { path: '', message }], locate };
  }
}

function toData(document: Document): unknown {
  return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
}

function kindOf(format: 'json' | 'yaml'): string {
  return format === 'json' ? 'JSON' : 'YAML';
}

function yamlIssue(error: YAMLError, label: string): SourceIssue {
  // prettyErrors appends " at line L, column C:" and a snippet of the text; the place is given separately.
  const reason = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  const start = error.linePos?.[0];
  return {
    path: '',
    message: `${label}: ${reason}`,
    ...(start !== undefined && { line: start.line, column: start.col }),
  };
}

/** Line and column of an offset, 1-based. */
function positionOf(text: string, offset: number): SourcePosition {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}
