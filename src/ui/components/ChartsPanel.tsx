/**
 * Live charts (SVG via ChartsView), redrawn from the rAF loop at most ~20 times a second. One
 * panel's run, or (compare) every panel's run overlaid on one time axis, one colour per mode
 * (its hue in src/ui/modes.ts), with the shared time cursor: the faster run's lines end while
 * the other's are still climbing.
 */
import { useEffect, useRef, useState } from 'react';
import { getProfile } from '../../engine/migration/profiles';
import type { Scenario } from '../../engine/types';
import { type ChartRun, ChartsView } from '../render/charts-view';
import { throttledPainter } from '../render/raf-scheduler';
import { useApp, useAppState, useExportRegistry, useSession, useStoreOf } from '../state/context';
import type { PanelController } from '../state/panel-controller';
import { MEASURED_LABEL, MEASURED_RUN_ID, measuredSeries } from '../measured';
import { modeColor, modeLabel } from '../modes';
import type { Theme } from '../theme';
import { ChartAnnotations } from './TourParts';

/**
 * The overlaid charts' time axis (compare): follow the clock (the axis grows with the shared
 * cursor, so the early part of the race has the width while it is run), the whole race from the
 * start (both runs' full length), or log time (both runs readable however far apart). None of
 * the labels says which run ends first.
 */
export type RaceAxis = 'follow' | 'whole' | 'log';
export const RACE_AXES: readonly { id: RaceAxis; label: string }[] = [
  { id: 'follow', label: 'follow the clock' },
  { id: 'whole', label: 'whole race' },
  { id: 'log', label: 'log time' },
];

/** Axes and paths cost more than a canvas blit; 20 Hz looks continuous for slow-moving lines. */
const CHART_MIN_INTERVAL_MS = 50;

export function ChartsPanel({ panels, overlay = false }: { panels: readonly PanelController[]; overlay?: boolean }) {
  const { scheduler } = useApp();
  const session = useSession();
  const exports = useExportRegistry();
  const theme = useAppState((s) => s.theme);
  const measured = useAppState((s) => s.measured);
  const presenting = useAppState((s) => s.presenting);
  const svgRef = useRef<SVGSVGElement>(null);
  const [axis, setAxis] = useState<RaceAxis>('follow');

  // biome-ignore lint/correctness/useExhaustiveDependencies: presenting enlarges the charts' text (CSS), and a view measures the titles' font once (fit-title.ts): a new view measures it again
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const view = new ChartsView(svg, theme);
    // A click on the charts moves the shared time cursor there.
    view.onSeek = (t) => session.seek(t);
    const unregister = exports.addCharts(svg);
    // The imported run never changes while it is on screen: one series for the effect's life (a new
    // effect, and so a new painter, draws it at once).
    const measuredRun: ChartRun | null = measured
      ? {
          id: MEASURED_RUN_ID,
          label: MEASURED_LABEL,
          series: measuredSeries(measured.run),
          markers: [],
          color: theme.css.text,
          measured: true,
        }
      : null;
    const painter = throttledPainter({
      scheduler,
      runs: panels,
      timeMs: () => session.timeMs(),
      minIntervalMs: CHART_MIN_INTERVAL_MS,
      draw: (t) => {
        const runs: ChartRun[] = panels.map((p) => {
          const { mode, scenario } = p.store.getState();
          return {
            linkMBps: linkMBps(scenario),
            id: mode,
            label: modeLabel(mode),
            series: p.live.series,
            markers: p.live.markers,
            color: overlay ? modeColor(theme, mode) : undefined,
          };
        });
        // Overlaid, 'whole' and 'log' span the longer run from the start; 'follow' grows with the clock.
        const fixed = overlay && axis !== 'follow';
        // A measured run longer than both simulations widens the axis too (its line never runs off it).
        const measuredEnd = measuredRun ? measuredRun.series.t[measuredRun.series.length - 1] : 0;
        const endMs = fixed ? Math.max(measuredEnd, ...panels.map((p) => p.store.getState().timeline?.endMs ?? 0)) : undefined;
        if (measuredRun) runs.push(measuredRun);
        // The panes left when the view's share of the frame is spent wait for the next frame.
        return view.updateRuns(
          {
            runs,
            simTimeMs: t,
            endMs: endMs && endMs > 0 ? endMs : undefined,
            scale: overlay && axis === 'log' ? 'log' : 'linear',
            showNow: overlay,
          },
          { t0: performance.now(), ms: scheduler.viewBudgetMs },
        );
      },
    });
    const remove = scheduler.add(painter.paint);
    return () => {
      remove();
      painter.dispose();
      unregister();
    };
  }, [panels, overlay, scheduler, session, exports, theme, axis, measured, presenting]);

  return (
    <section className="panel charts-panel" aria-label="Charts over simulated time">
      <header className="panel-head">
        <h2>Over simulated time</h2>
        <span className="muted legend-inline">
          {overlay ? (
            <>
              {panels.map((p, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: one key per panel position (left, right)
                <RunKey key={i} c={p} theme={theme} />
              ))}
              <i className="mk mk-now" /> now
              <span className="mk-kinds" title="markers, in each run's colour (hover one for details)">
                <i className="mv mv-sync" /> sync <i className="mv" /> round <i className="mv mv-stop" /> stop
              </span>
            </>
          ) : (
            <>
              <i className="mk mk-sync" style={{ borderColor: theme.chart.sync }} /> bitmap sync{' '}
              <i className="mk mk-round" style={{ borderColor: theme.chart.round }} /> new round{' '}
              <i className="mk mk-stop" style={{ borderColor: theme.chart.stopCopy }} /> stop-and-copy
              <span className="visually-hidden"> (hover a marker for details)</span>
            </>
          )}
          {measured && (
            <span data-testid="measured-key" title={`${measured.run.source}: measured on real hosts, one dot per sample in the file`}>
              {' '}
              <i className="mk" style={{ borderColor: theme.css.text }} /> {MEASURED_LABEL} ({measured.run.source})
            </span>
          )}
        </span>
      </header>
      {overlay && (
        <label className="race-axis">
          time axis{' '}
          <select value={axis} onChange={(e) => setAxis(e.target.value as RaceAxis)} data-testid="race-axis">
            {RACE_AXES.map((a) => (
              <option key={a.id} value={a.id}>
                {a.label}
              </option>
            ))}
          </select>
        </label>
      )}
      <div className="charts-area">
        <svg ref={svgRef} className="charts-svg" data-testid="charts" />
        <ChartAnnotations panels={panels} overlay={overlay} />
      </div>
    </section>
  );
}

/** The goodput of the run's wire, MB/s: the line rate times the profile's TCP efficiency, as the engine uses it. */
export function linkMBps(s: Scenario): number {
  return (s.linkGbps * 1e9 * getProfile(s.profile).linkEfficiency) / 8 / 1e6;
}

/** One run's line colour and mode label in the overlaid charts' key. */
function RunKey({ c, theme }: { c: PanelController; theme: Theme }) {
  const mode = useStoreOf(c, (s) => s.mode);
  return (
    <>
      <i className="mk" style={{ borderColor: modeColor(theme, mode) }} /> {modeLabel(mode)}{' '}
    </>
  );
}
