// Its own module, free of node:crypto (conditions.ts fingerprints), so that the browser viewer's types can
// reach the adoption summary through the API's types.

/** `2 changes`, `1 change`; without the number: `configuration`/`configurations`. */
export function count(n: number, noun: string, withNumber = true): string {
  const word = n === 1 ? noun : `${noun}s`;
  return withNumber ? `${n} ${word}` : word;
}
