import type { ImportEdge } from './importGraph.js';

/** The layer order and which folder sits in which layer. */
export interface LayerConfig {
  /** Layer names from the bottom up: an import may point to its own layer or one listed before it. */
  layers: readonly string[];
  /** Folder prefix (ending in `/`) → layer. Each prefix is also one node of the folder graph the cycle rule walks. */
  folders: Readonly<Record<string, string>>;
  /** Folder prefixes whose files may import `@aws-sdk/*` at run time. */
  sdkAllowed: readonly string[];
}

/** The rules: layer order, run-time SDK only in the adapters, no cycle between folders, every folder declared. */
export const RULES = {
  layer: 'layer',
  sdk: 'sdk',
  cycle: 'cycle',
  unmapped: 'unmapped',
} as const;
export type Rule = (typeof RULES)[keyof typeof RULES];

/** One breach of a rule: `key` identifies it, `message` says where and why. */
export interface Violation {
  rule: Rule;
  /** `from → to` (files for layer, file and package for sdk, folders for cycle) or the file for unmapped. */
  key: string;
  /** e.g. `lib/usecases/deliveryCheck/checkBuckets.ts:1 → ../aws/errors.js (core imports adapters)` */
  message: string;
}

/** The allowlist: every violation the code has today, by rule; it may only shrink. */

/** The declared folder a file belongs to (the longest prefix), or undefined. */
export function folderOf(config: LayerConfig, file: string): string | undefined {
  let best: string | undefined;
  for (const prefix of Object.keys(config.folders)) {
    if (file.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  return best;
}

function layerRank(config: LayerConfig, folder: string): number {
  const layer = config.folders[folder];
  return layer === undefined ? -1 : config.layers.indexOf(layer);
}

/** Folders in cycles: the strongly connected components with more than one folder (Tarjan's algorithm). */
export function cyclicComponents(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        connect(target);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(target) ?? 0));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(target) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) components.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) connect(node);
  return components.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}

/** Every violation of the rules in an import graph; one per key, at the first import that makes it. */
export function checkLayers(
  config: LayerConfig,
  files: readonly string[],
  edges: readonly ImportEdge[],
): Violation[] {
  const violations = new Map<string, Violation>();
  const report = (rule: Rule, key: string, message: string) => {
    const id = `${rule} ${key}`;
    if (!violations.has(id)) violations.set(id, { rule, key, message });
  };
  for (const file of files) {
    if (folderOf(config, file) === undefined) {
      report(RULES.unmapped, file, `${file} is in no folder of the layer map (declare its folder and layer)`);
    }
  }
  const folderGraph = new Map<string, Set<string>>();
  const folderEdgeAt = new Map<string, ImportEdge>();
  for (const edge of edges) {
    const fromFolder = folderOf(config, edge.from);
    if (fromFolder === undefined) continue;
    const where = `${edge.from}:${edge.line} → ${edge.specifier}`;
    if (!edge.local) {
      if (edge.runtime && edge.to.startsWith('@aws-sdk/') && !config.sdkAllowed.includes(fromFolder)) {
        report(RULES.sdk, `${edge.from} → ${edge.to}`, `${where} (run-time SDK import outside the adapters)`);
      }
      continue;
    }
    const toFolder = folderOf(config, edge.to);
    if (toFolder === undefined || toFolder === fromFolder) continue;
    const fromLayer = config.folders[fromFolder];
    const toLayer = config.folders[toFolder];
    if (layerRank(config, toFolder) > layerRank(config, fromFolder)) {
      report(RULES.layer, `${edge.from} → ${edge.to}`, `${where} (${fromLayer} imports ${toLayer})`);
    }
    const targets = folderGraph.get(fromFolder) ?? new Set<string>();
    targets.add(toFolder);
    folderGraph.set(fromFolder, targets);
    const folderKey = `${fromFolder} → ${toFolder}`;
    if (!folderEdgeAt.has(folderKey)) folderEdgeAt.set(folderKey, edge);
  }
  for (const component of cyclicComponents(folderGraph)) {
    const members = new Set(component);
    for (const from of component) {
      for (const to of [...(folderGraph.get(from) ?? [])].sort()) {
        if (!members.has(to)) continue;
        const key = `${from} → ${to}`;
        const edge = folderEdgeAt.get(key);
        const example = edge === undefined ? '' : `, e.g. ${edge.from}:${edge.line} → ${edge.specifier}`;
        report(RULES.cycle, key, `${key} (in the folder cycle ${component.join(' ⇄ ')}${example})`);
      }
    }
  }
  return [...violations.values()].sort((a, b) => `${a.rule} ${a.key}`.localeCompare(`${b.rule} ${b.key}`));
}
