/**
 * Keyboard shortcuts of DESIGN.md §4 for one panel: Space play/pause, → step, ← step back,
 * R reset, O original, P PV. Ignored while typing in a field or with a modifier held (so browser
 * shortcuts like Ctrl+R keep working).
 */
import { useEffect } from 'react';
import type { PanelController } from '../state/panel-controller';

export function isTypingTarget(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable) return true;
  return t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement;
}

export function handlePlaybackKey(e: KeyboardEvent, c: PanelController): boolean {
  if (e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return false;
  switch (e.key) {
    case ' ':
      c.togglePlay();
      return true;
    case 'ArrowRight':
      c.step();
      return true;
    case 'ArrowLeft':
      c.stepBack();
      return true;
    case 'r':
    case 'R':
      c.reset();
      return true;
    case 'o':
    case 'O':
      c.setMode('original');
      return true;
    case 'p':
    case 'P':
      c.setMode('pv');
      return true;
    default:
      return false;
  }
}

export function usePlaybackKeys(c: PanelController): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // preventDefault also stops Space from scrolling and from "clicking" a focused button twice.
      if (handlePlaybackKey(e, c)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [c]);
}
