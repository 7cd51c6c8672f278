/**
 * What the views on screen offer to the Export menu. A view registers its element while it is
 * mounted and takes it back on unmount (the function `add…` returns); exports ask here instead
 * of reaching into components or keeping DOM handles on the Session or the panels.
 */
import type { PanelController } from '../state/panel-controller';

export class ExportRegistry {
  private readonly pageMaps = new Map<PanelController, HTMLCanvasElement>();
  private charts: SVGSVGElement | null = null;

  /** `panel`'s page map is on screen in `canvas`. */
  addPageMap(panel: PanelController, canvas: HTMLCanvasElement): () => void {
    this.pageMaps.set(panel, canvas);
    return () => {
      if (this.pageMaps.get(panel) === canvas) this.pageMaps.delete(panel);
    };
  }

  /** The charts on screen (one SVG; in compare it overlays every run). */
  addCharts(svg: SVGSVGElement): () => void {
    this.charts = svg;
    return () => {
      if (this.charts === svg) this.charts = null;
    };
  }

  pageMapOf(panel: PanelController): HTMLCanvasElement | null {
    return this.pageMaps.get(panel) ?? null;
  }

  chartsSvg(): SVGSVGElement | null {
    return this.charts;
  }
}
