/**
 * Charts drawn on the server as accessible SVG (issue 14 part 4): each an image (role="img")
 * named by its <title> and described by its <desc> (aria-labelledby), scaled to its container
 * (viewBox, width 100%) so that it fits a 320 px screen; no script, no style attribute (the
 * pages' Content-Security-Policy allows none). Each page shows the chart's data as a table beside
 * it: the table, not the picture, is what a screen reader reads in full.
 */

const BLUE = '#1d70b8';
const RED = '#d4351c';
const GREEN = '#00703c';
const INK = '#0b0c0c';
const RULE = '#b1b4b6';

const escapeXml = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function frame(id: string, title: string, description: string, width: number, height: number, body: string) {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" width="100%" ` +
    `viewBox="0 0 ${width} ${height}" preserveAspectRatio="xMinYMin meet" ` +
    `aria-labelledby="${id}-title ${id}-desc" focusable="false">` +
    `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(description)}</desc>` +
    `${body}</svg>`
  );
}

export interface Bar {
  label: string;
  value: number;
  /** What is printed at the bar's end, e.g. "67%". */
  valueText: string;
  /** `bad` draws it red (overdue, late), `good` green; blue otherwise. */
  tone?: 'bad' | 'good';
}

/** Horizontal bars, one a row, labels above each bar: readable at any width. */
export function horizontalBarChart(options: {
  id: string;
  title: string;
  description: string;
  bars: readonly Bar[];
  /** The value of a full-width bar (100 for percentages); at least the largest value. */
  max?: number;
}): string {
  const width = 600;
  const rowHeight = 52;
  const max = Math.max(options.max ?? 0, ...options.bars.map((bar) => bar.value), 1);
  const body = options.bars
    .map((bar, index) => {
      const y = index * rowHeight;
      const length = Math.max(0, Math.round((bar.value / max) * (width - 90)));
      const fill = bar.tone === 'bad' ? RED : bar.tone === 'good' ? GREEN : BLUE;
      return (
        `<text x="0" y="${y + 18}" font-size="17" fill="${INK}">${escapeXml(bar.label)}</text>` +
        `<rect x="0" y="${y + 26}" width="${length}" height="18" fill="${fill}"/>` +
        `<text x="${length + 8}" y="${y + 41}" font-size="17" fill="${INK}">${escapeXml(bar.valueText)}</text>`
      );
    })
    .join('');
  return frame(
    options.id,
    options.title,
    options.description,
    width,
    Math.max(rowHeight, options.bars.length * rowHeight),
    body,
  );
}

export interface Column {
  /** Under the column, e.g. "Mar". */
  label: string;
  /** The column's height; undefined draws no column (nothing to count), with a dash. */
  value: number | undefined;
  valueText: string;
}

/** Vertical columns over a baseline, e.g. twelve months of the on-time rate. */
export function columnChart(options: {
  id: string;
  title: string;
  description: string;
  columns: readonly Column[];
  max: number;
}): string {
  const width = 600;
  const height = 240;
  const top = 24;
  const baseline = height - 30;
  const slot = width / Math.max(1, options.columns.length);
  const barWidth = Math.max(8, Math.round(slot * 0.6));
  const body = [
    `<line x1="0" y1="${baseline}" x2="${width}" y2="${baseline}" stroke="${RULE}" stroke-width="2"/>`,
    ...options.columns.map((column, index) => {
      const x = Math.round(index * slot + (slot - barWidth) / 2);
      const centre = Math.round(index * slot + slot / 2);
      const label = `<text x="${centre}" y="${height - 8}" font-size="15" text-anchor="middle" fill="${INK}">${escapeXml(column.label)}</text>`;
      if (column.value === undefined)
        return `${label}<text x="${centre}" y="${baseline - 6}" font-size="15" text-anchor="middle" fill="${INK}">–</text>`;
      const barHeight = Math.round((Math.min(column.value, options.max) / options.max) * (baseline - top));
      return (
        `<rect x="${x}" y="${baseline - barHeight}" width="${barWidth}" height="${barHeight}" fill="${BLUE}"/>` +
        `<text x="${centre}" y="${baseline - barHeight - 6}" font-size="13" text-anchor="middle" fill="${INK}">${escapeXml(column.valueText)}</text>` +
        label
      );
    }),
  ].join('');
  return frame(options.id, options.title, options.description, width, height, body);
}
