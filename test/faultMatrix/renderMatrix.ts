import type { RowResult } from './runFaultRow.js';

/** The matrix as a Markdown table: each row, whether its invariants held, and why not. */
export function renderMatrix(results: readonly RowResult[]): string {
  const lines = [
    '| fault | injected | sweeps to converge | changes | alerts | holds | seconds |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const result of results) {
    const alerts = result.alerts.map((alert) => alert.type);
    const tally = [...new Set(alerts)].map((type) => `${alerts.filter((a) => a === type).length} ${type}`);
    lines.push(
      `| ${result.row.id} | ${result.injected} | ${result.recoverySweeps} | ${result.changes.length} | ${tally.join(', ') || 'none'} | ${result.violations.length === 0 ? 'yes' : `**no**: ${result.violations.join('; ')}`} | ${result.seconds} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
