/**
 * The convergence charts (ConvergenceView): dirty rate against send rate, their ratio, and the
 * auto-converge throttle when it is on, for one panel's run or (compare) both runs overlaid in
 * their modes' colours. Redrawn from the rAF loop, never from React.
 *
 * Open by itself for guests that keep writing (stress, running) or with auto-converge on; for
 * the RFC's idle and after-hog guests, whose lines lie flat near 0, it starts closed (one click
 * opens it) and costs no frame time.
 */
import { useEffect, useRef, useState } from 'react';
import { modeColor, modeLabel } from '../modes';
import { type ConvergenceRun, ConvergenceView } from '../render/convergence-view';
import { throttledPainter } from '../render/raf-scheduler';
import { useApp, useAppState, useSession } from '../state/context';
import type { PanelController } from '../state/panel-controller';
import { usePanelsValue } from '../hooks/use-panels-value';

/**
 * 10 Hz: half the other charts' rate (ChartsPanel). The dirty rate changes only at syncs (QEMU
 * measures it over periods of at least 1 s) and the throttle only at syncs; the frame budget
 * goes to the page map.
 */
const MIN_INTERVAL_MS = 100;

export function ConvergencePanel({ panels, overlay = false }: { panels: readonly PanelController[]; overlay?: boolean }) {
  const { scheduler } = useApp();
  const session = useSession();
  const theme = useAppState((s) => s.theme);
  const throttle = usePanelsValue(panels, (ss) => ss.some((s) => s.scenario.autoConverge));
  const busy = usePanelsValue(panels, (ss) => ss.some((s) => s.scenario.workload === 'stress' || s.scenario.workload === 'running' || s.scenario.autoConverge));
  const [open, setOpen] = useState(busy);
  // A new kind of guest resets it: open for a busy one, closed for an idle one.
  useEffect(() => setOpen(busy), [busy]);
  const svgRef = useRef<SVGSVGElement>(null);

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg || !open) return;
    const view = new ConvergenceView(svg, theme, throttle);
    // Below the fold of the side column it costs frame time for nothing: paint only when seen.
    let visible = true;
    const io =
      typeof IntersectionObserver === 'function'
        ? new IntersectionObserver((entries) => {
            visible = entries.some((e) => e.isIntersecting);
            if (visible) scheduler.requestFrame();
          })
        : null;
    io?.observe(svg);
    const painter = throttledPainter({
      scheduler,
      runs: panels,
      timeMs: () => session.timeMs(),
      minIntervalMs: MIN_INTERVAL_MS,
      draw: (t) => {
        const runs: ConvergenceRun[] = panels.map((p) => {
          const mode = p.store.getState().mode;
          return { id: mode, label: modeLabel(mode), series: p.live.series, color: overlay ? modeColor(theme, mode) : undefined };
        });
        const endMs = overlay ? Math.max(0, ...panels.map((p) => p.store.getState().timeline?.endMs ?? 0)) : 0;
        view.update({ runs, simTimeMs: t, endMs: endMs > 0 ? endMs : undefined });
        return true;
      },
    });
    const remove = scheduler.add((now) => {
      if (visible) painter.paint(now);
    });
    return () => {
      remove();
      io?.disconnect();
      painter.dispose();
    };
  }, [panels, overlay, scheduler, session, theme, throttle, open]);

  return (
    <details
      className="panel charts-panel convergence-panel"
      aria-label="Convergence over simulated time"
      open={open}
      onToggle={(e) => setOpen(e.currentTarget.open)}
      data-testid="convergence-panel"
    >
      <summary className="panel-head">
        <h2>Convergence</h2>
        <span className="muted legend-inline">
          the dirty rate must stay below what is sent: a ratio at or above 1 cannot converge
          {throttle ? '; the throttle is what auto-converge takes from the vCPUs' : ''}
        </span>
      </summary>
      {open && <svg ref={svgRef} className="charts-svg" data-testid="convergence-charts" />}
    </details>
  );
}
