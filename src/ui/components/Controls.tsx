/** Playback and scenario controls of one panel. Each control calls one PanelController action. */
import { useEffect, useRef } from 'react';
import type { ModeId } from '../../engine/types';
import { formatClock, formatSpeed } from '../format';
import { useApp, usePanel, usePanelState } from '../state/context';
import { PRESET_IDS, type ScenarioInputs, isPresetId, presetTitle } from '../state/scenario-inputs';
import { SPEED_STOPS, speedAt, stopOf } from '../state/speed-scale';

const MODES: { id: ModeId; label: string; hint: string }[] = [
  { id: 'original', label: 'Original', hint: 'QEMU sends every page (key O)' },
  { id: 'pv', label: 'PV', hint: 'the guest reports its free pages, QEMU skips them (key P)' },
];

export function Controls() {
  return (
    <div className="controls">
      <ScenarioControls />
      <PlaybackControls />
    </div>
  );
}

function ScenarioControls() {
  const c = usePanel();
  const presetId = usePanelState((s) => s.presetId);
  const mode = usePanelState((s) => s.mode);
  const inputs = usePanelState((s) => s.inputs);
  const inputError = usePanelState((s) => s.inputError);
  const field = (key: keyof ScenarioInputs, label: string, props: { min?: number; step?: string; width: string }) => (
    <label className="field">
      <span>{label}</span>
      <input
        type="number"
        inputMode="decimal"
        value={inputs[key]}
        min={props.min}
        step={props.step}
        style={{ width: props.width }}
        aria-invalid={inputError !== null || undefined}
        onChange={(e) => c.setInput(key, e.target.value)}
      />
    </label>
  );
  return (
    <div className="control-row">
      <label className="field">
        <span>Scenario</span>
        <select
          value={presetId}
          onChange={(e) => {
            if (isPresetId(e.target.value)) c.setPreset(e.target.value);
          }}
        >
          {PRESET_IDS.map((id) => (
            <option key={id} value={id}>
              {presetTitle(id)}
            </option>
          ))}
        </select>
      </label>
      <div className="mode-toggle" role="group" aria-label="Migration mode">
        {MODES.map((m) => (
          <button
            type="button"
            key={m.id}
            aria-pressed={mode === m.id}
            title={m.hint}
            className={mode === m.id ? 'active' : undefined}
            onClick={() => c.setMode(m.id)}
          >
            {m.label}
          </button>
        ))}
      </div>
      {field('guestGiB', 'Guest GiB', { min: 0, step: 'any', width: '5em' })}
      {field('linkGbps', 'Link Gbit/s', { min: 0, step: 'any', width: '5em' })}
      {field('seed', 'Seed', { step: '1', width: '6em' })}
      <p className="input-error" role="alert" aria-live="polite">
        {inputError ?? ''}
      </p>
    </div>
  );
}

function PlaybackControls() {
  const c = usePanel();
  const playing = usePanelState((s) => s.playing);
  const speed = usePanelState((s) => s.speed);
  const phase = usePanelState((s) => s.snapshot.phase);
  const round = usePanelState((s) => s.snapshot.round);
  return (
    <div className="control-row">
      <button type="button" className="primary play" onClick={() => c.togglePlay()} title="Space">
        {playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" onClick={() => c.step()} title="Step forward (→); ← steps back">
        Step
      </button>
      <button type="button" onClick={() => c.reset()} title="Back to time 0 (R)">
        Reset
      </button>
      <label className="field speed">
        <span>Speed</span>
        <input
          type="range"
          min={0}
          max={SPEED_STOPS.length - 1}
          step={1}
          value={stopOf(speed)}
          aria-valuetext={formatSpeed(speed)}
          onChange={(e) => c.setSpeed(speedAt(Number(e.target.value)))}
        />
        <output>{formatSpeed(speed)}</output>
      </label>
      <div className="clock" aria-label="simulated time">
        <SimClock />
        <span className="phase">
          {phase}
          {round > 0 && (phase === 'bulk' || phase === 'iterate') ? ` · round ${round}` : ''}
        </span>
      </div>
    </div>
  );
}

/** The simulated clock, updated by the rAF loop (no React render per frame). */
export function SimClock() {
  const c = usePanel();
  const { scheduler } = useApp();
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
    <span className="sim-clock" ref={ref} data-testid="sim-clock">
      {formatClock(0)}
    </span>
  );
}
