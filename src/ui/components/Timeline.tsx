/**
 * The timeline: a scrubber over the whole run's simulated time with its phase markers (setup,
 * bulk stage, each dirty-bitmap sync, stop-and-copy, done), one row per panel. The engine tells
 * each panel its run's length and markers up front (the `timeline` message), so the axis is
 * complete before anyone presses Play. Dragging seeks every panel (coalesced in the controller:
 * one re-simulation at a time); the thumb follows playback from the rAF loop, not from React.
 */
import { useEffect, useRef } from 'react';
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
        <div className="timeline-rows" aria-hidden="true">
          {panels.map((p) => (
            <MarkerRow key={p.store.getState().mode} controller={p} endMs={endMs} labelled={panels.length > 1} />
          ))}
        </div>
      </div>
      <span className="timeline-time">
        <span ref={timeRef}>{formatClock(0)}</span> / {formatClock(endMs)}
      </span>
    </div>
  );
}

interface Mark {
  t: number;
  cls: string;
  label: string;
  title: string;
}

/** Labels closer than this (fraction of the axis) to the previous label are left out. */
const MIN_LABEL_GAP = 0.035;

export function marksOf(markers: readonly TimelineMarker[], endMs: number): Mark[] {
  const out: Mark[] = [];
  for (const e of markers) {
    switch (e.kind) {
      case 'phase':
        if (e.phase === 'setup') out.push({ t: e.t, cls: 'tm-phase', label: 'setup', title: 'setup: dirty logging on, first sync' });
        else if (e.phase === 'bulk') out.push({ t: e.t, cls: 'tm-phase', label: 'bulk', title: 'bulk stage: first pass over every page' });
        else if (e.phase === 'iterate') out.push({ t: e.t, cls: 'tm-phase', label: 'iterate', title: 'iterating: re-sending dirtied pages' });
        else if (e.phase === 'stop-copy') out.push({ t: e.t, cls: 'tm-stop', label: 'stop', title: 'stop-and-copy: the guest is paused' });
        else if (e.phase === 'completed') out.push({ t: e.t, cls: 'tm-done', label: 'done', title: 'completed' });
        else if (e.phase === 'failed') out.push({ t: e.t, cls: 'tm-done', label: 'failed', title: 'failed' });
        break;
      case 'sync':
        out.push({ t: e.t, cls: 'tm-sync', label: '', title: `dirty-bitmap sync ${e.count}` });
        break;
      case 'free-page-bitmap':
        out.push({ t: e.t, cls: 'tm-bitmap', label: '', title: `free-page bitmap: ${e.freePages} free pages` });
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
  let lastLabel = Number.NEGATIVE_INFINITY;
  for (const m of out) {
    if (!m.label) continue;
    const at = m.t / endMs;
    if (at - lastLabel < MIN_LABEL_GAP) m.label = '';
    else lastLabel = at;
  }
  return out;
}


/**
 * Narrowest scrubber the layout gives (px, a ~900 px window): past one sync per 4 px of it the
 * syncs become a density strip (marker-density.ts), as on the charts.
 */
const NARROW_TIMELINE_PX = 600;
/** The strip's coordinate width: bins of 5 units = 0.5 % of the run each. */
const STRIP_UNITS = 1000;

function MarkerRow({ controller, endMs, labelled }: { controller: PanelController; endMs: number; labelled: boolean }) {
  const timeline = useStoreOf(controller, (s) => s.timeline);
  const mode = useStoreOf(controller, (s) => s.mode);
  const theme = useAppState((s) => s.theme);
  const all = timeline ? marksOf(timeline.markers, endMs) : [];
  const syncs = all.filter((m) => m.cls === 'tm-sync');
  const dense = tooManyMarkers(syncs.map((m) => (m.t / endMs) * NARROW_TIMELINE_PX));
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
          {m.label && <span className={`tm-label${m.t / endMs > 0.9 ? ' tm-label-end' : ''}`}>{m.label}</span>}
        </span>
      ))}
    </div>
  );
}
