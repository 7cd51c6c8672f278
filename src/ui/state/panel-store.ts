/**
 * The low-rate state of one simulation panel, in a zustand vanilla store (one per panel, created
 * by PanelController, handed down through React context — never a module-level singleton, since
 * compare mode puts two panels side by side). Components select narrow slices of it.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ModeId, Phase, QueryMigrate, Scenario } from '../../engine/types';
import type { PageMapLayout, ProgressWhat, TimelineMessage } from '../../protocol';
import type { InputErrors, PresetId, ScenarioInputs } from './scenario-inputs';

/** What text readouts show: a throttled (~8 Hz) copy of the live run, never per frame. */
export interface RunSnapshot {
  epoch: number;
  simTimeMs: number;
  phase: Phase;
  round: number;
  done: boolean;
  pageCount: number;
  layout: PageMapLayout | null;
  stats: QueryMigrate | null;
}

export interface PanelState {
  presetId: PresetId;
  mode: ModeId;
  /** The editable scenario fields as typed (may be invalid). */
  inputs: ScenarioInputs;
  /** Why `inputs` were rejected, per input ({} when the scenario loaded). */
  inputErrors: InputErrors;
  /** The scenario the engine runs (always valid). */
  scenario: Scenario;
  playing: boolean;
  /** Simulated ms per wall ms; Infinity = as fast as the engine runs. */
  speed: number;
  /** Page under the pointer (tooltip), or null. */
  hoverPfn: number | null;
  /** The engine failed: message shown with a Restart button. */
  engineError: string | null;
  snapshot: RunSnapshot;
  /** The whole run of the current scenario (length, phase markers, final stats), once known. */
  timeline: TimelineMessage | null;
  /**
   * Long work the engine is doing for this panel (a load, a seek's re-simulation, the timeline
   * pre-run), since when (performance.now) and how far, if the worker says (`progress`), or null.
   */
  busy: Busy | null;
}

export interface Busy {
  what: ProgressWhat;
  since: number;
  /** 0..1, or null while the worker has not reported progress. */
  fraction: number | null;
}

export type PanelStore = StoreApi<PanelState>;

export const EMPTY_SNAPSHOT: RunSnapshot = {
  epoch: 0,
  simTimeMs: 0,
  phase: 'idle',
  round: 0,
  done: false,
  pageCount: 0,
  layout: null,
  stats: null,
};

export function createPanelStore(initial: PanelState): PanelStore {
  return createStore<PanelState>()(() => initial);
}
