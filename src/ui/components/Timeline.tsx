/**
 * The timeline: a scrubber over the whole run's simulated time with its phase markers (setup,
 * bulk stage, each dirty-bitmap sync, stop-and-copy, done), one row per panel. The engine tells
 * each panel its run's length and markers up front (the `timeline` message), so the axis is
 * complete before anyone presses Play. Dragging seeks every panel (coalesced in the controller:
 * one re-simulation at a time); the thumb follows playback from the rAF loop, not from React.
 */
import { useEffect, useRef, useState } from 'react';
import type { TimelineMarker } from '../../protocol';
import { formatClock } from '../format';
import { modeColor, modeLabel } from '../modes';
import { usePanelsValue } from '../hooks/use-panels-value';
import { useApp, useAppState, useSession, useStoreOf } from '../state/context';
import type { PanelController } from '../state/panel-controller';
import { densityBins, tooManyMarkers } from '../render/marker-density';

export function Timeline() {
  const session = useSession();
  const { scheduler } = useApp();
  const panels = useAppState((s) => s.panels);
  // The axis spans the longest run; before its timeline arrives, a provisional 1 s.
  const endMs = usePanelsValue(panels, (ss) => Math.max(0, ...ss.map((s) => s.timeline?.endMs ?? 0))) || 1000;
  const inputRef = useRef<HTMLInputElement>(null);
  const timeRef = useRef<HTMLSpanElement>(null);
  const dragging = useRef(false);
  const rowsRef = useRef<HTMLDivElement>(null);
  // The rows' width in layout pixels (offsetWidth: unaffected by the presentation stage's
  // scale), so marker labels are placed without collisions at any size.
  const [rowsWidth, setRowsWidth] = useState(0);
  useEffect(() => {
    const el = rowsRef.current;
    if (!el) return;
    const measure = () => setRowsWidth(el.offsetWidth);
    // The observer's first call comes after the browser's own layout: reading offsetWidth here,
    // during the mount, would force that layout inside React's commit (one long task at load).
    if (typeof ResizeObserver === 'undefined') return measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    let shown = -1;
    let shownEnd = -1;
    return scheduler.add(() => {
      const input = inputRef.current;
      if (!input || dragging.current) return;
      const t = session.timeMs();
      if (t === shown && endMs === shownEnd) return;
      shown = t;
      shownEnd = endMs;
      input.value = String(t);
      input.setAttribute('aria-valuetext', formatClock(t));
      input.style.setProperty('--progress', `${Math.min(100, (t / endMs) * 100)}%`);
      if (timeRef.current) timeRef.current.textContent = formatClock(t);
    });
  }, [scheduler, session, endMs]);

  const onInput = (value: number) => {
    const input = inputRef.current;
    if (input) {
      input.style.setProperty('--progress', `${Math.min(100, (value / endMs) * 100)}%`);
      input.setAttribute('aria-valuetext', formatClock(value));
    }
    if (timeRef.current) timeRef.current.textContent = formatClock(value);
    session.seek(value);
  };

  return (
    <div className="timeline">
      <div className={`timeline-track${panels.length > 1 ? ' labelled' : ''}`}>
        <input
          ref={inputRef}
          type="range"
          className="scrubber"
          aria-label="Simulated time"
          min={0}
          max={endMs}
          step="any"
          defaultValue={0}
          onPointerDown={() => {
            dragging.current = true;
          }}
          onPointerUp={() => {
            dragging.current = false;
            scheduler.requestFrame();
          }}
          onChange={(e) => onInput(Number(e.target.value))}
        />
        <div className="timeline-rows" aria-hidden="true" ref={rowsRef}>
          {panels.map((p) => (
            <MarkerRow
              key={p.store.getState().mode}
              controller={p}
              endMs={endMs}
              labelled={panels.length > 1}
              widthPx={rowsWidth}
            />
          ))}
        </div>
      </div>
      <span className="timeline-time">
        <span ref={timeRef}>{formatClock(0)}</span> / {formatClock(endMs)}
      </span>
    </div>
  );
}

export interface Mark {
  t: number;
  cls: string;
  label: string;
  title: string;
  /** The label ends at the marker (near the right edge) instead of starting there. */
  endAnchored: boolean;
}

/**
 * Label width estimate: px per character at the largest label type (12 px in presentation mode;
 * DejaVu Sans' average lowercase advance is about 0.58 em, so 7 px errs wide), plus padding.
 */
const LABEL_PX_PER_CHAR = 7;
const LABEL_PAD_PX = 4;
/** Space kept between two labels and between a label and the row's ends. */
const LABEL_GAP_PX = 4;
/** Offset of a label from its marker line (styles.css .tm-label: left/right 3px). */
const LABEL_DX = 3;

/** The horizontal extent of `m`'s label on a row `widthPx` wide. */
export function labelExtent(m: Mark, endMs: number, widthPx: number): [number, number] {
  const x = (m.t / endMs) * widthPx;
  const w = m.label.length * LABEL_PX_PER_CHAR + LABEL_PAD_PX;
  return m.endAnchored ? [x - LABEL_DX - w, x - LABEL_DX] : [x + LABEL_DX, x + LABEL_DX + w];
}

/**
 * The timeline's marks, with each label kept only where it does not run into the label before
 * it (left to right, in pixels of a row `widthPx` wide) or past either end of the row: a label
 * that would collide is left out (its marker line and tooltip stay).
 */
export function marksOf(markers: readonly TimelineMarker[], endMs: number, widthPx: number): Mark[] {
  const out: Mark[] = [];
  for (const e of markers) {
    switch (e.kind) {
      case 'phase':
        if (e.phase === 'setup') out.push({ t: e.t, cls: 'tm-phase', label: 'setup', title: 'setup: dirty logging on, first sync', endAnchored: false });
        else if (e.phase === 'bulk') out.push({ t: e.t, cls: 'tm-phase', label: 'bulk', title: 'bulk stage: first pass over every page', endAnchored: false });
        else if (e.phase === 'iterate') out.push({ t: e.t, cls: 'tm-phase', label: 'iterate', title: 'iterating: re-sending dirtied pages', endAnchored: false });
        else if (e.phase === 'stop-copy') out.push({ t: e.t, cls: 'tm-stop', label: 'stop', title: 'stop-and-copy: the guest is paused', endAnchored: false });
        else if (e.phase === 'completed') out.push({ t: e.t, cls: 'tm-done', label: 'done', title: 'completed', endAnchored: false });
        else if (e.phase === 'failed') out.push({ t: e.t, cls: 'tm-done', label: 'failed', title: 'failed', endAnchored: false });
        break;
      case 'sync':
        out.push({ t: e.t, cls: 'tm-sync', label: '', title: `dirty-bitmap sync ${e.count}`, endAnchored: false });
        break;
      case 'free-page-bitmap':
        out.push({ t: e.t, cls: 'tm-bitmap', label: '', title: `free-page bitmap: ${e.freePages} free pages`, endAnchored: false });
        break;
      case 'round':
      case 'free-page-request':
        break;
      default: {
        const never: never = e;
        return never;
      }
    }
  }
  let lastEnd = Number.NEGATIVE_INFINITY;
  for (const m of out) {
    if (!m.label) continue;
    // Near the right end a label reads leftwards from its marker, so it stays on the row.
    m.endAnchored = m.t / endMs > END_ANCHOR_AT;
    const [x0, x1] = labelExtent(m, endMs, widthPx);
    if (x0 < Math.max(0, lastEnd + LABEL_GAP_PX) || x1 > widthPx) m.label = '';
    else lastEnd = x1;
  }
  return out;
}


/**
 * The row width assumed before it is measured (and where nothing is laid out, as in tests): the
 * row at a 1280 px wide window is about 1100 px, so this errs towards fewer labels.
 */
const UNMEASURED_ROW_PX = 1000;
/** The density strip's coordinate width: bins of 5 units = 0.5 % of the run each. */
const STRIP_UNITS = 1000;

/** Labels of markers past this fraction of the axis end at their marker instead of starting there. */
const END_ANCHOR_AT = 0.9;

function MarkerRow({
  controller,
  endMs,
  labelled,
  widthPx,
}: {
  controller: PanelController;
  endMs: number;
  labelled: boolean;
  widthPx: number;
}) {
  const timeline = useStoreOf(controller, (s) => s.timeline);
  const mode = useStoreOf(controller, (s) => s.mode);
  const theme = useAppState((s) => s.theme);
  const rowPx = widthPx > 0 ? widthPx : UNMEASURED_ROW_PX;
  const all = timeline ? marksOf(timeline.markers, endMs, rowPx) : [];
  // Past one sync per 4 px the syncs become a density strip (marker-density.ts), as on the charts.
  const syncs = all.filter((m) => m.cls === 'tm-sync');
  const dense = tooManyMarkers(syncs.map((m) => (m.t / endMs) * rowPx));
  const marks = dense ? all.filter((m) => m.cls !== 'tm-sync') : all;
  const bins = dense
    ? densityBins(
        syncs.map((m) => (m.t / endMs) * STRIP_UNITS),
        0,
        STRIP_UNITS,
        5,
      )
    : [];
  return (
    <div className={`timeline-row tr-${mode}`} data-testid={`timeline-${mode}`}>
      {labelled && <span className="timeline-row-label">{modeLabel(mode)}</span>}
      {timeline && (
        <span
          className="timeline-run"
          style={{
            width: `${Math.min(100, (timeline.endMs / endMs) * 100)}%`,
            // Several runs: each bar in its mode's chart colour, as in the overlaid charts.
            background: labelled ? modeColor(theme, mode) : undefined,
          }}
        />
      )}
      {dense && (
        <svg className="tm-density" viewBox={`0 0 ${STRIP_UNITS} 1`} preserveAspectRatio="none" data-testid="timeline-density">
          <title>{`${syncs.length} dirty-bitmap syncs: the darker, the more of them`}</title>
          {bins.map((b) => (
            <rect key={b.x} x={b.x} width={b.width} y={0} height={1} fillOpacity={0.2 + 0.8 * b.share} />
          ))}
        </svg>
      )}
      {marks.map((m, i) => (
        <span
          // biome-ignore lint/suspicious/noArrayIndexKey: markers are a fixed list per timeline
          key={i}
          className={`tm ${m.cls}`}
          style={{ left: `${(m.t / endMs) * 100}%` }}
          title={`${m.title} at ${formatClock(m.t)}`}
        >
          {m.label && <span className={`tm-label${m.endAnchored ? ' tm-label-end' : ''}`}>{m.label}</span>}
        </span>
      ))}
    </div>
  );
}
