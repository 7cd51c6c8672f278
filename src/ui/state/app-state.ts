/** The page's app-wide low-rate state (one store per page, owned by the Session). */
import type { StoreApi } from 'zustand/vanilla';
import type { Scenario } from '../../engine/types';
import type { MeasuredRun } from '../../import';
import type { PageWindow } from '../../protocol';
import type { Theme, ThemePref } from '../theme';
import type { View } from '../view';
import type { PanelController } from './panel-controller';

export type Overlay = 'none' | 'shortcuts' | 'exports' | 'clip';

/** Overlays that are modal dialogs: they hold the focus and page keys do not act behind them. */
export const DIALOG_OVERLAYS: ReadonlySet<Overlay> = new Set<Overlay>(['shortcuts', 'clip']);

export interface AppState {
  view: View;
  /** The panels on screen, one per mode of `view`, left to right. */
  panels: readonly PanelController[];
  themePref: ThemePref;
  systemDark: boolean;
  /** Resolved from themePref and systemDark (set only by the Session, together with them). */
  theme: Theme;
  /** prefers-reduced-motion: views swap movement for fades. */
  reducedMotion: boolean;
  presenting: boolean;
  /** `?embed=1`: only the view (an iframe in slides); fixed for the page's life. */
  embed: boolean;
  /** Presentation mode hides the controls until the pointer moves. */
  chromeVisible: boolean;
  overlay: Overlay;
  /** Index into TOUR of the step on screen, or null outside the tour. */
  tourStep: number | null;
  /** The tour step has reached its moment and waits for the next key (annotations show then). */
  tourHeld: boolean;
  /** What was wrong with the link the page was opened with (dismissible). */
  urlErrors: readonly string[];
  /** Why the last scenario file could not be opened (dismissible), or null. */
  fileError: string | null;
  /**
   * The measured run last imported (a guestperf report or a query-migrate log), drawn on the
   * charts beside the simulation, with what its file stated and what had to be assumed; null
   * when none. The sweep view reads it from here too.
   */
  measured: MeasuredImport | null;
  /** Why the last export failed (dismissible), or null: shown on screen, not only announced. */
  exportError: string | null;
  /** A part of the page whose chunk did not arrive (the tour), as a sentence, or null. */
  loadError: string | null;
  /**
   * The pages every page map shows, zoomed in (the same window in both panels of a compare: the
   * same guest), or null for the whole guest.
   */
  zoom: PageWindow | null;
  /** The page (count 1) or page-map cell pinned for the details panel, or null. */
  pinned: PageWindow | null;
  /** Latest status message for screen readers; `seq` makes a repeated text announce again. */
  announcement: { text: string; seq: number };
}

/** A measured run on screen and how the scenario was matched to it (src/import/match.ts). */
export interface MeasuredImport {
  run: MeasuredRun;
  /** The scenario matched to it when it was imported (the sweep places the run's point by its values). */
  scenario: Scenario;
  stated: readonly string[];
  assumed: readonly string[];
}

export type AppStore = StoreApi<AppState>;
