/**
 * Session: the page's brain above the panels. It owns the app-wide store (view, theme,
 * presentation, tour, overlays, announcements) and one or two PanelControllers, and is what the
 * controls and keys talk to. Playback actions fan out to every panel, so in compare both
 * simulations follow one time cursor:
 *
 *   keys / controls ──▶ Session ──▶ PanelController (original)  ──▶ worker A
 *                         │    └──▶ PanelController (pv, compare) ──▶ worker B
 *                         └── URL (replaceState, debounced), announcer, tour
 *
 * The two panels share nothing but what the Session sends both. Each worker paces itself by
 * its own wall clock, so the Session re-aligns them whenever it matters: Play waits until both
 * engines have answered everything (then both start in the same task), and Pause seeks both to
 * the later of the two times.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EngineClient } from '../../client/engine-client';
import {
  MAX_SCENARIO_FILE_BYTES,
  parseScenarioFile,
  resolveScenario,
  SCENARIO_PRESETS,
  ScenarioError,
  scenarioFileTooLarge,
  validateScenario,
} from '../../engine/scenario';
import type { ModeId, Phase, QueryMigrate, Scenario } from '../../engine/types';
import { stepSizeMs } from '../../protocol';
import { formatClock } from '../format';
import { MODE_LABEL } from '../modes';
import type { RafScheduler } from '../render/raf-scheduler';
import { type Theme, type ThemePref, loadThemePref, nextThemePref, resolveTheme, saveThemePref } from '../theme';
import { TOUR } from '../tour/tour';
import {
  DEFAULT_VIEW_STATE,
  type ScenarioOverrides,
  type ViewMode,
  type ViewState,
  scenarioOf,
  serializeUrlState,
} from '../url/url-state';
import { PanelController } from './panel-controller';
import type { PanelState } from './panel-store';
import type { PresetId, ScenarioInputs } from './scenario-inputs';

export type Overlay = 'none' | 'shortcuts' | 'exports';

/** App-wide low-rate state (one per page). */
export interface AppState {
  view: ViewMode;
  /** The panels on screen: [original or pv] or, in compare, [original, pv]. */
  panels: readonly PanelController[];
  themePref: ThemePref;
  systemDark: boolean;
  /** Resolved from themePref and systemDark (set only by the Session, together with them). */
  theme: Theme;
  /** prefers-reduced-motion: views swap movement for fades. */
  reducedMotion: boolean;
  presenting: boolean;
  /** Presentation mode hides the controls until the pointer moves. */
  chromeVisible: boolean;
  overlay: Overlay;
  /** Index into TOUR of the step on screen, or null outside the tour. */
  tourStep: number | null;
  /** What was wrong with the link the page was opened with (dismissible). */
  urlErrors: readonly string[];
  /** Why the last scenario file could not be opened (dismissible), or null. */
  fileError: string | null;
  /** Latest status message for screen readers; `seq` makes a repeated text announce again. */
  announcement: { text: string; seq: number };
}

export interface SessionOptions {
  createClient: () => EngineClient;
  scheduler: RafScheduler;
  /** The state to open with (parsed from the link) and what was wrong with the link. */
  initial?: ViewState;
  urlErrors?: readonly string[];
  /** Where the shareable state is written; default: history.replaceState on this page. */
  writeUrl?: (search: string) => void;
  /** Delay of URL writes and of hiding the presentation chrome (tests shorten them). */
  urlDebounceMs?: number;
  chromeHideMs?: number;
}

/** Hide the presentation controls after this long without pointer movement. */
export const CHROME_HIDE_MS = 2500;
const URL_DEBOUNCE_MS = 300;

const PHASE_TEXT: Record<Phase, string> = {
  idle: 'not started',
  setup: 'setup',
  bulk: 'bulk stage',
  iterate: 'iterating over re-dirtied pages',
  'stop-copy': 'stop-and-copy, guest paused',
  completed: 'completed',
  failed: 'failed',
};

export class Session {
  readonly store: StoreApi<AppState>;
  private primary: PanelController;
  private secondary: PanelController | null = null;
  /** The charts' SVG on screen (exports read it). */
  chartsSvg: SVGSVGElement | null = null;
  private readonly unsubs = new Map<PanelController, () => void>();
  private urlTimer: ReturnType<typeof setTimeout> | null = null;
  private chromeTimer: ReturnType<typeof setTimeout> | null = null;
  private enteredFullscreen = false;
  private started = false;
  /** Bumped by every action that moves or stops the clock: a Play still waiting is cancelled. */
  private playToken = 0;
  private readonly initial: ViewState;

  constructor(private readonly opts: SessionOptions) {
    const initial = opts.initial ?? DEFAULT_VIEW_STATE;
    const errors = [...(opts.urlErrors ?? [])];
    let scenario: Scenario;
    const mode: ModeId = initial.view === 'compare' ? 'original' : initial.view;
    try {
      scenario = validateScenario(scenarioOf(initial, mode));
    } catch (e) {
      // Each field was in range but the combination is not: fall back to the plain preset.
      errors.push(`${e instanceof Error ? e.message : String(e)}; using the preset's values`);
      scenario = { ...SCENARIO_PRESETS[initial.presetId], mode };
    }
    this.initial = initial;
    this.primary = this.newPanel(scenario, initial.speed);
    const themePref = loadThemePref();
    const systemDark = true;
    this.store = createStore<AppState>()(() => ({
      view: initial.view,
      panels: [this.primary],
      themePref,
      systemDark,
      theme: resolveTheme(themePref, systemDark),
      reducedMotion: false,
      presenting: initial.present,
      chromeVisible: !initial.present,
      overlay: 'none',
      tourStep: null,
      urlErrors: errors,
      fileError: null,
      announcement: { text: '', seq: 0 },
    }));
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  /** Start the engines and go to the link's moment (seek, autoplay). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.watch(this.primary);
    this.primary.start();
    if (this.initial.view === 'compare') this.openSecondary();
    if (this.initial.timeMs > 0) this.seek(this.initial.timeMs);
    if (this.initial.autoplay) this.play();
  }

  dispose(): void {
    for (const p of this.panels) p.dispose();
    for (const u of this.unsubs.values()) u();
    this.unsubs.clear();
    if (this.urlTimer) clearTimeout(this.urlTimer);
    if (this.chromeTimer) clearTimeout(this.chromeTimer);
    this.started = false;
  }

  get panels(): readonly PanelController[] {
    return this.secondary ? [this.primary, this.secondary] : [this.primary];
  }

  /** The panel whose scenario and settings the controls show. */
  get lead(): PanelController {
    return this.primary;
  }

  private get state(): AppState {
    return this.store.getState();
  }

  private newPanel(scenario: Scenario, speed: number): PanelController {
    return new PanelController({ createClient: this.opts.createClient, scheduler: this.opts.scheduler, scenario, speed });
  }

  private openSecondary(): void {
    const lead = this.primary.store.getState();
    const pv = this.newPanel({ ...lead.scenario, mode: 'pv' }, lead.speed);
    this.secondary = pv;
    this.watch(pv);
    pv.start();
    this.store.setState({ panels: this.panels });
  }

  private closeSecondary(): void {
    const s = this.secondary;
    if (!s) return;
    this.secondary = null;
    this.unsubs.get(s)?.();
    this.unsubs.delete(s);
    s.dispose();
    this.store.setState({ panels: this.panels });
  }

  /** Announce phase changes and keep the URL current as a panel's low-rate state changes. */
  private watch(p: PanelController): void {
    const unsub = p.store.subscribe((s, prev) => {
      const snap = s.snapshot;
      const was = prev.snapshot;
      // A new epoch is a seek/reset/load: jumping around is not news; only a run moving on is.
      if (snap.epoch === was.epoch && (snap.phase !== was.phase || snap.done !== was.done)) {
        this.announcePhase(p, snap.phase, snap.stats);
      }
      if (p === this.primary) {
        if (s.playing !== prev.playing || s.scenario !== prev.scenario || s.speed !== prev.speed || snap.epoch !== was.epoch) {
          this.scheduleUrlSync();
        }
      }
    });
    this.unsubs.set(p, unsub);
  }

  private announcePhase(p: PanelController, phase: Phase, stats: QueryMigrate | null): void {
    let text = PHASE_TEXT[phase];
    if (phase === 'completed' && stats) {
      text = stats.verification.ok ? 'completed, verified' : 'completed, verification failed';
    }
    const who = this.secondary ? `${MODE_LABEL[p.store.getState().mode]}: ` : '';
    this.announce(`${who}${text}`);
  }

  announce(text: string): void {
    this.store.setState((s) => ({ announcement: { text, seq: s.announcement.seq + 1 } }));
  }

  // ---- the shared time cursor ------------------------------------------------------------

  /** The time on screen: the latest of the panels (a finished PV run stops at its end). */
  timeMs(): number {
    let t = 0;
    for (const p of this.panels) t = Math.max(t, p.live.simTimeMs);
    return t;
  }

  get playing(): boolean {
    return this.panels.some((p) => p.store.getState().playing);
  }

  togglePlay(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  play(): void {
    this.announce('Playing');
    if (!this.secondary) {
      this.primary.play();
      return;
    }
    const panels = this.panels;
    const token = ++this.playToken;
    // Both engines must have caught up with every earlier message (a seek takes a re-simulation)
    // so that their playback clocks start together.
    void Promise.all(panels.map((p) => p.settled())).then(async () => {
      // The view changed, or a seek or pause came after: those decide what plays.
      if (!samePanels(this.panels, panels) || token !== this.playToken) return;
      let running = panels.filter((p) => !p.live.done);
      if (running.length === 0) {
        // Play at the end replays the whole race from the start.
        for (const p of panels) p.seek(0);
        await Promise.all(panels.map((p) => p.settled()));
        if (token !== this.playToken) return;
        running = [...panels];
      }
      for (const p of running) p.play();
    });
  }

  pause(): void {
    this.playToken++;
    for (const p of this.panels) p.pause();
    this.announce(`Paused at ${formatClock(this.timeMs())}`);
    if (!this.secondary) return;
    const panels = this.panels;
    void Promise.all(panels.map((p) => p.settled())).then(() => {
      // Each worker stopped at its own moment; line the unfinished ones up on the later one.
      const running = panels.filter((p) => !p.live.done);
      if (running.length < 2) return;
      const t = Math.max(...running.map((p) => p.live.simTimeMs));
      if (running.some((p) => Math.abs(p.live.simTimeMs - t) > 1e-6)) for (const p of running) p.seek(t);
    });
  }

  step(): void {
    this.playToken++;
    for (const p of this.panels) p.step();
  }

  stepBack(): void {
    const speed = this.primary.store.getState().speed;
    this.seek(Math.max(0, this.timeMs() - stepSizeMs(speed)));
  }

  /** Every panel to exactly `simMs`, paused (drags coalesce per panel). */
  seek(simMs: number): void {
    this.playToken++;
    for (const p of this.panels) p.seek(simMs);
  }

  reset(): void {
    this.playToken++;
    for (const p of this.panels) p.reset();
  }

  setSpeed(speed: number): void {
    for (const p of this.panels) p.setSpeed(speed);
  }

  // ---- scenario ----------------------------------------------------------------------------

  setPreset(id: PresetId): void {
    this.setScenario({ ...SCENARIO_PRESETS[id], mode: 'original' });
  }

  setInput(field: keyof ScenarioInputs, text: string): void {
    this.primary.setInput(field, text);
    const lead = this.primary.store.getState();
    if (lead.inputError === null) this.secondary?.setScenario({ ...lead.scenario, mode: 'pv' });
  }

  /**
   * Opens a scenario file (JSON, as the Scenario export writes it): every panel loads it and a
   * single view switches to the file's mode. A bad file changes nothing and says what is wrong.
   */
  openScenarioFile(text: string, fileName: string, bytes = text.length): void {
    let scenario: Scenario;
    try {
      if (bytes > MAX_SCENARIO_FILE_BYTES) throw new ScenarioError(scenarioFileTooLarge(fileName));
      const { presetId, overrides } = parseScenarioFile(text, fileName);
      scenario = resolveScenario(presetId, overrides);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.store.setState({ fileError: message });
      this.announce(`Could not open ${fileName}`);
      return;
    }
    this.store.setState({ fileError: null });
    this.setScenario(scenario);
    if (this.state.view !== 'compare' && scenario.mode !== this.primary.store.getState().mode) this.setView(scenario.mode);
    this.announce(`Opened ${fileName}`);
    this.scheduleUrlSync();
  }

  dismissFileError(): void {
    this.store.setState({ fileError: null });
  }

  /** Load `scenario` in every panel, each in its own mode. */
  private setScenario(scenario: Scenario): void {
    for (const p of this.panels) p.setScenario({ ...scenario, mode: p.store.getState().mode });
  }

  // ---- views -------------------------------------------------------------------------------

  setView(view: ViewMode): void {
    if (view === this.state.view) return;
    const t = this.timeMs();
    const wasPlaying = this.playing;
    if (view === 'compare') {
      this.primary.setMode('original');
      this.openSecondary();
      // The new PV engine starts at 0: bring both to the moment on screen.
      if (t > 0 || wasPlaying) this.seek(t);
      this.store.setState({ view });
      if (wasPlaying) this.play();
    } else {
      this.closeSecondary();
      this.primary.setMode(view);
      this.store.setState({ view });
    }
    this.announce(`${view === 'compare' ? 'Compare' : MODE_LABEL[view]} view`);
    this.scheduleUrlSync();
  }

  // ---- tour --------------------------------------------------------------------------------

  nextStep(): void {
    const i = this.state.tourStep;
    this.goToStep(i === null ? 0 : Math.min(TOUR.length - 1, i + 1));
  }

  prevStep(): void {
    const i = this.state.tourStep;
    this.goToStep(i === null ? 0 : Math.max(0, i - 1));
  }

  /** Show tour step `i`: its scenario (the plain preset), view and moment, and its caption. */
  goToStep(i: number): void {
    const step = TOUR[i];
    if (!step) return;
    this.store.setState({ tourStep: i, overlay: 'none' });
    const lead = this.primary.store.getState();
    const preset = SCENARIO_PRESETS[step.presetId];
    if (!sameScenario(lead.scenario, { ...preset, mode: lead.mode })) this.setScenario(preset);
    this.setView(step.view);
    this.setSpeed(step.speed);
    this.seek(step.timeMs);
    if (step.play) this.play();
    this.announce(`Tour step ${i + 1} of ${TOUR.length}: ${step.title.replace(/^\d+ · /, '')}`);
  }

  endTour(): void {
    this.store.setState({ tourStep: null });
  }

  // ---- presentation, overlays, theme -----------------------------------------------------------

  togglePresent(): void {
    this.setPresenting(!this.state.presenting);
  }

  setPresenting(on: boolean): void {
    if (on === this.state.presenting) return;
    this.store.setState({ presenting: on, chromeVisible: !on });
    this.announce(on ? 'Presentation mode' : 'Presentation mode off');
    this.scheduleUrlSync();
    const doc = typeof document === 'undefined' ? null : document;
    if (!doc) return;
    // Fullscreen is a nicety: unavailable (iframes, tests) or refused, the stage still works.
    if (on && typeof doc.documentElement.requestFullscreen === 'function' && !doc.fullscreenElement) {
      doc.documentElement
        .requestFullscreen()
        .then(() => {
          this.enteredFullscreen = true;
        })
        .catch(() => {});
    } else if (!on && doc.fullscreenElement && typeof doc.exitFullscreen === 'function') {
      this.enteredFullscreen = false;
      doc.exitFullscreen().catch(() => {});
    }
  }

  /** The browser left fullscreen (e.g. Escape): leave presentation mode with it. */
  onFullscreenChange(isFullscreen: boolean): void {
    if (!isFullscreen && this.enteredFullscreen) {
      this.enteredFullscreen = false;
      this.setPresenting(false);
    }
  }

  /** Pointer moved: show the presentation controls, hide them again after a quiet while. */
  pointerActivity(): void {
    if (!this.state.presenting) return;
    if (!this.state.chromeVisible) this.store.setState({ chromeVisible: true });
    if (this.chromeTimer) clearTimeout(this.chromeTimer);
    this.chromeTimer = setTimeout(() => {
      this.chromeTimer = null;
      if (this.state.presenting) this.store.setState({ chromeVisible: false });
    }, this.opts.chromeHideMs ?? CHROME_HIDE_MS);
  }

  toggleOverlay(o: Exclude<Overlay, 'none'>): void {
    this.store.setState((s) => ({ overlay: s.overlay === o ? 'none' : o }));
  }

  /** Escape: close the topmost thing (overlay, then the tour caption). True if it closed one. */
  closeTopmost(): boolean {
    const s = this.state;
    if (s.overlay !== 'none') {
      this.store.setState({ overlay: 'none' });
      return true;
    }
    if (s.tourStep !== null) {
      this.endTour();
      return true;
    }
    return false;
  }

  dismissUrlErrors(): void {
    this.store.setState({ urlErrors: [] });
  }

  cycleTheme(): void {
    const themePref = nextThemePref(this.state.themePref);
    saveThemePref(themePref);
    this.store.setState({ themePref, theme: resolveTheme(themePref, this.state.systemDark) });
    this.announce(`Theme: ${themePref}`);
  }

  setSystemDark(systemDark: boolean): void {
    this.store.setState({ systemDark, theme: resolveTheme(this.state.themePref, systemDark) });
  }

  setReducedMotion(reducedMotion: boolean): void {
    this.store.setState({ reducedMotion });
  }

  // ---- the shareable link ------------------------------------------------------------------

  /** What is on screen, as the URL state. */
  viewState(): ViewState {
    const lead: PanelState = this.primary.store.getState();
    const preset = SCENARIO_PRESETS[lead.presetId];
    const overrides: ScenarioOverrides = {};
    const s = lead.scenario;
    if (s.guestGiB !== preset.guestGiB) overrides.guestGiB = s.guestGiB;
    if (s.workload !== preset.workload) overrides.workload = s.workload;
    if (s.linkGbps !== preset.linkGbps) overrides.linkGbps = s.linkGbps;
    if (s.maxBandwidthMiBs !== preset.maxBandwidthMiBs) overrides.maxBandwidthMiBs = s.maxBandwidthMiBs;
    if (s.downtimeMs !== preset.downtimeMs) overrides.downtimeMs = s.downtimeMs;
    if (s.seed !== preset.seed) overrides.seed = s.seed;
    return {
      presetId: lead.presetId,
      view: this.state.view,
      overrides,
      speed: lead.speed,
      timeMs: this.timeMs(),
      autoplay: this.playing,
      present: this.state.presenting,
    };
  }

  /** The query string of the view on screen ('' for the default view). */
  search(): string {
    return serializeUrlState(this.viewState());
  }

  /**
   * Writes the URL soon (debounced): replaceState, never pushState, so scrubbing and playing do
   * not flood the history, and never per frame.
   */
  scheduleUrlSync(): void {
    if (this.urlTimer) clearTimeout(this.urlTimer);
    this.urlTimer = setTimeout(() => {
      this.urlTimer = null;
      this.writeUrl(this.search());
    }, this.opts.urlDebounceMs ?? URL_DEBOUNCE_MS);
  }

  private writeUrl(search: string): void {
    if (this.opts.writeUrl) {
      this.opts.writeUrl(search);
      return;
    }
    if (typeof window === 'undefined') return;
    const url = `${window.location.pathname}${search}${window.location.hash}`;
    if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
      window.history.replaceState(window.history.state, '', url);
    }
  }
}

function samePanels(a: readonly PanelController[], b: readonly PanelController[]): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

function sameScenario(a: Scenario, b: Scenario): boolean {
  return (Object.keys(b) as (keyof Scenario)[]).every((k) => a[k] === b[k]);
}
