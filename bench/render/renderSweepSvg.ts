import type { SizeResult } from '../types.js';

/** One N of the chart. */
export interface ChartPoint {
  buckets: number;
  firstSeconds: number;
  steadySeconds: number;
  firstS3PerBucket: number;
  steadyS3PerBucket: number;
}

const WIDTH = 720;
const HEIGHT = 400;
const PLOT = { left: 70, right: WIDTH - 80, top: 50, bottom: HEIGHT - 90 };
const COLORS = { first: '#c0392b', steady: '#2471a3' } as const;
const TITLE = 'Sweep time and S3 calls per bucket against N';

/** The chart in words, for its <title>: `N=100: 5.2 s / 1.7 s, 3.79 / 1.64 S3 calls per bucket; …`. */
function summary(points: readonly ChartPoint[]): string {
  return points
    .map(
      (point) =>
        `N=${point.buckets}: first ${num(point.firstSeconds)} s, steady ${num(point.steadySeconds)} s, ` +
        `S3 calls per bucket ${tick(point.firstS3PerBucket)} / ${tick(point.steadyS3PerBucket)}`,
    )
    .join('; ');
}

export function chartPoints(sizes: readonly SizeResult[]): ChartPoint[] {
  return [...sizes]
    .sort((a, b) => a.buckets - b.buckets)
    .map((size) => ({
      buckets: size.buckets,
      firstSeconds: size.first.wallMs / 1000,
      steadySeconds: size.steady.wallMs / 1000,
      firstS3PerBucket: size.first.serviceCallsPerBucket.s3 ?? 0,
      steadyS3PerBucket: size.steady.serviceCallsPerBucket.s3 ?? 0,
    }));
}

/** A round upper bound for an axis: 1, 2 or 5 times a power of ten, at least `value`. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

const num = (value: number) => (Math.round(value * 10) / 10).toString();
/** An axis label: at most two decimals, no trailing zeros (1.25, 2.5, 5). */
const tick = (value: number) => Number(value.toFixed(2)).toString();
const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function text(x: number, y: number, content: string, attributes = ''): string {
  return `<text x="${num(x)}" y="${num(y)}"${attributes ? ` ${attributes}` : ''}>${escapeXml(content)}</text>`;
}

/**
 * The bench's chart, hand-written SVG: sweep time (first sweep and steady state, left axis) and S3 calls
 * per bucket (dashed, right axis) against N on a log scale.
 */
export function renderSweepSvg(points: readonly ChartPoint[]): string {
  const sorted = [...points].sort((a, b) => a.buckets - b.buckets);
  const minN = sorted[0]?.buckets ?? 1;
  const maxN = sorted.at(-1)?.buckets ?? 10;
  // One half-decade of room either side, so a single N still sits inside the plot.
  const logMin = Math.log10(minN) - 0.25;
  const logMax = Math.log10(maxN) + 0.25;
  const x = (buckets: number) =>
    PLOT.left + ((Math.log10(buckets) - logMin) / (logMax - logMin)) * (PLOT.right - PLOT.left);
  const maxSeconds = niceCeiling(Math.max(...sorted.flatMap((p) => [p.firstSeconds, p.steadySeconds]), 0));
  const maxCalls = niceCeiling(
    Math.max(...sorted.flatMap((p) => [p.firstS3PerBucket, p.steadyS3PerBucket]), 0),
  );
  const ySeconds = (value: number) => PLOT.bottom - (value / maxSeconds) * (PLOT.bottom - PLOT.top);
  const yCalls = (value: number) => PLOT.bottom - (value / maxCalls) * (PLOT.bottom - PLOT.top);

  const parts: string[] = [];
  parts.push(
    `<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    text(
      WIDTH / 2,
      28,
      'Sweep time and S3 calls per bucket against N',
      'text-anchor="middle" font-size="16" font-weight="bold"',
    ),
  );
  // Grid and axes.
  for (let step = 0; step <= 4; step++) {
    const y = PLOT.bottom - (step / 4) * (PLOT.bottom - PLOT.top);
    parts.push(
      `<line x1="${PLOT.left}" y1="${num(y)}" x2="${PLOT.right}" y2="${num(y)}" stroke="#e5e5e5"/>`,
      text(PLOT.left - 8, y + 4, tick((maxSeconds * step) / 4), 'text-anchor="end"'),
      text(PLOT.right + 8, y + 4, tick((maxCalls * step) / 4), 'text-anchor="start"'),
    );
  }
  for (const point of sorted) {
    const px = x(point.buckets);
    parts.push(
      `<line x1="${num(px)}" y1="${PLOT.top}" x2="${num(px)}" y2="${PLOT.bottom}" stroke="#f0f0f0"/>`,
      text(px, PLOT.bottom + 18, point.buckets.toLocaleString('en-US'), 'text-anchor="middle"'),
    );
  }
  parts.push(
    `<line x1="${PLOT.left}" y1="${PLOT.bottom}" x2="${PLOT.right}" y2="${PLOT.bottom}" stroke="#333"/>`,
    `<line x1="${PLOT.left}" y1="${PLOT.top}" x2="${PLOT.left}" y2="${PLOT.bottom}" stroke="#333"/>`,
    `<line x1="${PLOT.right}" y1="${PLOT.top}" x2="${PLOT.right}" y2="${PLOT.bottom}" stroke="#333"/>`,
    text(
      (PLOT.left + PLOT.right) / 2,
      PLOT.bottom + 40,
      'source buckets N (log scale)',
      'text-anchor="middle"',
    ),
    text(
      18,
      (PLOT.top + PLOT.bottom) / 2,
      'sweep time (s)',
      `text-anchor="middle" transform="rotate(-90 18 ${num((PLOT.top + PLOT.bottom) / 2)})"`,
    ),
    text(
      WIDTH - 16,
      (PLOT.top + PLOT.bottom) / 2,
      'S3 calls per bucket',
      `text-anchor="middle" transform="rotate(90 ${WIDTH - 16} ${num((PLOT.top + PLOT.bottom) / 2)})"`,
    ),
  );
  const series = (
    values: (point: ChartPoint) => number,
    y: (value: number) => number,
    color: string,
    dashed: boolean,
  ) => {
    const coordinates = sorted.map((point) => `${num(x(point.buckets))},${num(y(values(point)))}`);
    const dash = dashed ? ' stroke-dasharray="6 4"' : '';
    parts.push(
      `<polyline points="${coordinates.join(' ')}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`,
    );
    for (const coordinate of coordinates) {
      const [cx, cy] = coordinate.split(',');
      parts.push(
        `<circle cx="${cx}" cy="${cy}" r="3.5" fill="${dashed ? '#ffffff' : color}" stroke="${color}" stroke-width="2"/>`,
      );
    }
  };
  series((point) => point.firstSeconds, ySeconds, COLORS.first, false);
  series((point) => point.steadySeconds, ySeconds, COLORS.steady, false);
  series((point) => point.firstS3PerBucket, yCalls, COLORS.first, true);
  series((point) => point.steadyS3PerBucket, yCalls, COLORS.steady, true);
  // Legend, under the axis title.
  const legend: [string, string, boolean][] = [
    ['first sweep: time', COLORS.first, false],
    ['steady state: time', COLORS.steady, false],
    ['first sweep: S3 calls/bucket', COLORS.first, true],
    ['steady state: S3 calls/bucket', COLORS.steady, true],
  ];
  legend.forEach(([label, color, dashed], index) => {
    const lx = PLOT.left + (index % 2) * 300;
    const ly = HEIGHT - 28 + Math.floor(index / 2) * 18 - 8;
    const dash = dashed ? ' stroke-dasharray="6 4"' : '';
    parts.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 28}" y2="${ly}" stroke="${color}" stroke-width="2"${dash}/>`,
      text(lx + 36, ly + 4, label),
    );
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12" role="img" aria-labelledby="title">`,
    `  <title id="title">${escapeXml(TITLE)}: ${escapeXml(summary(sorted))}</title>`,
    ...parts.map((part) => `  ${part}`),
    '</svg>',
    '',
  ].join('\n');
}
