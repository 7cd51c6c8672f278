/**
 * The shareable link, kept current: what is on screen as the URL state (viewStateOf), written
 * soon after it changes (debounced) with replaceState, never pushState, so scrubbing and playing
 * do not flood the history, and never per frame.
 */
import { presetOn, SCENARIO_PRESETS } from '../../engine/scenario';
import { type ScenarioOverrides, serializeUrlState, URL_KEYS, type ViewState } from '../url/url-state';
import type { PageWindow } from '../../protocol';
import type { View } from '../view';
import type { PanelState } from './panel-store';

const URL_DEBOUNCE_MS = 300;
/**
 * While a run plays, `t=` is written at most this often: the address bar stays close to the
 * moment on screen (a link copied from it lands within a second of it) without a replaceState
 * per frame (browsers throttle those, Safari throws after 100 in 30 s).
 */
export const URL_PLAYING_INTERVAL_MS = 1000;

/** What a link needs besides the lead panel's scenario and speed. */
export interface OnScreen {
  view: View;
  timeMs: number;
  playing: boolean;
  presenting: boolean;
  embed: boolean;
  zoom: PageWindow | null;
  /** The pinned page (single pages only). */
  pin: number | null;
}

/** The URL state of the screen: the lead panel's scenario as overrides of its preset on its testbed. */
export function viewStateOf(lead: PanelState, on: OnScreen): ViewState {
  const s = lead.scenario;
  // Each field against the preset on the scenario's testbed; the testbed against the preset's own.
  const preset = presetOn(lead.presetId, s.profile);
  const overrides: Record<string, unknown> = {};
  for (const field of Object.keys(URL_KEYS) as (keyof typeof URL_KEYS)[]) {
    const base = field === 'profile' ? SCENARIO_PRESETS[lead.presetId] : preset;
    if (s[field] !== base[field]) overrides[field] = s[field];
  }
  return {
    presetId: lead.presetId,
    view: on.view,
    overrides: overrides as ScenarioOverrides,
    speed: lead.speed,
    timeMs: on.timeMs,
    autoplay: on.playing,
    present: on.presenting,
    embed: on.embed,
    zoom: on.zoom,
    pin: on.pin,
  };
}

export interface UrlSyncOptions {
  /** The view state to write, read when the write happens. */
  read: () => ViewState;
  /** Where the query string goes; default: history.replaceState on this page. */
  write?: (search: string) => void;
  debounceMs?: number;
}

export class UrlSync {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly opts: UrlSyncOptions) {}

  /** The query string of the view on screen ('' for the default view). */
  search(): string {
    return serializeUrlState(this.opts.read());
  }

  /** Write the URL soon; a later call within the debounce replaces this one. */
  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.write(this.search());
    }, this.opts.debounceMs ?? URL_DEBOUNCE_MS);
  }

  /**
   * The clock moved while playing: write the URL within `intervalMs` unless a write is already
   * pending (a throttle, not a debounce: a debounce would wait until the run stops).
   */
  progress(intervalMs = URL_PLAYING_INTERVAL_MS): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.write(this.search());
    }, intervalMs);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private write(search: string): void {
    if (this.opts.write) {
      this.opts.write(search);
      return;
    }
    if (typeof window === 'undefined') return;
    const url = `${window.location.pathname}${search}${window.location.hash}`;
    if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
      window.history.replaceState(window.history.state, '', url);
    }
  }
}
