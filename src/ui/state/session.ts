/**
 * Session: the page's brain above the panels, and what the controls and keys talk to. It owns
 * the app-wide store and one PanelController per mode on screen, and composes three parts that
 * each live in their own module:
 *
 *   keys / controls ──▶ Session ──▶ PanelController (view's 1st mode) ──▶ worker A
 *                         │    └──▶ PanelController (compare: 2nd mode) ──▶ worker B
 *                         ├── PlaybackSync  (playback-sync.ts): one time cursor over the panels
 *                         ├── UrlSync       (url-sync.ts): the link, debounced replaceState
 *                         └── Presentation  (presentation.ts): stage, fullscreen, hiding chrome
 *
 * The Session itself does the views (which panels exist, in which mode), the scenario every
 * panel runs, the tour, overlays, theme and the announcer. The panels share nothing but what the
 * Session sends them.
 */
import { createStore } from 'zustand/vanilla';
import type { EngineClient } from '../../client/engine-client';
import { FORMAT_LABEL } from '../../import/measured-run';
import {
  presetOn,
  resolveScenario,
  SCENARIO_PRESETS,
  validateScenario,
} from '../../engine/scenario';
import type { ModeId, Phase, QueryMigrate, Scenario } from '../../engine/types';
import { PHASE_TEXT } from '../format';
import { modeLabel } from '../modes';
import { assertNever, clampWindow, isWholeGuest, type PageWindow } from '../../protocol';
import type { RafScheduler } from '../render/raf-scheduler';
import { loadThemePref, nextThemePref, resolveTheme, saveThemePref } from '../theme';
import { DEFAULT_VIEW_STATE, scenarioOf, type ViewState } from '../url/url-state';
import { type CompareView, DEFAULT_COMPARE, DEFAULT_SWEEP, type SweepSettings, sameView, single, type View, viewLabel, viewModes } from '../view';
import type { SweepPool, SweepRun } from '../../sweep/index';
import type { SweepController } from './sweep-controller';
import { loadOnce } from '../load-once';
import type { AppState, AppStore, MeasuredImport, Overlay } from './app-state';
import { PanelController } from './panel-controller';
import { PlaybackSync } from './playback-sync';
import { Presentation } from './presentation';
import type { TourRunner } from './tour-runner';
import type { PresetId, ScenarioInputs } from './scenario-inputs';
import { UrlSync, viewStateOf } from './url-sync';

export type { AppState, Overlay } from './app-state';
export { CHROME_HIDE_MS } from './presentation';

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
  /** How often `t=` is written while playing (default URL_PLAYING_INTERVAL_MS). */
  urlPlayingIntervalMs?: number;
  chromeHideMs?: number;
  /** The sweep view's pool of workers, made when a sweep first runs (default: Web Workers). */
  createSweepPool?: () => SweepPool;
}

/** Which side of a compare: `a` the left (lead) panel, `b` the right one. */
export type CompareSide = 'a' | 'b';

export class Session {
  readonly store: AppStore;
  private primary: PanelController;
  private secondary: PanelController | null = null;
  private readonly unsubs = new Map<PanelController, () => void>();
  private started = false;
  private readonly initial: ViewState;
  /** The pair C (and the Compare button) opens: the last one on screen. */
  private lastPair: CompareView = DEFAULT_COMPARE;
  /** The sweep S (and the Sweep button) opens: the last one on screen. */
  private lastSweep: SweepSettings = DEFAULT_SWEEP;
  private readonly playback: PlaybackSync;
  private readonly url: UrlSync;
  private readonly presentation: Presentation;
  /**
   * The tour, made when first asked for (a tour key, the Tour button; loadTour): the runner, the
   * steps, the caption and the annotations are the tour's own chunk (tour/tour-chunk.ts).
   */
  private tour: TourRunner | null = null;
  /** Loads the tour's chunk and makes the runner (once); Tour's button calls it on hover to be early. */
  readonly loadTour: () => Promise<TourRunner>;
  /**
   * The sweep view's runs and results (kept while other views show, so going back is instant).
   * Made by the sweep view at its first showing (sweepOf): the controller, the planner and the
   * pool are in the sweep's own chunk, which the default view does not load.
   */
  private sweepCtl: SweepController | null = null;

  constructor(private readonly opts: SessionOptions) {
    const initial = opts.initial ?? DEFAULT_VIEW_STATE;
    const errors = [...(opts.urlErrors ?? [])];
    let scenario: Scenario;
    const mode = viewModes(initial.view)[0];
    try {
      scenario = validateScenario(scenarioOf(initial, mode));
    } catch (e) {
      // Each field was in range but the combination is not: fall back to the plain preset.
      errors.push(`${e instanceof Error ? e.message : String(e)}; using the preset's values`);
      scenario = { ...SCENARIO_PRESETS[initial.presetId], mode };
    }
    this.initial = initial;
    if (initial.view.kind === 'compare') this.lastPair = initial.view;
    if (initial.view.kind === 'sweep') this.lastSweep = initial.view.sweep;
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
      embed: initial.embed,
      chromeVisible: !initial.present,
      overlay: 'none',
      tourStep: null,
      tourHeld: false,
      urlErrors: errors,
      fileError: null,
      measured: null,
      exportError: null,
      loadError: null,
      announcement: { text: '', seq: 0 },
      zoom: initial.zoom,
      // A pin past the end of this guest finds no page: the panel says the engine had no history.
      pinned: initial.pin === null ? null : { first: initial.pin, count: 1 },
    }));
    const announce = (text: string) => this.announce(text);
    this.playback = new PlaybackSync({ panels: () => this.panels, announce });
    this.url = new UrlSync({ read: () => this.viewState(), write: opts.writeUrl, debounceMs: opts.urlDebounceMs });
    this.presentation = new Presentation({
      store: this.store,
      announce,
      changed: () => this.scheduleUrlSync(),
      chromeHideMs: opts.chromeHideMs,
    });
    this.loadTour = loadOnce('the tour', async () => {
      const { TourRunner } = await import('../tour/tour-chunk');
      this.tour ??= new TourRunner({
        store: this.store,
        scheduler: opts.scheduler,
        playback: this.playback,
        panels: () => this.panels,
        timeMs: () => this.timeMs(),
        show: (step) => {
          // The plain preset (kept if it is on screen already), then the step's view.
          const lead = this.primary.store.getState();
          const preset = SCENARIO_PRESETS[step.presetId];
          if (!sameScenario(lead.scenario, { ...preset, mode: lead.mode })) this.setScenario(preset);
          this.setView(step.view);
        },
        announce,
      });
      return this.tour;
    });
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  /** Start the engines and go to the link's moment (seek, autoplay). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.watch(this.primary);
    this.primary.start();
    const v = this.initial.view;
    if (v.kind === 'compare') this.openSecondary(v.b);
    if (this.initial.timeMs > 0) this.seek(this.initial.timeMs);
    if (this.initial.autoplay) this.play();
  }

  dispose(): void {
    this.tour?.stop();
    this.sweepCtl?.dispose();
    for (const p of this.panels) p.dispose();
    for (const u of this.unsubs.values()) u();
    this.unsubs.clear();
    this.url.dispose();
    this.presentation.dispose();
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

  private openSecondary(mode: ModeId): void {
    const lead = this.primary.store.getState();
    const p = this.newPanel({ ...lead.scenario, mode }, lead.speed);
    this.secondary = p;
    this.watch(p);
    p.start();
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
        } else if (s.playing && snap.simTimeMs !== was.simTimeMs) {
          this.url.progress(this.opts.urlPlayingIntervalMs);
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
    const who = this.secondary ? `${modeLabel(p.store.getState().mode)}: ` : '';
    this.announce(`${who}${text}`);
  }

  announce(text: string): void {
    this.store.setState((s) => ({ announcement: { text, seq: s.announcement.seq + 1 } }));
  }

  // ---- the shared time cursor (playback-sync.ts) ---------------------------------------------

  timeMs(): number {
    return this.playback.timeMs();
  }

  get playing(): boolean {
    return this.playback.playing;
  }

  // The user taking the controls ends a tour step's wait for its moment.

  togglePlay(): void {
    this.tour?.cancelHold();
    this.playback.togglePlay();
  }

  play(): void {
    this.tour?.cancelHold();
    this.playback.play();
  }

  pause(): void {
    this.tour?.cancelHold();
    this.playback.pause();
  }

  step(): void {
    this.tour?.cancelHold();
    this.playback.step();
  }

  stepBack(): void {
    this.tour?.cancelHold();
    this.playback.stepBack();
  }

  seek(simMs: number): void {
    this.tour?.cancelHold();
    this.playback.seek(simMs);
  }

  reset(): void {
    this.tour?.cancelHold();
    this.playback.reset();
  }

  setSpeed(speed: number): void {
    this.playback.setSpeed(speed);
  }

  // ---- scenario ----------------------------------------------------------------------------

  /** Another preset, on the testbed on screen. */
  setPreset(id: PresetId): void {
    const lead = this.primary.store.getState();
    this.setScenario({ ...presetOn(id, lead.scenario.profile), mode: lead.mode });
  }

  /**
   * Another testbed (host profile): its link, max-bandwidth and downtime limit come with it; the
   * guest (size, workload, seed, settle time) stays.
   */
  setProfile(profile: string): void {
    const lead = this.primary.store.getState();
    const s = lead.scenario;
    const base = presetOn(lead.presetId, profile);
    this.setScenario({ ...base, guestGiB: s.guestGiB, workload: s.workload, seed: s.seed, settleMs: s.settleMs, mode: lead.mode });
  }

  /** Commit one scenario input (see PanelController.setInput); every panel loads the result. */
  setInput<K extends keyof ScenarioInputs>(field: K, value: ScenarioInputs[K]): void {
    const before = this.primary.store.getState().scenario;
    this.primary.setInput(field, value);
    const lead = this.primary.store.getState();
    const s = this.secondary;
    if (s && lead.scenario !== before) s.setScenario({ ...lead.scenario, mode: s.store.getState().mode });
  }

  /**
   * Opens a file given to Open… or dropped on the page: a scenario file (JSON, as the Scenario
   * export writes it: every panel loads it and a single view switches to the file's mode), or a
   * measured run (a guestperf report or a query-migrate log: every panel loads the matching
   * scenario, src/import/match.ts, and the charts draw the run beside the simulation). What the
   * file is comes from its content (src/import/detect.ts). A bad file changes nothing and says
   * what is wrong. The parsers are in their own chunk, loaded at the first file (a file given
   * before it arrived waits for it; files open in the order given).
   */
  async openFile(text: string, fileName: string, bytes = text.length): Promise<void> {
    let scenario: Scenario;
    let measured: MeasuredImport | null = null;
    try {
      const { readImportFile, matchScenario } = await loadImporters();
      const file = readImportFile(text, fileName, bytes);
      switch (file.kind) {
        case 'scenario':
          scenario = resolveScenario(file.presetId, file.overrides);
          break;
        case 'measured': {
          const m = matchScenario(file.run, this.primary.store.getState().scenario);
          scenario = m.scenario;
          measured = { run: file.run, scenario: m.scenario, stated: m.stated, assumed: m.assumed };
          break;
        }
        default:
          assertNever(file);
      }
    } catch (e) {
      this.fileFailed(fileName, e instanceof Error ? e.message : String(e));
      return;
    }
    // A scenario file replaces the measured run too: it was matched to another scenario.
    this.store.setState({ fileError: null, measured });
    this.setScenario(scenario);
    if (this.state.view.kind === 'single') this.setView(single(scenario.mode));
    this.announce(measured ? `Imported ${fileName} (${FORMAT_LABEL[measured.run.format]})` : `Opened ${fileName}`);
    this.scheduleUrlSync();
  }

  /** A file could not be opened (or fetched): say why; nothing else changes. */
  fileFailed(fileName: string, message: string): void {
    this.store.setState({ fileError: message });
    this.announce(`Could not open ${fileName}`);
  }

  /** The measured run on screen, or null (the sweep view draws it as points). */
  get measured(): MeasuredImport | null {
    return this.state.measured;
  }

  /** Take the measured run off the charts and stats; the scenario stays. */
  clearMeasured(): void {
    if (this.state.measured === null) return;
    this.store.setState({ measured: null });
    this.announce('Measured run removed');
  }

  dismissFileError(): void {
    this.store.setState({ fileError: null });
  }

  /** An export failed: say why on screen (a notice) and to screen readers. */
  exportFailed(message: string): void {
    this.store.setState({ exportError: message });
    this.announce(`Export failed: ${message}`);
  }

  dismissExportError(): void {
    this.store.setState({ exportError: null });
  }

  /** Load `scenario` in every panel, each in its own mode. */
  private setScenario(scenario: Scenario): void {
    for (const p of this.panels) p.setScenario({ ...scenario, mode: p.store.getState().mode });
  }

  // ---- views -------------------------------------------------------------------------------

  /**
   * Show `view`: one panel per mode. The lead panel stays and switches mode in place (its
   * engine keeps its moment); a compare's second panel is opened or closed as needed, and both
   * are brought to the moment on screen.
   */
  setView(view: View): void {
    if (sameView(view, this.state.view)) return;
    // S (and the Sweep button) brings back the sweep last on screen.
    if (this.state.view.kind === 'sweep') this.lastSweep = this.state.view.sweep;
    const t = this.timeMs();
    const wasPlaying = this.playing;
    switch (view.kind) {
      case 'single':
        this.closeSecondary();
        this.primary.setMode(view.mode);
        this.store.setState({ view });
        this.announce(`${viewLabel(view)} view`);
        break;
      case 'compare': {
        this.lastPair = view;
        this.primary.setMode(view.a);
        if (this.secondary) this.secondary.setMode(view.b);
        else this.openSecondary(view.b);
        // A new engine starts at 0, a mode switch keeps its own clock: one moment for both.
        if (t > 0 || wasPlaying) this.seek(t);
        this.store.setState({ view });
        if (wasPlaying) this.play();
        this.announce(`Compare view: ${viewLabel(view)}`);
        break;
      }
      case 'sweep':
        // The sweep runs in its own workers; the lead panel stays (its scenario is the sweep's
        // base) and waits, paused, for the view to come back.
        if (wasPlaying) this.pause();
        this.closeSecondary();
        this.store.setState({ view });
        this.announce(viewLabel(view));
        break;
      default:
        assertNever(view, 'view');
    }
    this.scheduleUrlSync();
  }

  /**
   * The sweep view's controller, made by `make` (the sweep's chunk has the class and the
   * Web Worker pool; `createPool` is the tests' pool, if they gave one) the first time and kept.
   */
  sweepOf(make: (createPool: (() => SweepPool) | undefined) => SweepController): SweepController {
    this.sweepCtl ??= make(this.opts.createSweepPool);
    return this.sweepCtl;
  }

  /** The sweep view's controller, or null before the sweep view first showed. */
  get sweep(): SweepController | null {
    return this.sweepCtl;
  }

  /** The sweep view with these settings (kept in the link). */
  setSweep(settings: SweepSettings): void {
    this.setView({ kind: 'sweep', sweep: settings });
  }

  /** Opens the sweep view with the settings last shown (first: DEFAULT_SWEEP). */
  openSweep(): void {
    if (this.state.view.kind !== 'sweep') this.setView({ kind: 'sweep', sweep: this.lastSweep });
  }

  /**
   * Opens one run of a sweep at its end: its scenario in the single view of its mode, or in
   * compare against `other` at the same point.
   */
  openSweepRun(run: SweepRun, other: ModeId | null = null): void {
    this.primary.setScenario(run.scenario);
    this.setView(other && other !== run.mode ? { kind: 'compare', a: run.mode, b: other } : single(run.mode));
    // A compare's second panel opened on the lead's scenario, just set.
    for (const p of this.panels) p.runToEnd();
    this.scheduleUrlSync();
  }

  /** Open the compare view with the last pair shown (first: Original vs PV). */
  compare(): void {
    this.setView(this.state.view.kind === 'compare' ? this.state.view : this.lastPair);
  }

  /** Pick one side's mode in compare; picking the other side's mode swaps the two. */
  setCompareSide(side: CompareSide, mode: ModeId): void {
    const v = this.state.view;
    if (v.kind !== 'compare') return;
    const other = side === 'a' ? v.b : v.a;
    const [a, b] = mode === other ? [v.b, v.a] : side === 'a' ? [mode, v.b] : [v.a, mode];
    this.setView({ kind: 'compare', a, b });
  }

  // ---- tour: tour-runner.ts --------------------------------------------------------------

  // A tour key before the chunk is in acts once it is (keys in the order pressed); after that,
  // at once. A chunk that does not arrive is a notice; the page goes on without the tour.

  nextStep(): Promise<void> {
    return this.withTour((t) => t.next());
  }

  prevStep(): Promise<void> {
    return this.withTour((t) => t.prev());
  }

  goToStep(i: number): Promise<void> {
    return this.withTour((t) => t.goTo(i));
  }

  endTour(): void {
    this.tour?.end();
  }

  private async withTour(act: (t: TourRunner) => void): Promise<void> {
    if (this.tour) {
      act(this.tour);
      return;
    }
    try {
      const t = await this.loadTour();
      // The page may have gone (unmounted) while the chunk loaded.
      if (this.started) act(t);
    } catch (e) {
      this.loadFailed(e instanceof Error ? e.message : String(e));
    }
  }

  /** A part of the page could not be loaded (its chunk did not arrive): say so; nothing else changes. */
  loadFailed(message: string): void {
    this.store.setState({ loadError: message });
    this.announce(message);
  }

  dismissLoadError(): void {
    this.store.setState({ loadError: null });
  }

  // ---- the page map's zoom and the pinned page ------------------------------------------------

  /** Show pages [win.first, win.first + win.count) in every page map; null: the whole guest. */
  setZoom(win: PageWindow | null): void {
    const pages = this.primary.store.getState().snapshot.pageCount;
    const next = win && pages > 0 ? clampWindow(win, pages) : win;
    const whole = next === null || (pages > 0 && isWholeGuest(next, pages));
    const z = whole ? null : next;
    const prev = this.state.zoom;
    if (z?.first === prev?.first && z?.count === prev?.count) return;
    this.store.setState({ zoom: z });
    this.scheduleUrlSync();
  }

  /** Pin a page (count 1) or a page-map cell for the details panel; null unpins. */
  pin(target: PageWindow | null): void {
    this.store.setState({ pinned: target });
    this.scheduleUrlSync();
    if (target) this.announce(target.count === 1 ? `Pinned page ${target.first}` : `Pinned pages ${target.first} to ${target.first + target.count - 1}`);
  }

  // ---- presentation (presentation.ts), overlays, theme ---------------------------------------

  togglePresent(): void {
    this.presentation.toggle();
  }

  setPresenting(on: boolean): void {
    this.presentation.set(on);
  }

  onFullscreenChange(isFullscreen: boolean): void {
    this.presentation.onFullscreenChange(isFullscreen);
  }

  pointerActivity(): void {
    this.presentation.pointerActivity();
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
    if (s.pinned !== null) {
      this.pin(null);
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

  // ---- the shareable link (url-sync.ts) ------------------------------------------------------

  /** What is on screen, as the URL state. */
  viewState(): ViewState {
    return viewStateOf(this.primary.store.getState(), {
      view: this.state.view,
      timeMs: this.timeMs(),
      playing: this.playing,
      presenting: this.state.presenting,
      embed: this.state.embed,
      zoom: this.state.zoom,
      pin: this.state.pinned?.count === 1 ? this.state.pinned.first : null,
    });
  }

  /** The query string of the view on screen ('' for the default view). */
  search(): string {
    return this.url.search();
  }

  scheduleUrlSync(): void {
    this.url.schedule();
  }
}

/** The file importers (src/import: detection, the parsers, scenario matching), loaded at the first file. */
const loadImporters = loadOnce('the file importers', () => import('../../import'));

function sameScenario(a: Scenario, b: Scenario): boolean {
  return (Object.keys(b) as (keyof Scenario)[]).every((k) => a[k] === b[k]);
}
