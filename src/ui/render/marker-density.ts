/**
 * When markers are too many to read, draw their density instead. A long convergence run has
 * hundreds of syncs (1,251 in a capped `running` guest before the stress writer): as one line
 * each they merge into a solid grey block over the charts. Past MIN_MARKER_SPACING_PX per marker
 * on average they collapse into a strip of bins, each as dark as the markers it holds.
 */

/** Average spacing below which markers of one kind collapse (px): a dotted line and its gap. */
export const MIN_MARKER_SPACING_PX = 4;
/**
 * Fewer markers than this always stay lines, however close: a handful can be told apart on
 * hover, and two markers 1 px apart (a sync at the start of a round) are not a crowd.
 */
export const MIN_COLLAPSED_MARKERS = 16;
/** Width of one bin of the density strip (px). */
export const DENSITY_BIN_PX = 3;

/**
 * Whether markers at pixel positions `xs` are too many to draw one by one: at least
 * MIN_COLLAPSED_MARKERS of them, less than MIN_MARKER_SPACING_PX apart on average over the
 * stretch they occupy (a run that ends early crowds its markers into part of the axis).
 */
export function tooManyMarkers(xs: readonly number[]): boolean {
  if (xs.length < MIN_COLLAPSED_MARKERS) return false;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const x of xs) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  return (xs.length - 1) * MIN_MARKER_SPACING_PX > hi - lo;
}

export interface DensityBin {
  /** Left edge, px. */
  x: number;
  width: number;
  count: number;
  /** count / the fullest bin's count, 0..1. */
  share: number;
}

/** The non-empty bins of `xs` (pixel positions) between `left` and `right`. */
export function densityBins(xs: readonly number[], left: number, right: number, binPx = DENSITY_BIN_PX): DensityBin[] {
  const n = Math.max(1, Math.ceil((right - left) / binPx));
  const counts = new Array<number>(n).fill(0);
  for (const x of xs) {
    if (!(x >= left && x <= right)) continue;
    counts[Math.min(n - 1, Math.floor((x - left) / binPx))]++;
  }
  const max = Math.max(0, ...counts);
  const out: DensityBin[] = [];
  counts.forEach((count, i) => {
    if (count > 0) out.push({ x: left + i * binPx, width: binPx, count, share: count / max });
  });
  return out;
}
