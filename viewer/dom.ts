/** What an element may contain: nodes and text (text is always a text node, never parsed as HTML). */
export type Child = Node | string | undefined | false;

/**
 * An element with attributes and children. Every value from the API goes in as text, so nothing it holds
 * can become markup or script.
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children.filter((child): child is Node | string => child !== undefined && child !== false));
  return node;
}

/** An element of the page by id; the page and the script are built together, so a missing one is a bug. */
export function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`viewer: no element #${id}`);
  return node as T;
}

/** `2026-01-31T12:00:00.000Z` as `2026-01-31 12:00:00Z`: UTC, as the API and the CLI give it. */
export function formatTime(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z` : iso;
}
