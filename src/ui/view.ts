/**
 * What the page shows: one mode on its own, or two modes side by side on one clock. A
 * discriminated union, so a later view (e.g. a sweep over a parameter) is one more member and
 * every `switch (view.kind)` that forgets it fails to compile.
 */
import type { ModeId } from '../engine/types';
import { assertNever } from '../protocol';
import { modeLabel } from './modes';

export type View = { readonly kind: 'single'; readonly mode: ModeId } | CompareView;

/** Two different modes: `a` is the left (lead) panel, `b` the right one. */
export interface CompareView {
  readonly kind: 'compare';
  readonly a: ModeId;
  readonly b: ModeId;
}

export const single = (mode: ModeId): View => ({ kind: 'single', mode });

/** The pair the RFC compared, and what `?view=compare` alone shows. */
export const DEFAULT_COMPARE: CompareView = { kind: 'compare', a: 'original', b: 'pv' };

export const DEFAULT_VIEW: View = single('original');

/** The modes on screen, one per panel, left to right. */
export function viewModes(v: View): readonly ModeId[] {
  switch (v.kind) {
    case 'single':
      return [v.mode];
    case 'compare':
      return [v.a, v.b];
    default:
      return assertNever(v, 'view');
  }
}

export function sameView(x: View, y: View): boolean {
  const a = viewModes(x);
  const b = viewModes(y);
  return x.kind === y.kind && a.length === b.length && a.every((m, i) => m === b[i]);
}

/** How the view is named on screen: "Hinting", "Original vs PV". */
export function viewLabel(v: View): string {
  switch (v.kind) {
    case 'single':
      return modeLabel(v.mode);
    case 'compare':
      return `${modeLabel(v.a)} vs ${modeLabel(v.b)}`;
    default:
      return assertNever(v, 'view');
  }
}

/** The view in a file name: "hint", "compare-original-pv". */
export function viewSlug(v: View): string {
  switch (v.kind) {
    case 'single':
      return v.mode;
    case 'compare':
      return `compare-${v.a}-${v.b}`;
    default:
      return assertNever(v, 'view');
  }
}
