/** A GitHub-flavoured markdown table; `|` in a cell is escaped. Columns after the first are right-aligned. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (value: string) => value.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const line = (values: readonly string[]) => `| ${values.map(cell).join(' | ')} |`;
  const rule = `|${header.map((_, index) => (index === 0 ? '---' : '---:')).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** `1,234` */
export const count = (value: number) => value.toLocaleString('en-US');
/** `1.23 s` from ms */
export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
/** `123 ms` */
export const millis = (ms: number | undefined) => (ms === undefined ? '–' : `${Math.round(ms)} ms`);
/** Calls per bucket: three decimals, `–` for none. */
export const perBucket = (value: number | undefined) =>
  value === undefined || value === 0 ? '–' : value.toFixed(3);
