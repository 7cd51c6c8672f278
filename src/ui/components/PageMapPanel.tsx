/**
 * The page map: the canvas (painted by PageMapView in the rAF loop), how it is bucketed, the
 * legend, and a hover tooltip with the page's details fetched from the engine. Zoom, pan and
 * pin are on the canvas (use-page-map-zoom.ts); the overview strip and the address axis beside
 * it say where the window is (PageMapNavigation.tsx).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { GUEST_STATES, guestCode, MIGRATION_STATES, migrationCode } from '../../engine/model/page-state';
import type { CellSummary, PageInfo } from '../../engine/types';
import { pfnAtPoint } from '../../protocol';
import { cellRangeText, cellStatesText, destinationText } from '../cell-summary-text';
import { describeBucketing, formatInt } from '../format';
import { PageMapView } from '../render/page-map-view';
import { usePageMapZoom } from '../hooks/use-page-map-zoom';
import { useApp, useAppState, useExportRegistry, usePanel, usePanelState } from '../state/context';
import { guestStatesOf, Legend } from './Legend';
import { PageMapAnnotations } from './TourParts';
import { AddressAxis, AXIS_WIDTH_PX, axisWidthFor, OverviewStrip } from './PageMapNavigation';
import { PinnedDetails } from './PinnedDetails';

export interface PageMapPanelProps {
  /** Heading; compare names the mode here. */
  title?: string;
  showLegend?: boolean;
  /** Paint at most this often (compare: two maps share the frame budget). */
  minIntervalMs?: number;
}

export function PageMapPanel({ title = 'Guest RAM, page by page', showLegend = true, minIntervalMs = 0 }: PageMapPanelProps) {
  const c = usePanel();
  const { scheduler, session, store } = useApp();
  const zoom = useAppState((s) => s.zoom);
  const exports = useExportRegistry();
  const theme = useAppState((s) => s.theme);
  const areaRef = useRef<HTMLDivElement>(null);
  const legendRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const frameRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<PageMapView | null>(null);
  const layout = usePanelState((s) => s.snapshot.layout);
  const pageCount = usePanelState((s) => s.snapshot.pageCount);
  const mode = usePanelState((s) => s.mode);
  const [pointer, setPointer] = useState<Pointer | null>(null);
  const [axisWidth, setAxisWidth] = useState(AXIS_WIDTH_PX);

  // One view per panel for the panel's lifetime: a theme change recolours it (setTheme repaints
  // the same moment from its copy of the cells), it is never rebuilt blank.
  const themeRef = useRef(theme);
  themeRef.current = theme;
  useEffect(() => {
    const canvas = canvasRef.current;
    const frame = frameRef.current;
    if (!canvas || !frame) return;
    const view = new PageMapView(canvas, c.live, themeRef.current, undefined, frame);
    view.onDeferred = () => scheduler.requestFrame();
    view.bandBudgetMs = scheduler.viewBudgetMs;
    if (sizeRef.current) view.setArea(sizeRef.current.width, sizeRef.current.height);
    viewRef.current = view;
    const unregister = exports.addPageMap(c, () => view.visibleImage());
    const remove = scheduler.add(view.paint);
    return () => {
      remove();
      viewRef.current = null;
      unregister();
    };
  }, [c, scheduler, exports]);
  useEffect(() => viewRef.current?.setTheme(theme), [theme]);
  const pinnedPfn = useAppState((s) => s.pinned?.first ?? null);
  useEffect(() => viewRef.current?.setPinned(pinnedPfn), [pinnedPfn]);
  useEffect(() => {
    if (viewRef.current) viewRef.current.minIntervalMs = minIntervalMs;
    // Frames the map would not show are not worth rendering in the worker either.
    c.setFrameInterval(minIntervalMs);
  }, [c, minIntervalMs]);

  // The worker picks the bucketing from the space we have, and renders the zoom window: tell it
  // whenever either changes.
  const sizeRef = useRef<{ width: number; height: number } | null>(null);
  const zoomRef = useRef(zoom);
  zoomRef.current = zoom;
  useEffect(() => {
    const size = sizeRef.current;
    if (size) c.setViewport(size.width, size.height, zoom);
  }, [c, zoom]);
  useEffect(() => {
    const el = areaRef.current;
    if (!el) return;
    // The legend sits right under the canvas, inside the same area: leave room for it.
    // Layout sizes (offset*), not getBoundingClientRect: in presentation mode the stage is
    // scaled by a CSS transform, and the map must be laid out in the stage's own pixels.
    const report = () => {
      const legend = legendRef.current?.offsetHeight ?? 0;
      const h = el.clientHeight - legend - (legend > 0 ? 6 : 0);
      const axis = axisWidthFor(el.clientWidth);
      setAxisWidth(axis);
      const w = el.clientWidth - axis;
      if (w > 0 && h > 0) {
        sizeRef.current = { width: w, height: h };
        viewRef.current?.setArea(w, h);
        c.setViewport(w, h, zoomRef.current);
      }
    };
    // Measured in the observer's first call, after the browser's own layout, not here during the
    // mount, where it would force a layout inside React's commit (one long task at load).
    if (typeof ResizeObserver === 'undefined') return report();
    const ro = new ResizeObserver(report);
    ro.observe(el);
    if (legendRef.current) ro.observe(legendRef.current);
    return () => ro.disconnect();
  }, [c]);

  const zoomDeps = useMemo(
    () => ({
      session,
      pageCount: () => c.live.pageCount,
      zoom: () => store.getState().zoom,
      size: () => sizeRef.current,
      // What is on screen; before the first paint, what the next paint shows.
      layout: () => viewRef.current?.layout ?? c.live.layout,
      toLocal,
    }),
    [c, session, store],
  );
  const onPick = useCallback(
    (pfn: number) => session.pin({ first: pfn, count: 2 ** (zoomDeps.layout()?.bucketShift ?? 0) }),
    [session, zoomDeps],
  );
  usePageMapZoom(canvasRef, zoomDeps, onPick);

  const onMove = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const l = viewRef.current?.layout;
    if (!l) return;
    const { x: px, y: py } = toLocal(e, e.currentTarget);
    const pfn = pfnAtPoint(px, py, l);
    c.setHover(pfn);
    // Near the right edge of the map the tooltip opens to the left of the pointer (the area
    // clips it). The map is as wide as its frame; the canvas is as wide as the area.
    const width = frameRef.current?.offsetWidth ?? e.currentTarget.offsetWidth;
    const flip = px > width - 320;
    setPointer(pfn === null ? null : { x: px, y: py, flip, width });
  };
  const onLeave = () => {
    c.setHover(null);
    setPointer(null);
  };

  const bucketing = layout ? `${formatInt(pageCount)} pages · ${describeBucketing(layout)}` : 'loading…';
  return (
    <section className="panel page-map-panel" aria-label={title}>
      <header className="panel-head">
        <h2>{title}</h2>
        <span className="muted" data-testid="bucketing" title={bucketing}>
          {bucketing}
        </span>
      </header>
      <OverviewStrip />
      <div className="page-map-area" ref={areaRef}>
        <div className="page-map-stack">
          <div className="page-map-row">
            <AddressAxis layout={layout} pageCount={pageCount} width={axisWidth} />
            <div className="page-map-canvas-box">
              <div className="page-map-frame" ref={frameRef}>
                <canvas
                  ref={canvasRef}
                  className="page-map"
                  tabIndex={0}
                  aria-label="page map: every 4 KiB page of guest RAM, coloured by guest state and migration state. Plus and minus zoom, arrows pan, 0 shows the whole guest, a click pins a page."
                  onPointerMove={onMove}
                  onPointerLeave={onLeave}
                />
              </div>
              <PageMapAnnotations />
              {pointer && <PageTooltip at={pointer} />}
            </div>
          </div>
          {showLegend && (
            <div ref={legendRef}>
              <Legend guestStates={guestStatesOf(mode)} />
            </div>
          )}
        </div>
        <PinnedDetails />
      </div>
    </section>
  );
}

/** Unscaled CSS px from the canvas' corner: undoes the presentation stage's CSS scale. */
function toLocal(e: { clientX: number; clientY: number }, canvas: HTMLCanvasElement): { x: number; y: number } {
  const r = canvas.getBoundingClientRect();
  const k = r.width > 0 ? canvas.offsetWidth / r.width : 1;
  return { x: (e.clientX - r.left) * k, y: (e.clientY - r.top) * k };
}

interface Pointer {
  x: number;
  y: number;
  flip: boolean;
  width: number;
}

function PageTooltip({ at }: { at: Pointer }) {
  const pfn = usePanelState((s) => s.hoverPfn);
  const shift = usePanelState((s) => s.snapshot.layout?.bucketShift ?? 0);
  if (pfn === null) return null;
  const style = at.flip && at.width > 0 ? { right: at.width - at.x + 14, top: at.y + 14 } : { left: at.x + 14, top: at.y + 14 };
  return (
    <div className="tooltip" role="tooltip" style={style}>
      {shift > 0 ? <CellDetails firstPfn={pfn} pages={2 ** shift} /> : <PageDetails pfn={pfn} />}
    </div>
  );
}

/** A bucketed cell: how many of its pages are in each state, and how often they were sent. */
function CellDetails({ firstPfn, pages }: { firstPfn: number; pages: number }) {
  const c = usePanel();
  // Refresh with the 8 Hz snapshot while the run moves under the pointer.
  const time = usePanelState((s) => s.snapshot.simTimeMs);
  const [summary, setSummary] = useState<CellSummary | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `time` is a trigger: re-ask as the run moves on
  useEffect(() => {
    let live = true;
    c.requestCellSummary(firstPfn, pages).then((s) => {
      if (live) setSummary(s);
    });
    return () => {
      live = false;
    };
  }, [c, firstPfn, pages, time]);
  const fresh = summary !== null && summary.firstPfn === firstPfn;
  return (
    <>
      <div className="tooltip-title" data-testid="tooltip-title">
        {fresh ? cellRangeText(summary) : `pfn ${firstPfn}–${firstPfn + pages - 1} (${pages} pages)`}
      </div>
      {fresh ? (
        <div className="tooltip-states" data-testid="tooltip-states">
          {cellStatesText(summary)}
        </div>
      ) : (
        <div className="muted">…</div>
      )}
    </>
  );
}

/** One page (a map at one page per cell): its states, where the destination stands, its free block. */
function PageDetails({ pfn }: { pfn: number }) {
  const c = usePanel();
  const time = usePanelState((s) => s.snapshot.simTimeMs);
  const [info, setInfo] = useState<PageInfo | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `time` is a trigger: re-ask as the run moves on
  useEffect(() => {
    let live = true;
    c.requestPageInfo(pfn).then((i) => {
      if (live) setInfo(i);
    });
    return () => {
      live = false;
    };
  }, [c, pfn, time]);
  return (
    <>
      <div className="tooltip-title" data-testid="tooltip-title">
        pfn {pfn} (0x{pfn.toString(16)})
      </div>
      {info && info.pfn === pfn ? (
        <dl>
          <dt>guest</dt>
          <dd>{GUEST_STATES[guestCode(info.guest)].name}</dd>
          <dt>migration</dt>
          <dd>{MIGRATION_STATES[migrationCode(info.migration)].name}</dd>
          <dt>destination</dt>
          <dd>{destinationText(info)}</dd>
          {info.freeBlockOrder >= 0 && (
            <>
              <dt>free block</dt>
              <dd>order {info.freeBlockOrder}</dd>
            </>
          )}
        </dl>
      ) : (
        <div className="muted">…</div>
      )}
    </>
  );
}
