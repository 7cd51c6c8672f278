/** Live charts (SVG via ChartsView), redrawn from the rAF loop at most ~20 times a second. */
import { useEffect, useRef } from 'react';
import { ChartsView } from '../render/charts-view';
import { useApp, useAppState, usePanel } from '../state/context';

/** Axes and paths cost more than a canvas blit; 20 Hz looks continuous for slow-moving lines. */
const CHART_MIN_INTERVAL_MS = 50;

export function ChartsPanel() {
  const c = usePanel();
  const { scheduler } = useApp();
  const theme = useAppState((s) => s.theme);
  const svgRef = useRef<SVGSVGElement>(null);

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const view = new ChartsView(svg, theme);
    let seq = -1;
    let last = Number.NEGATIVE_INFINITY;
    let runSeq = -1;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const paint = (now: number) => {
      const l = c.live;
      if (l.seq === seq) return;
      // Throttle, but never skip a restart or the final frame.
      if (now - last < CHART_MIN_INTERVAL_MS && l.runSeq === runSeq && !l.done) {
        timer ??= setTimeout(() => {
          timer = null;
          scheduler.requestFrame();
        }, CHART_MIN_INTERVAL_MS);
        return;
      }
      seq = l.seq;
      last = now;
      runSeq = l.runSeq;
      view.update({ series: l.series, markers: l.markers, simTimeMs: l.simTimeMs });
    };
    const remove = scheduler.add(paint);
    return () => {
      remove();
      if (timer) clearTimeout(timer);
    };
  }, [c, scheduler, theme]);

  return (
    <section className="panel charts-panel" aria-labelledby="charts-title">
      <header className="panel-head">
        <h2 id="charts-title">Over simulated time</h2>
        <span className="muted legend-inline">
          <i className="mk mk-sync" /> bitmap sync <i className="mk mk-round" /> new round{' '}
          <i className="mk mk-stop" /> stop-and-copy
        </span>
      </header>
      <svg ref={svgRef} className="charts-svg" data-testid="charts" />
    </section>
  );
}
