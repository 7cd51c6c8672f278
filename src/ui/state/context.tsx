/**
 * React access to per-panel and app-wide state. A panel's components find their controller via
 * PanelContext, so two panels (compare mode) never share state by accident; app-wide state and
 * actions come from the Session (session.ts).
 */
import { createContext, type ReactNode, useContext } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { MountTurns } from '../render/mount-turns';
import type { RafScheduler } from '../render/raf-scheduler';
import type { PanelController } from './panel-controller';
import type { PanelState } from './panel-store';
import type { ExportRegistry } from '../export/export-registry';
import type { AppState } from './app-state';
import type { Session } from './session';

export type { AppState } from './app-state';

export interface AppServices {
  store: StoreApi<AppState>;
  scheduler: RafScheduler;
  /** The heavy parts' mount order, one per frame (src/ui/render/mount-turns.ts). */
  turns: MountTurns;
  session: Session;
  /** What the views on screen offer to the Export menu (canvases, the charts' SVG). */
  exports: ExportRegistry;
}

const AppContext = createContext<AppServices | null>(null);
const PanelContext = createContext<PanelController | null>(null);

export function AppProvider({ value, children }: { value: AppServices; children: ReactNode }) {
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

export function PanelProvider({ controller, children }: { controller: PanelController; children: ReactNode }) {
  return <PanelContext.Provider value={controller}>{children}</PanelContext.Provider>;
}

export function useApp(): AppServices {
  const v = useContext(AppContext);
  if (!v) throw new Error('useApp() outside <AppProvider>');
  return v;
}

export function useAppState<T>(selector: (s: AppState) => T): T {
  return useStore(useApp().store, selector);
}

export function useSession(): Session {
  return useApp().session;
}

export function useExportRegistry(): ExportRegistry {
  return useApp().exports;
}

/** Subscribe to a narrow slice of a given panel's store (for views that show several panels). */
export function useStoreOf<T>(c: PanelController, selector: (s: PanelState) => T): T {
  return useStore(c.store, selector);
}

export function usePanel(): PanelController {
  const v = useContext(PanelContext);
  if (!v) throw new Error('usePanel() outside <PanelProvider>');
  return v;
}

/** Subscribe to a narrow slice of the panel's store (re-renders only when the slice changes). */
export function usePanelState<T>(selector: (s: PanelState) => T): T {
  return useStore(usePanel().store, selector);
}
