import type { DeliveryResult, DeliveryStatus } from '../../core/delivery/types.js';
import { createStyle, type Style } from './style.js';

const ORDER: readonly DeliveryStatus[] = ['ok', 'pending', 'late', 'missing', 'invalid'];

/** One `s3ir delivery --json` line: `{ version: 1, bucket, id, status, lastDelivery?, reason? }` (the Contract's fields after `version`). */
export function deliveryJsonLine(result: DeliveryResult): string {
  const { bucket, id, status, lastDelivery, reason } = result;
  return JSON.stringify({
    version: 1,
    bucket,
    id,
    status,
    ...(lastDelivery !== undefined && { lastDelivery }),
    ...(reason !== undefined && { reason }),
  });
}

/**
 * The delivery table: one line per configuration (status, bucket/id, last delivery), the reason indented
 * under anything not ok, and a summary line with a count per status.
 */
export function renderDelivery(results: readonly DeliveryResult[], options: { color: boolean }): string {
  const style = createStyle(options.color);
  if (results.length === 0) return 'No enabled desired configurations to check.\n';
  const width = Math.max(...results.map((result) => `${result.bucket}/${result.id}`.length));
  const lines: string[] = [];
  for (const result of results) {
    const name = `${result.bucket}/${result.id}`.padEnd(width);
    const last = result.lastDelivery === undefined ? 'never delivered' : `last ${result.lastDelivery}`;
    lines.push(`${paint(style, result.status, result.status.padEnd(7))}  ${name}  ${style.dim(last)}`);
    if (result.reason !== undefined) lines.push(`         ${result.reason}`);
  }
  const counts = ORDER.map(
    (status) => [status, results.filter((result) => result.status === status).length] as const,
  )
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`);
  const noun = results.length === 1 ? 'configuration' : 'configurations';
  lines.push('', style.bold(`${results.length} ${noun}: ${counts.join(', ')}.`));
  return `${lines.join('\n')}\n`;
}

function paint(style: Style, status: DeliveryStatus, text: string): string {
  if (status === 'ok') return style.green(text);
  if (status === 'pending') return style.yellow(text);
  return style.red(text);
}
