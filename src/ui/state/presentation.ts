/**
 * Presentation mode: the layout on a fixed 16:9 stage, fullscreen when the browser allows it,
 * with the controls hidden until the pointer moves.
 */
import type { AppStore } from './app-state';

/** Hide the presentation controls after this long without pointer movement. */
export const CHROME_HIDE_MS = 2500;

export interface PresentationDeps {
  store: AppStore;
  announce: (text: string) => void;
  /** Presentation is part of the link: called when it turns on or off. */
  changed: () => void;
  chromeHideMs?: number;
}

export class Presentation {
  private chromeTimer: ReturnType<typeof setTimeout> | null = null;
  private enteredFullscreen = false;

  constructor(private readonly deps: PresentationDeps) {}

  private get presenting(): boolean {
    return this.deps.store.getState().presenting;
  }

  toggle(): void {
    this.set(!this.presenting);
  }

  set(on: boolean): void {
    if (on === this.presenting) return;
    this.deps.store.setState({ presenting: on, chromeVisible: !on });
    this.deps.announce(on ? 'Presentation mode' : 'Presentation mode off');
    this.deps.changed();
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
      this.set(false);
    }
  }

  /** Pointer moved: show the presentation controls, hide them again after a quiet while. */
  pointerActivity(): void {
    if (!this.presenting) return;
    const { store } = this.deps;
    if (!store.getState().chromeVisible) store.setState({ chromeVisible: true });
    if (this.chromeTimer) clearTimeout(this.chromeTimer);
    this.chromeTimer = setTimeout(() => {
      this.chromeTimer = null;
      if (this.presenting) store.setState({ chromeVisible: false });
    }, this.deps.chromeHideMs ?? CHROME_HIDE_MS);
  }

  dispose(): void {
    if (this.chromeTimer) clearTimeout(this.chromeTimer);
    this.chromeTimer = null;
  }
}
