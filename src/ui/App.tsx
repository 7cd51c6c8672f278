/**
 * The application shell: app-wide services (theme store, the single rAF scheduler) and one
 * simulation panel with its own controller. Loads paused on rfc-case-2 in original mode.
 */
import { type CSSProperties, useEffect, useRef, useState } from 'react';
import type { EngineClient } from '../client/engine-client';
import { useReducedMotion } from './hooks/use-reduced-motion';
import { usePlaybackKeys } from './hooks/use-playback-keys';
import { RafScheduler } from './render/raf-scheduler';
import { SimulationPanel } from './components/SimulationPanel';
import { AppProvider, type AppServices, PanelProvider, createAppStore, useAppState } from './state/context';
import { PanelController, type PanelOptions } from './state/panel-controller';
import type { Theme } from './theme';

export interface AppProps {
  createClient: () => EngineClient;
  /** For tests: inject a scheduler driven by hand. */
  scheduler?: RafScheduler;
  panel?: Omit<PanelOptions, 'createClient' | 'scheduler'>;
  /** Receives the controller once created (tests, devtools). */
  onController?: (c: PanelController) => void;
}

export function App({ createClient, scheduler, panel, onController }: AppProps) {
  const [services] = useState<AppServices>(() => ({
    store: createAppStore(),
    scheduler: scheduler ?? new RafScheduler(),
  }));
  const [controller] = useState(
    () => new PanelController({ createClient, scheduler: services.scheduler, ...panel }),
  );
  const onControllerRef = useRef(onController);
  useEffect(() => {
    // The controller lives as long as the App: started once, disposed on unmount.
    controller.start();
    onControllerRef.current?.(controller);
    return () => controller.dispose();
  }, [controller]);
  const reduced = useReducedMotion();
  useEffect(() => services.store.setState({ reducedMotion: reduced }), [reduced, services.store]);
  usePlaybackKeys(controller);

  return (
    <AppProvider value={services}>
      <PanelProvider controller={controller}>
        <Shell />
      </PanelProvider>
    </AppProvider>
  );
}

function cssVars(t: Theme): CSSProperties {
  const v: Record<string, string> = {};
  for (const [k, value] of Object.entries(t.css)) v[`--${k}`] = value;
  return v as CSSProperties;
}

function Shell() {
  const theme = useAppState((s) => s.theme);
  return (
    <div className={`app theme-${theme.name}`} style={cssVars(theme)}>
      <header className="app-head">
        <h1>
          migviz <span className="muted">· QEMU pre-copy live migration, page by page</span>
        </h1>
        <p className="muted keys">
          <kbd>Space</kbd> play/pause <kbd>→</kbd>/<kbd>←</kbd> step <kbd>R</kbd> reset <kbd>O</kbd>/<kbd>P</kbd>{' '}
          Original/PV
        </p>
      </header>
      <main>
        <SimulationPanel />
      </main>
    </div>
  );
}
