/**
 * A chart pane's title and its readout share one line above the plot: the title from the left,
 * the readout (the latest values, or the crosshair's) right-aligned. Two runs with long labels
 * ("Reporting 1182 · Original 1182 MB/s") beside a long title ("Throughput (MB/s, mean over
 * 267 ms)") are wider than the line, and the two texts ran into each other. The readout keeps
 * its place (its values move); the title is cut to what is left, with an ellipsis.
 *
 * Widths come from a canvas' measureText in the title's own font, not from the SVG text
 * (getComputedTextLength forces a layout, and the readout changes every frame). The chart's
 * font sizes are in the SVG's user units, so the widths are too.
 */

/** Space kept between the title's end and the readout's start, user units. */
export const TITLE_READOUT_GAP = 8;

export type MeasureText = (text: string) => number;

/** The longest start of `title` (whole, or cut and ending in "…") that `measure` puts within `room`. */
export function fitTitle(title: string, room: number, measure: MeasureText): string {
  if (measure(title) <= room) return title;
  // Binary search on the cut: widths grow with the length.
  let lo = 0;
  let hi = title.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(`${title.slice(0, mid).trimEnd()}…`) <= room) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '' : `${title.slice(0, lo).trimEnd()}…`;
}

let context: CanvasRenderingContext2D | null | undefined;

/**
 * measureText in `font` (a CSS font shorthand, e.g. the title's computed "11px system-ui, …").
 * Without a 2D canvas that measures (jsdom), an estimate of 0.6 em per character.
 */
export function textMeasurer(font: string, fontPx: number): MeasureText {
  if (context === undefined) context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  const ctx = context;
  if (!ctx || typeof ctx.measureText !== 'function' || !font) return (text) => text.length * fontPx * 0.6;
  return (text) => {
    ctx.font = font;
    return ctx.measureText(text).width;
  };
}
