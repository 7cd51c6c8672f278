/**
 * The keyboard shortcuts (README, "Using the visualizer"), page-wide: Space play/pause, → step, ← step back,
 * R reset, one key per mode (src/ui/modes.ts: O, P, M, H, E), C compare, S sweep, F presentation, PageDown / "." / PageUp tour, ? shortcut overlay,
 * Escape closes the topmost overlay. Ignored while typing in a text field or with Ctrl/Cmd/Alt
 * held (so browser shortcuts like Ctrl+R keep working). On a slider, arrows, Home/End and
 * PageUp/PageDown keep their native meaning (the slider moves, the tour does not); everything else
 * (Space, ".") still drives the page, so a presenter who just dragged the timeline is not stuck.
 * While the ? dialog is open, keys do not act behind it.
 */
import { useEffect } from 'react';
import { MODE_UI, modeOfKey, UI_MODES } from '../modes';
import { DIALOG_OVERLAYS } from '../state/app-state';
import type { Session } from '../state/session';
import { single } from '../view';

/** The shortcut table, as the ? overlay shows it. */
export const SHORTCUTS: readonly { keys: readonly string[]; action: string }[] = [
  { keys: ['Space'], action: 'Play / pause' },
  { keys: ['→'], action: 'Step forward' },
  { keys: ['←'], action: 'Step back' },
  { keys: ['R'], action: 'Reset to time 0' },
  ...UI_MODES.map((m) => ({ keys: [MODE_UI[m].key.toUpperCase()], action: MODE_UI[m].shortcut })),
  { keys: ['C'], action: 'Compare two modes side by side (first Original and PV; pick both in the controls)' },
  { keys: ['S'], action: 'Sweep: many runs along one parameter, one line per mode' },
  { keys: ['F'], action: 'Presentation mode (fullscreen, large type)' },
  { keys: ['PageDown', '.'], action: 'Next tour step (presenter clicker)' },
  { keys: ['PageUp'], action: 'Previous tour step' },
  { keys: ['?'], action: 'This list of shortcuts' },
  { keys: ['Esc'], action: 'Close overlays, the tour caption and the pinned page' },
  // The page map's own keys (use-page-map-zoom.ts), while it has focus (click it or Tab to it).
  { keys: ['+', '−'], action: 'Page map focused: zoom in / out (also the wheel or a pinch over it)' },
  { keys: ['↑', '↓'], action: 'Page map focused: a quarter of the window back / on (drag pans)' },
  { keys: ['←', '→'], action: 'Page map focused: one row back / on' },
  { keys: ['0'], action: 'Page map focused: the whole guest (also a double-click); a click pins a page' },
];

/** Keys that drive the clock (play, step, reset). */
const PLAYBACK_KEYS = new Set([' ', 'ArrowRight', 'ArrowLeft', 'r', 'R']);

const TEXT_INPUT_TYPES = new Set(['text', 'number', 'search', 'email', 'url', 'tel', 'password']);

/** A field where keys type characters. */
export function isTypingTarget(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable) return true;
  if (t instanceof HTMLInputElement) return TEXT_INPUT_TYPES.has(t.type);
  return t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement;
}

/** Keys a focused slider uses itself (PageUp/PageDown move it by a large step, as ARIA says). */
const SLIDER_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

export function handleShortcut(e: KeyboardEvent, s: Session): boolean {
  if (e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return false;
  if (e.target instanceof HTMLInputElement && e.target.type === 'range' && SLIDER_KEYS.has(e.key)) return false;
  // Embedded in a slide: the keys drive the view, but nothing opens over it (no presentation
  // mode inside an iframe, no shortcut list).
  if (s.store.getState().embed && (e.key === '?' || e.key === 'f' || e.key === 'F')) return false;
  // A dialog is open (the shortcut list, the clip settings): it has the focus, and keys do not
  // act behind it; only Escape (and ?, which closes the shortcut list) get through.
  const overlay = s.store.getState().overlay;
  if (DIALOG_OVERLAYS.has(overlay) && e.key !== 'Escape' && !(e.key === '?' && overlay === 'shortcuts')) return false;
  // A sweep has no clock: the playback keys would drive the hidden lead panel.
  if (s.store.getState().view.kind === 'sweep' && PLAYBACK_KEYS.has(e.key)) return false;
  const mode = modeOfKey(e.key);
  if (mode) {
    s.setView(single(mode));
    return true;
  }
  switch (e.key) {
    case ' ':
      s.togglePlay();
      return true;
    case 'ArrowRight':
      s.step();
      return true;
    case 'ArrowLeft':
      s.stepBack();
      return true;
    case 'r':
    case 'R':
      s.reset();
      return true;
    case 'c':
    case 'C':
      s.compare();
      return true;
    case 's':
    case 'S':
      s.openSweep();
      return true;
    case 'f':
    case 'F':
      s.togglePresent();
      return true;
    case 'PageDown':
    case '.':
      void s.nextStep();
      return true;
    case 'PageUp':
      void s.prevStep();
      return true;
    case '?':
      s.toggleOverlay('shortcuts');
      return true;
    case 'Escape':
      return s.closeTopmost();
    default:
      return false;
  }
}

export function useShortcuts(s: Session): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // preventDefault also stops Space from scrolling and from "clicking" a focused button twice.
      if (handleShortcut(e, s)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [s]);
}
