/**
 * The shared controls: scenario, view (one button per mode of src/ui/modes.ts, and Compare with
 * its two mode pickers), playback and the timeline.
 * They call Session actions, which reach every panel on screen; what they show is read from the
 * lead panel (its scenario and speed are the ones every panel runs).
 */
import { useEffect, useRef, } from 'react';
import { PROFILES } from '../../engine/migration/profiles';
import { formatClock, formatSpeed } from '../format';
import { BusyIndicator } from './BusyIndicator';
import { usePanelsValue } from '../hooks/use-panels-value';
import { useApp, useAppState, useSession, useStoreOf } from '../state/context';
import { isPresetId, PRESET_IDS, PRESET_SHORT, presetTitle } from '../state/scenario-inputs';
import { SPEED_STOPS, speedAt, stopOf } from '../state/speed-scale';
import { MODE_UI, parseModeId, UI_MODES } from '../modes';
import type { CompareSide } from '../state/session';
import { type CompareView, viewLabel } from '../view';
import { ScenarioFields } from './ScenarioFields';
import { Timeline } from './Timeline';
import { VerdictLine } from './VerdictLine';

export function Controls() {
  // A sweep has no clock: its runs are at their ends (a point opens one in the single view).
  const sweep = useAppState((s) => s.view.kind === 'sweep');
  return (
    <div className="controls chrome">
      <ScenarioControls />
      {!sweep && <PlaybackControls />}
      {!sweep && <Timeline />}
    </div>
  );
}

function ScenarioControls() {
  const session = useSession();
  const lead = useAppState((s) => s.panels[0]);
  const view = useAppState((s) => s.view);
  const presetId = useStoreOf(lead, (s) => s.presetId);
  const profile = useStoreOf(lead, (s) => s.scenario.profile);
  return (
    <div className="control-row">
      <label className="field">
        <span>Scenario</span>
        <select
          value={presetId}
          title={presetTitle(presetId)}
          aria-describedby="scenario-description"
          onChange={(e) => {
            if (isPresetId(e.target.value)) session.setPreset(e.target.value);
          }}
        >
          {PRESET_IDS.map((id) => (
            <option key={id} value={id} title={presetTitle(id)}>
              {PRESET_SHORT[id]}
            </option>
          ))}
        </select>
      </label>
      <label className="field" title="The testbed whose costs the engine uses; it brings its link, max-bandwidth and downtime limit">
        <span>Testbed</span>
        <select value={profile} onChange={(e) => session.setProfile(e.target.value)}>
          {Object.values(PROFILES).map((p) => (
            <option key={p.id} value={p.id}>
              {p.title}
            </option>
          ))}
        </select>
      </label>
      <span id="scenario-description" className="visually-hidden">
        {presetTitle(presetId)}
      </span>
      <fieldset className="mode-toggle">
        <legend className="visually-hidden">View</legend>
        {UI_MODES.map((mode) => {
          const m = MODE_UI[mode];
          const on = view.kind === 'single' && view.mode === mode;
          return (
            <button
              type="button"
              key={mode}
              aria-pressed={on}
              title={`${m.description} (key ${m.key.toUpperCase()})`}
              className={on ? 'active' : undefined}
              onClick={() => session.setView({ kind: 'single', mode })}
            >
              {m.label}
            </button>
          );
        })}
        <button
          type="button"
          aria-pressed={view.kind === 'compare'}
          title="Two modes side by side on one clock (key C)"
          className={view.kind === 'compare' ? 'active' : undefined}
          onClick={() => session.compare()}
        >
          Compare
        </button>
        <button
          type="button"
          aria-pressed={view.kind === 'sweep'}
          title="Many runs along one parameter, one line per mode (key S)"
          className={view.kind === 'sweep' ? 'active' : undefined}
          onClick={() => session.openSweep()}
        >
          Sweep
        </button>
      </fieldset>
      {view.kind === 'compare' && <ComparePickers view={view} />}
      <ScenarioFields />
    </div>
  );
}

/** The two modes of the compare view; picking the other side's mode swaps the sides. */
export function ComparePickers({ view }: { view: CompareView }) {
  const session = useSession();
  const picker = (side: CompareSide, label: string) => (
    <label className="field">
      <span>{label}</span>
      <select
        value={view[side]}
        onChange={(e) => {
          const mode = parseModeId(e.target.value);
          if (mode) session.setCompareSide(side, mode);
        }}
      >
        {UI_MODES.map((mode) => (
          <option key={mode} value={mode}>
            {MODE_UI[mode].label}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <fieldset className="compare-pickers" aria-label={`Compare ${viewLabel(view)}`}>
      {picker('a', 'Left')}
      {picker('b', 'Right')}
    </fieldset>
  );
}

function PlaybackControls() {
  const session = useSession();
  const panels = useAppState((s) => s.panels);
  const playing = usePanelsValue(panels, (ss) => ss.some((s) => s.playing));
  const speed = useStoreOf(panels[0], (s) => s.speed);
  const phase = useStoreOf(panels[0], (s) => s.snapshot.phase);
  const round = useStoreOf(panels[0], (s) => s.snapshot.round);
  return (
    <div className="control-row">
      <button type="button" className="primary play" onClick={() => session.togglePlay()} title="Space">
        {playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" onClick={() => session.step()} title="Step forward (→); ← steps back">
        Step
      </button>
      <button type="button" onClick={() => session.reset()} title="Back to time 0 (R)">
        Reset
      </button>
      <VerdictLine />
      <label className="field speed">
        <span>Speed</span>
        <input
          type="range"
          min={0}
          max={SPEED_STOPS.length - 1}
          step={1}
          value={stopOf(speed)}
          aria-valuetext={formatSpeed(speed)}
          onChange={(e) => session.setSpeed(speedAt(Number(e.target.value)))}
        />
        <output>{formatSpeed(speed)}</output>
      </label>
      <div className="clock" role="timer" aria-label="simulated time">
        <SimClock />
        <BusyIndicator />
        {panels.length === 1 && (
          <span className="phase">
            {phase}
            {round > 0 && (phase === 'bulk' || phase === 'iterate') ? ` · round ${round}` : ''}
          </span>
        )}
      </div>
    </div>
  );
}

/** The shared simulated clock, updated by the rAF loop (no React render per frame). */
export function SimClock({ testId = 'sim-clock' }: { testId?: string }) {
  const session = useSession();
  const { scheduler } = useApp();
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    let shown = -1;
    return scheduler.add(() => {
      const t = session.timeMs();
      if (t === shown || !ref.current) return;
      shown = t;
      ref.current.textContent = formatClock(t);
    });
  }, [session, scheduler]);
  return (
    <span className="sim-clock" ref={ref} data-testid={testId}>
      {formatClock(0)}
    </span>
  );
}
