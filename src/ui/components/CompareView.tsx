/**
 * Compare: Original and PV side by side, two independent simulations (two PanelControllers,
 * two workers) on the same scenario and seed, driven by one time cursor (the Session). Each
 * column has its own page map and virtqueue; the charts overlay both runs on one time axis;
 * the summary says what PV saves and, for an RFC preset, the results panel sets the simulated
 * numbers beside the published ones.
 */
import type { QueryMigrate } from '../../engine/types';
import { formatBytes, formatClock, formatInt } from '../format';
import { MODE_LABEL } from '../modes';
import { errorPercent, publishedRow } from '../published';
import { PanelProvider, useApp, usePanel, usePanelState, useStoreOf } from '../state/context';
import type { PanelController } from '../state/panel-controller';
import { ChartsPanel } from './ChartsPanel';
import { ErrorBanner } from './ErrorBanner';
import { Legend } from './Legend';
import { PageMapPanel } from './PageMapPanel';
import { VirtqueuePanel } from './VirtqueuePanel';
import { useEffect, useMemo, useRef } from 'react';

/** Two maps share the frame budget (and two workers share 2 cores): ~30 fps each is plenty. */
const COMPARE_MAP_INTERVAL_MS = 33;

export function CompareView({ original, pv }: { original: PanelController; pv: PanelController }) {
  const panels = useMemo(() => [original, pv], [original, pv]);
  return (
    <div className="compare">
      <CompareSummary original={original} pv={pv} />
      <div className="compare-grid">
        {panels.map((p) => (
          <PanelProvider controller={p} key={p.store.getState().mode}>
            <CompareColumn />
          </PanelProvider>
        ))}
        <div className="compare-side">
          <ChartsPanel panels={panels} overlay />
          <ResultsPanel original={original} pv={pv} />
          <section className="panel compare-legend" aria-label="Page map legend">
            <Legend compact />
          </section>
        </div>
      </div>
    </div>
  );
}

function CompareColumn() {
  const c = usePanel();
  const mode = usePanelState((s) => s.mode);
  return (
    <div className={`compare-col col-${mode}`} data-testid={`compare-${mode}`}>
      <ErrorBanner />
      <PageMapPanel title={`${MODE_LABEL[mode]}`} showLegend={false} minIntervalMs={COMPARE_MAP_INTERVAL_MS} />
      <RunStatus c={c} />
      <VirtqueuePanel />
    </div>
  );
}

/** This panel's own clock and phase (PV stops at its end while the shared cursor moves on). */
function RunStatus({ c }: { c: PanelController }) {
  const { scheduler } = useApp();
  const phase = useStoreOf(c, (s) => s.snapshot.phase);
  const done = useStoreOf(c, (s) => s.snapshot.done);
  const ok = useStoreOf(c, (s) => s.snapshot.stats?.verification.ok ?? false);
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    let shown = -1;
    return scheduler.add(() => {
      const t = c.live.simTimeMs;
      if (t === shown || !ref.current) return;
      shown = t;
      ref.current.textContent = formatClock(t);
    });
  }, [c, scheduler]);
  return (
    <div className={`run-status ${done ? 'is-done' : ''}`} data-testid="run-status">
      <span className="run-clock" ref={ref}>
        {formatClock(0)}
      </span>
      <span className="run-phase">{done ? (ok ? 'completed ✓ verified' : phase) : phase}</span>
    </div>
  );
}

/** "PV: 0.55 s vs 7.34 s, 13.4× faster, 7.42 GiB less on the wire" (from both runs' final stats). */
export function summaryText(original: QueryMigrate, pv: QueryMigrate): string {
  const to = original['total-time'];
  const tp = pv['total-time'];
  const faster = tp > 0 ? to / tp : Number.POSITIVE_INFINITY;
  const saved = original.ram.transferred - pv.ram.transferred;
  const speed = faster >= 1 ? `${faster.toFixed(1)}× faster` : `${(1 / faster).toFixed(1)}× slower`;
  const wire = saved >= 0 ? `${formatBytes(saved)} less on the wire` : `${formatBytes(-saved)} more on the wire`;
  return `PV: ${(tp / 1000).toFixed(2)} s vs ${(to / 1000).toFixed(2)} s, ${speed}, ${wire}`;
}

function CompareSummary({ original, pv }: { original: PanelController; pv: PanelController }) {
  const fo = useStoreOf(original, (s) => s.timeline?.final ?? null);
  const fp = useStoreOf(pv, (s) => s.timeline?.final ?? null);
  return (
    <p className="compare-summary" data-testid="compare-summary">
      {fo && fp ? summaryText(fo, fp) : 'Simulating both runs…'}
    </p>
  );
}


function ResultsPanel({ original, pv }: { original: PanelController; pv: PanelController }) {
  const scenario = useStoreOf(original, (s) => s.scenario);
  const fo = useStoreOf(original, (s) => s.timeline?.final ?? null);
  const fp = useStoreOf(pv, (s) => s.timeline?.final ?? null);
  const row = publishedRow(scenario);
  if (!row) return null;
  const lines: ['original' | 'pv', QueryMigrate | null][] = [
    ['original', fo],
    ['pv', fp],
  ];
  return (
    <section className="panel results-panel" aria-label="Simulated vs published">
      <header className="panel-head">
        <h2>Simulated (seed {scenario.seed}) vs measured in the RFC (2016)</h2>
      </header>
      <table className="results" data-testid="results">
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">simulated</th>
            <th scope="col">RFC</th>
            <th scope="col">error</th>
          </tr>
        </thead>
        <tbody>
          {lines.flatMap(([mode, q]) => {
            const pub = row[mode];
            // The RFC's "KB" are KiB (QEMU's info migrate).
            const kib = q ? q.ram.transferred / 1024 : 0;
            return [
              <tr key={`${mode}-time`}>
                <th scope="row">{MODE_LABEL[mode]} total-time</th>
                <td>{q ? `${formatInt(q['total-time'])} ms` : '…'}</td>
                <td>{formatInt(pub.totalTimeMs)} ms</td>
                <td>{q ? errorPercent(q['total-time'], pub.totalTimeMs) : ''}</td>
              </tr>,
              <tr key={`${mode}-bytes`}>
                <th scope="row">{MODE_LABEL[mode]} transferred</th>
                <td>{q ? formatBytes(q.ram.transferred) : '…'}</td>
                <td>{formatBytes(pub.transferredKB * 1024)}</td>
                <td>{q ? errorPercent(kib, pub.transferredKB) : ''}</td>
              </tr>,
            ];
          })}
        </tbody>
      </table>
    </section>
  );
}
