/**
 * The presentation stage's heads-up line: the simulated clock and each run's phase in large type,
 * and the three numbers a talk is about (total time, bytes transferred, verification). It is not
 * part of the hideable chrome: on a projector the audience must always see what moment this is
 * and whether the migration lost anything, whatever the side panels have room for.
 * Shown in presentation mode and in the embed view (`?embed=1`).
 */
import type { CSSProperties } from 'react';
import { formatBytes, formatMs, PHASE_TEXT } from '../format';
import { modeColor, modeLabel } from '../modes';
import { PanelProvider, useAppState, usePanelState } from '../state/context';
import { SimClock } from './Controls';
import { Verification } from './StatsPanel';

export function StageHud() {
  const panels = useAppState((s) => s.panels);
  return (
    <section className="stage-hud" aria-label="Simulated clock and results" data-testid="stage-hud">
      <div className="hud-clock" role="timer" aria-label="simulated time">
        <SimClock testId="hud-clock" />
      </div>
      {panels.map((p, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: one entry per panel position (left, right)
        <PanelProvider controller={p} key={i}>
          <HudRun labelled={panels.length > 1} />
        </PanelProvider>
      ))}
    </section>
  );
}

/** One run: (in compare) its mode, its phase, total time, transferred, verification. */
function HudRun({ labelled }: { labelled: boolean }) {
  const mode = usePanelState((s) => s.mode);
  const phase = usePanelState((s) => s.snapshot.phase);
  const round = usePanelState((s) => s.snapshot.round);
  const q = usePanelState((s) => s.snapshot.stats);
  const done = usePanelState((s) => s.snapshot.done);
  const theme = useAppState((s) => s.theme);
  const style = { '--mode-color': modeColor(theme, mode) } as CSSProperties;
  const roundText = round > 0 && (phase === 'bulk' || phase === 'iterate') ? ` · round ${round}` : '';
  return (
    <div className="hud-run" style={style} data-testid={`hud-run-${mode}`}>
      <div className="hud-phase">
        {labelled && <span className="hud-mode">{modeLabel(mode)} </span>}
        <span data-testid="hud-phase">
          {PHASE_TEXT[phase]}
          {roundText}
        </span>
      </div>
      <dl className="hud-stats">
        <div>
          <dt>total time</dt>
          <dd>{q ? formatMs(q['total-time']) : '–'}</dd>
        </div>
        <div>
          <dt>transferred</dt>
          <dd>{q ? formatBytes(q.ram.transferred) : '–'}</dd>
        </div>
        <div className="hud-verify">
          <Verification q={q} done={done} />
        </div>
      </dl>
    </div>
  );
}
