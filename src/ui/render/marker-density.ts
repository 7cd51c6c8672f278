/**
 * When markers are too many to read, draw their density instead. A long convergence run has
 * hundreds of syncs (1,251 in a capped `running` guest before the stress writer): as one line
 * each they merge into a solid grey block over the charts. Past MIN_MARKER_SPACING_PX per marker
 * on average they collapse into a strip of bins, each as dark as the markers it holds.
 */

/** Average spacing below which markers of one kind collapse (px): a dotted line and its gap. */
export const MIN_MARKER_SPACING_PX = 4;
/** Width of one bin of the density strip (px). */
export const DENSITY_BIN_PX = 3;

/** Whether `count` markers over `widthPx` pixels are too many to draw one by one. */
export function tooManyMarkers(count: number, widthPx: number): boolean {
  return count * MIN_MARKER_SPACING_PX > widthPx;
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
