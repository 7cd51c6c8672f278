/**
 * The tour's annotations, drawn once a step has reached its moment: labelled arrows on a page map
 * pointing at a range of pages found in the engine's data, and a labelled line on the charts at an
 * engine moment. Placement is src/ui/tour/annotations.ts; this only draws it.
 */
import { useEffect, useState } from 'react';
import { formatClock } from '../format';
import { niceCeil } from '../render/charts-view';
import { useAppState, usePanel, usePanelState, useSession } from '../state/context';
import type { PanelController } from '../state/panel-controller';
import {
  type Box,
  chartXFraction,
  labelPlacement,
  longestMajorityRun,
  type PfnRange,
  pfnRangeBox,
  slicesOf,
  structPageRange,
} from '../tour/annotations';
import { momentMs, type PfnFind, TOUR } from '../tour/tour';

/** The page-map annotations of the step on screen for this panel (inside PageMapPanel's stack). */
export function PageMapAnnotations() {
  const c = usePanel();
  const index = useAppState((s) => s.panels.indexOf(c));
  const step = useAppState((s) => (s.tourStep === null ? null : TOUR[s.tourStep]));
  const held = useAppState((s) => s.tourHeld);
  const layout = usePanelState((s) => s.snapshot.layout);
  const pageCount = usePanelState((s) => s.snapshot.pageCount);
  const [found, setFound] = useState<{ label: string; range: PfnRange }[]>([]);

  const wanted = held && step ? step.annotations.flatMap((a) => (a.on === 'page-map' && a.panel === index ? [a] : [])) : [];
  const key = wanted.map((a) => a.label).join('|');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names the annotations wanted; `wanted` is rebuilt every render
  useEffect(() => {
    setFound([]);
    if (wanted.length === 0 || pageCount === 0) return;
    let live = true;
    void Promise.all(wanted.map(async (a) => ({ label: a.label, range: await findRange(c, a.find, pageCount) }))).then((rs) => {
      if (live) setFound(rs.flatMap((r) => (r.range ? [{ label: r.label, range: r.range }] : [])));
    });
    return () => {
      live = false;
    };
  }, [c, key, pageCount]);

  if (!layout || found.length === 0) return null;
  const width = layout.cols * layout.scale;
  const height = layout.rows * layout.scale;
  return (
    <svg className="tour-annotations" width={width} height={height} aria-hidden="true" data-testid="map-annotations">
      <defs>
        <marker id={`arrow-${index}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0,0 L10,5 L0,10 z" className="tour-arrowhead" />
        </marker>
      </defs>
      {found.map(({ label, range }) => {
        const box = pfnRangeBox(range, layout);
        return box ? <Callout key={label} label={label} box={box} width={width} height={height} marker={`arrow-${index}`} /> : null;
      })}
    </svg>
  );
}

function Callout({ label, box, width, height, marker }: { label: string; box: Box; width: number; height: number; marker: string }) {
  const p = labelPlacement(box, width, height);
  return (
    <g className="tour-callout" data-label={label} data-box={`${box.x},${box.y},${box.w},${box.h}`}>
      <rect className="tour-box" x={box.x} y={box.y} width={box.w} height={Math.max(box.h, 2)} />
      {!p.inside && (
        <line className="tour-arrow" x1={p.lx} y1={p.above ? p.ly + 6 : p.ly - 18} x2={p.ax} y2={p.ay} markerEnd={`url(#${marker})`} />
      )}
      <text className="tour-label" x={p.lx} y={p.ly} textAnchor="middle">
        {label}
      </text>
    </g>
  );
}

/** The pfn range an annotation points at: from the layout constants, or from the engine's cell summaries. */
async function findRange(c: PanelController, find: PfnFind, pageCount: number): Promise<PfnRange | null> {
  if (find.kind === 'struct-pages') return structPageRange(pageCount);
  const slices = await Promise.all(slicesOf(pageCount).map((s) => c.requestCellSummary(s.firstPfn, s.pages)));
  return longestMajorityRun(
    slices.flatMap((s) => (s ? [s] : [])),
    find,
  );
}

/** The charts' annotations of the step on screen: a labelled line at an engine moment. */
export function ChartAnnotations({ panels, overlay }: { panels: readonly PanelController[]; overlay: boolean }) {
  const session = useSession();
  const step = useAppState((s) => (s.tourStep === null ? null : TOUR[s.tourStep]));
  const held = useAppState((s) => s.tourHeld);
  const appPanels = useAppState((s) => s.panels);
  if (!held || !step) return null;
  const marks = step.annotations.flatMap((a) => {
    if (a.on !== 'charts') return [];
    const p = appPanels[a.panel];
    const timeline = p?.store.getState().timeline;
    if (!p || !panels.includes(p) || !timeline) return [];
    const t = momentMs(a.moment, timeline.markers);
    if (t === null) return [];
    // The charts' time axis: overlaid runs span the longest run; one run spans its data so far
    // rounded up (ChartsPanel and ChartsView.updateRuns).
    const endMs = overlay
      ? Math.max(...panels.map((q) => q.store.getState().timeline?.endMs ?? 0))
      : niceCeil(Math.max(session.timeMs(), ...panels.map((q) => (q.live.series.length > 0 ? q.live.series.t[q.live.series.length - 1] : 0))));
    return endMs > 0 ? [{ label: a.label, t, x: chartXFraction(t, endMs) }] : [];
  });
  return (
    <>
      {marks.map((m) => (
        <div
          key={m.label}
          className={`tour-chart-mark${m.x > 0.6 ? ' at-right' : ''}`}
          style={{ left: `${m.x * 100}%` }}
          data-testid="chart-annotation"
          data-t={m.t}
        >
          <span className="tour-label-html">
            {m.label} · {formatClock(m.t)}
          </span>
        </div>
      ))}
    </>
  );
}
