/**
 * Compare: two modes side by side (any two, picked in the controls or the link's a= and b=),
 * two independent simulations (two PanelControllers, two workers) on the same scenario and seed,
 * driven by one time cursor (the Session). Each column has its own page map, headed by its
 * mode's label, and virtqueue; the charts overlay both runs on one time axis; the summary says
 * what the right mode saves against the left one and, for an RFC preset, the results panel sets
 * the simulated numbers beside the published ones for the modes the RFC measured.
 */
import type { ModeId, QueryMigrate } from '../../engine/types';
import { assertNever } from '../../protocol';
import { formatBytes, formatClock, formatInt } from '../format';
import { modeColor, modeLabel } from '../modes';
import { errorPercent, publishedFor } from '../published';
import { capFigures, notConvergingFigures } from '../verdict';
import { PanelProvider, useApp, useAppState, usePanel, usePanelState, useStoreOf } from '../state/context';
import type { PanelController } from '../state/panel-controller';
import type { CompareSide } from '../state/session';
import { MeasuredTotals } from './MeasuredRun';
import { ChartsPanel } from './ChartsPanel';
import { ConvergencePanel } from './ConvergencePanel';
import { ErrorBanner } from './ErrorBanner';
import { InTurn } from './InTurn';
import { guestStatesOf, Legend } from './Legend';
import { PageMapPanel } from './PageMapPanel';
import { VirtqueuePanel } from './VirtqueuePanel';
import { type CSSProperties, useEffect, useMemo, useRef, useState } from 'react';

/** Two maps share the frame budget (and two workers share 2 cores): ~30 fps each is plenty. */
const COMPARE_MAP_INTERVAL_MS = 33;

export function CompareView({ a, b }: { a: PanelController; b: PanelController }) {
  const panels = useMemo(() => [a, b], [a, b]);
  const ma = useStoreOf(a, (s) => s.mode);
  const mb = useStoreOf(b, (s) => s.mode);
  const ended = useRaceEnded(a, b);
  // One legend for both maps: it shows "held" when either side's mode holds pages.
  return (
    <div className="compare">
      <CompareSummary a={a} b={b} ended={ended} />
      <CompareClocks a={a} b={b} />
      <div className="compare-grid">
        {panels.map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: one column per side (left, right)
          <PanelProvider controller={p} key={i}>
            <CompareColumn side={i === 0 ? 'a' : 'b'} />
          </PanelProvider>
        ))}
        <div className="compare-side">
          <InTurn>
            <ChartsPanel panels={panels} overlay />
          </InTurn>
          <InTurn>
            <ConvergencePanel panels={panels} overlay />
          </InTurn>
          <ResultsPanel a={a} b={b} ended={ended} />
          <MeasuredTotals panels={panels} ended={ended} />
          <section className="panel compare-legend" aria-label="Page map legend">
            <Legend compact guestStates={guestStatesOf(ma, mb)} />
          </section>
        </div>
      </div>
    </div>
  );
}

function CompareColumn({ side }: { side: CompareSide }) {
  const c = usePanel();
  const mode = usePanelState((s) => s.mode);
  const theme = useAppState((s) => s.theme);
  // The heading takes the mode's chart colour, so a column and its lines read as one.
  const style = { '--mode-color': modeColor(theme, mode) } as CSSProperties;
  return (
    <div className={`compare-col col-${mode}`} data-testid={`compare-col-${side}`} data-mode={mode} style={style}>
      <ErrorBanner />
      {/* The heavy parts mount one per frame (MountTurns), in page order. */}
      <InTurn>
        <PageMapPanel title={modeLabel(mode)} showLegend={false} minIntervalMs={COMPARE_MAP_INTERVAL_MS} />
      </InTurn>
      <RunStatus c={c} />
      <InTurn>
        <VirtqueuePanel />
      </InTurn>
    </div>
  );
}

/** This panel's own clock and phase (a faster run stops at its end while the shared cursor moves on). */
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

/** One side of a compare, for the summary: its mode and its run's final stats. */
export interface SideResult {
  mode: ModeId;
  final: QueryMigrate;
}

/**
 * The compare headline from both runs' final stats, `b` measured against `a`:
 * "PV vs Original: 0.55 s vs 7.34 s, 13.4× faster, 7.42 GiB less on the wire". Only two verified,
 * completed runs (migviz.outcome) are weighed against each other: if either side failed, or
 * completed with pages that differ, the line states each side's outcome, and nothing is called
 * faster or slower.
 */
export function summaryText(a: SideResult, b: SideResult): string {
  const la = modeLabel(a.mode);
  const lb = modeLabel(b.mode);
  if (!verifiedCompletion(a.final) || !verifiedCompletion(b.final)) {
    return `${outcome(la, a.final)} · ${outcome(lb, b.final)}`;
  }
  const ta = a.final['total-time'];
  const tb = b.final['total-time'];
  const saved = a.final.ram.transferred - b.final.ram.transferred;
  const speed = ta === tb ? 'same time' : tb < ta ? `${ratio(ta / tb)}× faster` : `${ratio(tb / ta)}× slower`;
  const wire =
    saved === 0 ? 'same bytes on the wire' : saved > 0 ? `${formatBytes(saved)} less on the wire` : `${formatBytes(-saved)} more on the wire`;
  return `${lb} vs ${la}: ${seconds(tb)} vs ${seconds(ta)}, ${speed}, ${wire}`;
}

/**
 * Before the race has been watched to its end: only the sides that will not complete, each with
 * its outcome (no time, no winner), or '' when both will complete.
 */
export function problemsText(a: SideResult, b: SideResult): string {
  return [a, b]
    .filter((side) => !verifiedCompletion(side.final))
    .map((side) => outcome(modeLabel(side.mode), side.final))
    .join(' · ');
}

function verifiedCompletion(q: QueryMigrate): boolean {
  return q.migviz.outcome === 'completed' && q.verification.ok;
}

/** 13.4, but 1.05: one decimal would call a 5 % difference "1.0×". */
function ratio(r: number): string {
  return r.toFixed(r < 2 ? 2 : 1);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/**
 * "PV completed in 0.55 s", "Original does not converge (dirty rate … sent)", "Original stops at
 * the simulation cap (3600 s) with 573 MB left at 118 MB/s", from migviz.outcome; the whole
 * reason is the headline's tooltip.
 */
function outcome(label: string, q: QueryMigrate): string {
  const o = q.migviz.outcome;
  const reason = q.migviz['failure-reason'];
  switch (o) {
    case 'completed':
      return q.verification.ok
        ? `${label} completed in ${seconds(q['total-time'])}`
        : `${label} completed in ${seconds(q['total-time'])}, but ${formatInt(q.verification.mismatches)} pages differ`;
    case 'not-converging': {
      const f = notConvergingFigures(reason);
      return `${label} does not converge${f ? ` (${f})` : ''}`;
    }
    case 'sim-time-cap':
      return `${label} stops at the simulation cap${capFigures(reason)}`;
    case '':
      return `${label} ended ${q.status} after ${seconds(q['total-time'])}`;
    default:
      return assertNever(o, 'outcome');
  }
}

/**
 * Whether this race (these two modes on this scenario) has been played to its end: both runs
 * reached their end on screen at least once. Until then nothing on the page names a winner; the
 * engine knows the result early (the timeline pre-run), but the viewer has not seen the race yet.
 */
export function useRaceEnded(a: PanelController, b: PanelController): boolean {
  const doneA = useStoreOf(a, (s) => s.snapshot.done);
  const doneB = useStoreOf(b, (s) => s.snapshot.done);
  const ma = useStoreOf(a, (s) => s.mode);
  const mb = useStoreOf(b, (s) => s.mode);
  const scenario = useStoreOf(a, (s) => s.scenario);
  const key = `${ma}|${mb}|${JSON.stringify({ ...scenario, mode: '' })}`;
  const [seen, setSeen] = useState<string | null>(null);
  const now = doneA && doneB;
  useEffect(() => {
    if (now) setSeen(key);
  }, [now, key]);
  return now || seen === key;
}

function CompareSummary({ a, b, ended }: { a: PanelController; b: PanelController; ended: boolean }) {
  const fa = useStoreOf(a, (s) => s.timeline?.final ?? null);
  const fb = useStoreOf(b, (s) => s.timeline?.final ?? null);
  const ma = useStoreOf(a, (s) => s.mode);
  const mb = useStoreOf(b, (s) => s.mode);
  const reasons = [fa, fb].map((q) => q?.migviz['failure-reason'] ?? '').filter(Boolean);
  const text =
    ended && fa && fb
      ? summaryText({ mode: ma, final: fa }, { mode: mb, final: fb })
      : (fa && fb && problemsText({ mode: ma, final: fa }, { mode: mb, final: fb })) ||
        `${modeLabel(mb)} vs ${modeLabel(ma)}: the result shows when both runs have reached their end`;
  return (
    <p className="compare-summary" data-testid="compare-summary" title={reasons.length > 0 ? reasons.join('\n') : undefined}>
      {text}
    </p>
  );
}

/**
 * Both runs' clocks when they differ. The engine moves in indivisible steps (a bitmap word of
 * the scan, a rate-limit wait), so after a pause or seek two runs stop at the first step end at
 * or after the moment asked for, which may differ (by up to ~100 ms in rate-limited runs): then
 * each run's own time is said, to the µs, instead of pretending they match.
 */
export function clocksText(la: string, ta: number, lb: string, tb: number): string | null {
  if (Math.abs(ta - tb) < 0.0005) return null;
  const digits = Math.abs(ta - tb) >= 1 ? 3 : 6;
  const s = (ms: number) => `${(ms / 1000).toFixed(digits)} s`;
  return `the two runs stand at ${la} ${s(ta)} and ${lb} ${s(tb)}: each engine stops at the end of its own step`;
}

function CompareClocks({ a, b }: { a: PanelController; b: PanelController }) {
  const ta = useStoreOf(a, (s) => s.snapshot.simTimeMs);
  const tb = useStoreOf(b, (s) => s.snapshot.simTimeMs);
  const playingA = useStoreOf(a, (s) => s.playing);
  const playingB = useStoreOf(b, (s) => s.playing);
  const playing = playingA || playingB;
  const doneA = useStoreOf(a, (s) => s.snapshot.done);
  const doneB = useStoreOf(b, (s) => s.snapshot.done);
  const ma = useStoreOf(a, (s) => s.mode);
  const mb = useStoreOf(b, (s) => s.mode);
  // A finished run stops at its end while the other goes on: that is the race, not a mismatch.
  const text = playing || doneA || doneB ? null : clocksText(modeLabel(ma), ta, modeLabel(mb), tb);
  if (!text) return null;
  return (
    <p className="compare-clocks muted" data-testid="compare-clocks">
      {text}
    </p>
  );
}

/**
 * Simulated vs published, for the sides the RFC measured (none: no panel). The tour's summary
 * shows it too. `ended`: both runs have been played to their end (before that the simulated
 * totals would name the winner of a race still running).
 */
export function ResultsPanel({ a, b, ended = true }: { a: PanelController; b: PanelController; ended?: boolean }) {
  const scenario = useStoreOf(a, (s) => s.scenario);
  const fa = useStoreOf(a, (s) => s.timeline?.final ?? null);
  const fb = useStoreOf(b, (s) => s.timeline?.final ?? null);
  const ma = useStoreOf(a, (s) => s.mode);
  const mb = useStoreOf(b, (s) => s.mode);
  const lines = (
    [
      [ma, fa],
      [mb, fb],
    ] as const
  ).flatMap(([mode, q]) => {
    const pub = publishedFor(scenario, mode);
    return pub ? [{ mode, q, pub }] : [];
  });
  if (lines.length === 0) return null;
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
          {lines.flatMap(({ mode, q: final, pub }) => {
            // The simulated totals would tell who wins: they wait for the end of the race.
            const q = ended ? final : null;
            const pending = final && !ended ? 'at the end' : '…';
            // The RFC's "KB" are KiB (QEMU's info migrate).
            const kib = q ? q.ram.transferred / 1024 : 0;
            return [
              <tr key={`${mode}-time`}>
                <th scope="row">{modeLabel(mode)} total-time</th>
                <td>{q ? `${formatInt(q['total-time'])} ms` : pending}</td>
                <td>{formatInt(pub.totalTimeMs)} ms</td>
                <td>{q ? errorPercent(q['total-time'], pub.totalTimeMs) : ''}</td>
              </tr>,
              <tr key={`${mode}-bytes`}>
                <th scope="row">{modeLabel(mode)} transferred</th>
                <td>{q ? formatBytes(q.ram.transferred) : pending}</td>
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
