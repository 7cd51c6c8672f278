/**
 * What the views on screen offer to the Export menu. A view registers its element while it is
 * mounted and takes it back on unmount (the function `add…` returns); exports ask here instead
 * of reaching into components or keeping DOM handles on the Session or the panels.
 */
import type { ModeId } from '../../engine/types';
import type { LabelledPoint, SweepSeries } from '../../sweep/index';
import type { PanelController } from '../state/panel-controller';
import type { MapImage } from './clip';

/** What the sweep view offers its exports: the chart and the points it draws. */
export interface SweepExportSource {
  readonly svg: SVGSVGElement;
  /** "Total time vs guest size", the chart's title. */
  readonly title: string;
  readonly xTitle: string;
  readonly yTitle: string;
  readonly modes: readonly ModeId[];
  /** The points as drawn, read when the export runs (the sweep may still be filling in). */
  readonly points: () => { series: readonly SweepSeries[]; published: readonly LabelledPoint[]; measured: readonly LabelledPoint[] };
}

export class ExportRegistry {
  private readonly pageMaps = new Map<PanelController, () => MapImage | null>();
  private charts: SVGSVGElement | null = null;
  private sweep: SweepExportSource | null = null;

  /** `panel`'s page map is on screen; `image` gives it as drawn at the time of asking. */
  addPageMap(panel: PanelController, image: () => MapImage | null): () => void {
    this.pageMaps.set(panel, image);
    return () => {
      if (this.pageMaps.get(panel) === image) this.pageMaps.delete(panel);
    };
  }

  /** The charts on screen (one SVG; in compare it overlays every run). */
  addCharts(svg: SVGSVGElement): () => void {
    this.charts = svg;
    return () => {
      if (this.charts === svg) this.charts = null;
    };
  }

  /** The sweep view is on screen. */
  addSweep(source: SweepExportSource): () => void {
    this.sweep = source;
    return () => {
      if (this.sweep === source) this.sweep = null;
    };
  }

  sweepSource(): SweepExportSource | null {
    return this.sweep;
  }

  /** `panel`'s page map as on screen, or null (none on screen, or not painted yet). */
  pageMapOf(panel: PanelController): MapImage | null {
    return this.pageMaps.get(panel)?.() ?? null;
  }

  chartsSvg(): SVGSVGElement | null {
    return this.charts;
  }
}
