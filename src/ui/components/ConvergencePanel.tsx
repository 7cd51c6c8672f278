/**
 * The convergence charts (ConvergenceView): dirty rate against send rate, their ratio, and the
 * auto-converge throttle when it is on, for one panel's run or (compare) both runs overlaid in
 * their modes' colours. Redrawn from the rAF loop at the charts' rate, never from React.
 */
import { useEffect, useRef } from 'react';
import { modeColor, modeLabel } from '../modes';
import { type ConvergenceRun, ConvergenceView } from '../render/convergence-view';
import { useApp, useAppState, useSession } from '../state/context';
import type { PanelController } from '../state/panel-controller';
import { usePanelsValue } from '../hooks/use-panels-value';

/** Same rate as the other charts (ChartsPanel): 20 Hz looks continuous for slow-moving lines. */
const MIN_INTERVAL_MS = 50;

export function ConvergencePanel({ panels, overlay = false }: { panels: readonly PanelController[]; overlay?: boolean }) {
  const { scheduler } = useApp();
  const session = useSession();
  const theme = useAppState((s) => s.theme);
  const throttle = usePanelsValue(panels, (ss) => ss.some((s) => s.scenario.autoConverge));
  const svgRef = useRef<SVGSVGElement>(null);

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const view = new ConvergenceView(svg, theme, throttle);
    const seqs = panels.map(() => -1);
    let last = Number.NEGATIVE_INFINITY;
    let shownT = -1;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const paint = (now: number) => {
      const t = session.timeMs();
      if (!panels.some((p, i) => p.live.seq !== seqs[i]) && t === shownT) return;
      const final = panels.every((p) => p.live.done);
      if (now - last < MIN_INTERVAL_MS && !final) {
        timer ??= setTimeout(() => {
          timer = null;
          scheduler.requestFrame();
        }, MIN_INTERVAL_MS);
        return;
      }
      panels.forEach((p, i) => {
        seqs[i] = p.live.seq;
      });
      last = now;
      shownT = t;
      const runs: ConvergenceRun[] = panels.map((p) => {
        const mode = p.store.getState().mode;
        return { id: mode, label: modeLabel(mode), series: p.live.series, color: overlay ? modeColor(theme, mode) : undefined };
      });
      const endMs = overlay ? Math.max(0, ...panels.map((p) => p.store.getState().timeline?.endMs ?? 0)) : 0;
      view.update({ runs, simTimeMs: t, endMs: endMs > 0 ? endMs : undefined });
    };
    const remove = scheduler.add(paint);
    return () => {
      remove();
      if (timer) clearTimeout(timer);
    };
  }, [panels, overlay, scheduler, session, theme, throttle]);

  return (
    <section className="panel charts-panel convergence-panel" aria-label="Convergence over simulated time">
      <header className="panel-head">
        <h2>Convergence</h2>
        <span className="muted legend-inline">
          the dirty rate must stay below what is sent: a ratio at or above 1 cannot converge
          {throttle ? '; the throttle is what auto-converge takes from the vCPUs' : ''}
        </span>
      </header>
      <svg ref={svgRef} className="charts-svg" data-testid="convergence-charts" />
    </section>
  );
}
