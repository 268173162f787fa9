import { bucketNameRules, type NameRulesState } from './bucketNameRules.js';
import { BUCKET_NAME_ALPHABET, globSteps } from './globMatch.js';

/** What {@link commonBucketName} found: a name, proof that there is none, or no answer within its budget. */
export type CommonBucketName = { kind: 'found'; name: string } | { kind: 'none' } | { kind: 'undecided' };

export interface CommonBucketNameOptions {
  /** Names that do not count (e.g. buckets whose own entry declares the Id). */
  exclude?: readonly string[];
  /** How many search states to visit before giving up as `undecided` (default 50,000: about a second). */
  maxStates?: number;
}

/**
 * The first valid bucket name (shortest, then in code-unit order) that one glob of `left` and one glob of
 * `right` both match: whether two templates' name selectors can ever select the same bucket, with a witness.
 * A breadth-first search over the product of three automata read one character at a time: each glob list
 * (positions in its globs, `*` looping), and the bucket naming rules; so a glob pair whose common names are all
 * invalid bucket names (`xn--*`) has none. Pure; `undecided` only for globs built to explode the search.
 * @example commonBucketName(['*-prod'], ['photos-*']) // { kind: 'found', name: 'photos-prod' }
 */
export function commonBucketName(
  left: readonly string[],
  right: readonly string[],
  options: CommonBucketNameOptions = {},
): CommonBucketName {
  const globs = [new GlobListAutomaton(left), new GlobListAutomaton(right)];
  const excluded = new ExclusionAutomaton(options.exclude ?? []);
  const maxStates = options.maxStates ?? 50_000;
  const nodes: SearchNode[] = [
    { sets: globs.map((glob) => glob.start), rules: bucketNameRules.start, prefix: '', length: 0 },
  ];
  const seen = new Set([keyOf(nodes[0]!)]);
  for (let index = 0; index < nodes.length; index++) {
    const node = nodes[index]!;
    if (accepted(node, globs, excluded)) return { kind: 'found', name: nameOf(nodes, index) };
    if (node.length === bucketNameRules.maxLength) continue;
    for (const character of BUCKET_NAME_ALPHABET) {
      const next = stepNode(node, character, globs, excluded, index);
      if (next === undefined) continue;
      const key = keyOf(next);
      if (seen.has(key)) continue;
      if (seen.size >= maxStates) return { kind: 'undecided' };
      seen.add(key);
      nodes.push(next);
    }
  }
  return { kind: 'none' };
}

/** One state of the search, reached by the shortest-then-first name: `character` after `parent`'s name. */
interface SearchNode {
  sets: number[];
  rules: NameRulesState;
  /** The name so far while it is the start of an excluded name, else undefined. */
  prefix: string | undefined;
  length: number;
  parent?: number;
  character?: string;
}

function stepNode(
  node: SearchNode,
  character: string,
  globs: readonly GlobListAutomaton[],
  excluded: ExclusionAutomaton,
  parent: number,
): SearchNode | undefined {
  const sets = node.sets.map((set, which) => globs[which]!.step(set, character));
  if (sets.includes(DEAD)) return undefined;
  const rules = bucketNameRules.step(node.rules, character);
  if (rules === undefined) return undefined;
  return {
    sets,
    rules,
    prefix: excluded.step(node.prefix, character),
    length: node.length + 1,
    parent,
    character,
  };
}

function accepted(node: SearchNode, globs: readonly GlobListAutomaton[], excluded: ExclusionAutomaton) {
  return (
    node.length >= bucketNameRules.minLength &&
    node.sets.every((set, which) => globs[which]!.accepts(set)) &&
    bucketNameRules.accepts(node.rules) &&
    !excluded.accepts(node.prefix)
  );
}

/** Lengths past the minimum are one: a state reached by a shorter name is as good for every ending. */
function keyOf(node: SearchNode): string {
  const length = Math.min(node.length, bucketNameRules.minLength);
  return `${node.sets.join(',')}|${bucketNameRules.key(node.rules)}|${node.prefix ?? '~'}|${length}`;
}

function nameOf(nodes: readonly SearchNode[], index: number): string {
  const characters: string[] = [];
  for (let node = nodes[index]; node?.character !== undefined; node = nodes[node.parent!])
    characters.push(node.character);
  return characters.reverse().join('');
}

const DEAD = -1;

/**
 * A list of globs as one automaton (a name matches when any glob does): a state is the set of positions
 * (glob, step) the name so far can be at, numbered as the search meets them (the subset construction,
 * made lazily).
 */
class GlobListAutomaton {
  readonly start: number;
  private readonly steps: Array<Array<'*' | ReadonlySet<string>>>;
  private readonly ids = new Map<string, number>();
  private readonly sets: Array<Array<[number, number]>> = [];
  private readonly transitions = new Map<string, number>();

  constructor(globs: readonly string[]) {
    this.steps = globs.map(globSteps);
    this.start = this.idOf(this.closure(this.steps.map((_, glob): [number, number] => [glob, 0])));
  }

  step(state: number, character: string): number {
    const key = `${state}|${character}`;
    let next = this.transitions.get(key);
    if (next === undefined) {
      const positions: Array<[number, number]> = [];
      for (const [glob, at] of this.sets[state]!) {
        const step = this.steps[glob]![at];
        if (step === '*') positions.push([glob, at]);
        else if (step?.has(character)) positions.push([glob, at + 1]);
      }
      next = positions.length === 0 ? DEAD : this.idOf(this.closure(positions));
      this.transitions.set(key, next);
    }
    return next;
  }

  accepts(state: number): boolean {
    return this.sets[state]!.some(([glob, at]) => at === this.steps[glob]!.length);
  }

  /** A `*` may match nothing: being before it is also being after it. */
  private closure(positions: Array<[number, number]>): Array<[number, number]> {
    const all = [...positions];
    for (let index = 0; index < all.length; index++) {
      const [glob, at] = all[index]!;
      if (this.steps[glob]![at] === '*') all.push([glob, at + 1]);
    }
    return all;
  }

  private idOf(positions: Array<[number, number]>): number {
    const unique = [...new Map(positions.map((position) => [position.join(':'), position])).values()];
    unique.sort(([a, i], [b, j]) => a - b || i - j);
    const key = unique.map((position) => position.join(':')).join(',');
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push(unique);
      this.ids.set(key, id);
    }
    return id;
  }
}

/** Recognizes the excluded names: the state is the name so far while it starts one of them. */
class ExclusionAutomaton {
  private readonly names: ReadonlySet<string>;

  constructor(names: readonly string[]) {
    this.names = new Set(names);
  }

  step(prefix: string | undefined, character: string): string | undefined {
    if (prefix === undefined) return undefined;
    const next = `${prefix}${character}`;
    for (const name of this.names) if (name.startsWith(next)) return next;
    return undefined;
  }

  accepts(prefix: string | undefined): boolean {
    return prefix !== undefined && this.names.has(prefix);
  }
}
