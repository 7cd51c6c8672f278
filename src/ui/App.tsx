/**
 * The application shell: app-wide services (the Session with its store, the single rAF
 * scheduler, the export registry) and the view on screen: one simulation panel (a single mode)
 * or two side by side (Compare, any two modes). The initial state comes from the link (src/ui/url/url-state.ts); a bad link
 * only produces a notice. Loads paused on rfc-case-2 in original mode.
 */
import { type CSSProperties, useEffect, useRef, useState } from 'react';
import type { EngineClient } from '../client/engine-client';
import { CompareView } from './components/CompareView';
import { ExportRegistry } from './export/export-registry';
import { Controls } from './components/Controls';
import { Header, openUserFile } from './components/Header';
import { MeasuredNotice } from './components/MeasuredRun';
import { Announcer, ExportNotice, FileNotice, LoadNotice, ShortcutsOverlay, UrlNotice } from './components/Overlays';
import { TourCaption } from './components/TourParts';
import { SimulationPanel } from './components/SimulationPanel';
import { StageHud } from './components/StageHud';
import { LazyPart, lazyComponent } from './components/LazyPart';
import { useReducedMotion } from './hooks/use-reduced-motion';
import { useShortcuts } from './hooks/use-shortcuts';
import { MountTurns } from './render/mount-turns';
import { RafScheduler } from './render/raf-scheduler';
import { AppProvider, type AppServices, PanelProvider, useAppState, useSession } from './state/context';
import type { PanelController } from './state/panel-controller';
import { Session, type SessionOptions } from './state/session';
import type { Theme } from './theme';
import { FONT_VARS } from './fonts';
import { parseUrlState } from './url/url-state';

export interface AppProps {
  createClient: () => EngineClient;
  /** For tests: inject a scheduler driven by hand. */
  scheduler?: RafScheduler;
  /**
   * The heavy parts mount one per frame (src/ui/render/mount-turns.ts): the browser entry turns
   * this on; component tests leave it off and see the whole page at once.
   */
  mountInTurns?: boolean;
  /** The link's query string; default: this page's. */
  search?: string;
  /** Receives the primary panel's controller once created (tests, devtools). */
  onController?: (c: PanelController) => void;
  onSession?: (s: Session) => void;
  /** Receives the app-wide services (tests: exports read the registry). */
  onServices?: (s: AppServices) => void;
  /** Test knobs passed to the Session (URL debounce, presentation chrome timeout, URL sink). */
  session?: Pick<SessionOptions, 'urlDebounceMs' | 'urlPlayingIntervalMs' | 'chromeHideMs' | 'writeUrl' | 'createSweepPool'>;
}

/**
 * Presentation mode lays the page out on a fixed 16:9 stage of this size, scaled to the screen:
 * 1280x720 is the smallest common projector resolution (720p), so there the stage is 1:1 and on
 * a 1920x1080 projector every stage pixel is 1.5 screen pixels (12 px type shows at 18 px).
 */
export const STAGE = { width: 1280, height: 720 };

// Not in the default view, so each in its own chunk (src/ui/load-once.ts says why).
const SweepView = lazyComponent('the sweep view', async () => (await import('./components/SweepView')).SweepView);
const ClipForm = lazyComponent('the clip export', async () => (await import('./components/ClipDialog')).ClipForm);

/** Export → Clip (WebM)…: the dialog while the overlay is open. */
function ClipDialog() {
  const open = useAppState((s) => s.overlay === 'clip');
  if (!open) return null;
  return (
    <LazyPart part="the clip export">
      <ClipForm />
    </LazyPart>
  );
}

export function App({ createClient, scheduler, mountInTurns = false, search, onController, onSession, onServices, session: knobs }: AppProps) {
  const [services] = useState<AppServices>(() => {
    const sched = scheduler ?? new RafScheduler();
    const { state, errors } = parseUrlState(search ?? (typeof window === 'undefined' ? '' : window.location.search));
    const session = new Session({ createClient, scheduler: sched, initial: state, urlErrors: errors, ...knobs });
    return { store: session.store, scheduler: sched, turns: new MountTurns(mountInTurns), session, exports: new ExportRegistry() };
  });
  const { session } = services;
  const callbacks = useRef({ onController, onSession, onServices });
  useEffect(() => {
    // The session lives as long as the App: disposed on unmount, started once the page's parts
    // are on screen (mount-turns.ts says why; at once in the component tests).
    const cancelStart = services.turns.whenDone(() => session.start());
    callbacks.current.onController?.(session.lead);
    callbacks.current.onSession?.(session);
    callbacks.current.onServices?.(services);
    return () => {
      cancelStart();
      session.dispose();
    };
  }, [session, services]);
  const reduced = useReducedMotion();
  useEffect(() => session.setReducedMotion(reduced), [reduced, session]);
  useSystemTheme(session);
  useShortcuts(session);
  useEffect(() => {
    const on = () => session.onFullscreenChange(Boolean(document.fullscreenElement));
    document.addEventListener('fullscreenchange', on);
    return () => document.removeEventListener('fullscreenchange', on);
  }, [session]);

  return (
    <AppProvider value={services}>
      <Shell />
    </AppProvider>
  );
}

function useSystemTheme(session: Session): void {
  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return;
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    session.setSystemDark(mq.matches);
    const on = () => session.setSystemDark(mq.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, [session]);
}

function cssVars(t: Theme): CSSProperties {
  const v: Record<string, string> = { ...FONT_VARS };
  for (const [k, value] of Object.entries(t.css)) v[`--${k}`] = value;
  return v as CSSProperties;
}

/** A drag carries files (not text or a link dragged from the page itself). */
function hasFiles(dt: DataTransfer | null): boolean {
  return dt !== null && Array.from(dt.types).includes('Files');
}

function Shell() {
  const session = useSession();
  const theme = useAppState((s) => s.theme);
  const view = useAppState((s) => s.view);
  const presenting = useAppState((s) => s.presenting);
  const embed = useAppState((s) => s.embed);
  const chromeVisible = useAppState((s) => s.chromeVisible);
  const panels = useAppState((s) => s.panels);
  const stageRef = useRef<HTMLDivElement>(null);

  // Form controls, scrollbars and the page behind the app follow the theme.
  useEffect(() => {
    document.documentElement.style.colorScheme = theme.scheme;
    document.body.style.background = theme.css.bg;
  }, [theme]);

  // The 16:9 stage is scaled (a CSS transform) to fit the window; no React render on resize.
  useEffect(() => {
    const el = stageRef.current;
    if (!presenting || !el) return;
    const fitStage = () => {
      const s = Math.min(window.innerWidth / STAGE.width, window.innerHeight / STAGE.height);
      el.style.setProperty('--stage-scale', String(s));
    };
    fitStage();
    window.addEventListener('resize', fitStage);
    return () => window.removeEventListener('resize', fitStage);
  }, [presenting]);

  const cls = [
    'app',
    `theme-${theme.name}`,
    `view-${view.kind}`,
    presenting ? 'presenting' : '',
    embed ? 'embed' : '',
    chromeVisible ? 'chrome-visible' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a file drop target; Open… is the keyboard way to the same action
    <div
      className={cls}
      style={cssVars(theme)}
      onPointerMove={presenting ? () => session.pointerActivity() : undefined}
      // A file dropped anywhere on the page opens as Open… would (a scenario or a measured run).
      onDragOver={embed ? undefined : (e) => hasFiles(e.dataTransfer) && e.preventDefault()}
      onDrop={
        embed
          ? undefined
          : (e) => {
              const file = e.dataTransfer.files[0];
              if (!file) return;
              e.preventDefault();
              void openUserFile(session, file);
            }
      }
    >
      <div className="stage" ref={stageRef}>
        {/* Embedded in a slide (?embed=1): the view and its clock only, no page actions. */}
        {!embed && <Header />}
        {!embed && <UrlNotice />}
        {!embed && <FileNotice />}
        {!embed && <MeasuredNotice />}
        {!embed && <ExportNotice />}
        {!embed && <LoadNotice />}
        {!embed && <Controls />}
        <TourCaption />
        {(presenting || embed) && <StageHud />}
        <main className="workspace">
          {view.kind === 'sweep' ? (
            <LazyPart part="the sweep view">
              <SweepView settings={view.sweep} />
            </LazyPart>
          ) : view.kind === 'compare' && panels.length === 2 ? (
            <CompareView a={panels[0]} b={panels[1]} />
          ) : (
            <PanelProvider controller={panels[0]}>
              <SimulationPanel />
            </PanelProvider>
          )}
        </main>
      </div>
      {!embed && <ShortcutsOverlay />}
      {!embed && <ClipDialog />}
      <Announcer />
    </div>
  );
}
