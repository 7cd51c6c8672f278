/**
 * Zoom, pan and pin on the page-map canvas:
 *   wheel (and a trackpad pinch, which browsers send as ctrl+wheel)  zoom about the pointer
 *   two-finger touch pinch                                            zoom about the fingers' midpoint
 *   drag                                                              pan (pages follow the pointer)
 *   click (no drag)                                                   pin the page or cell under it
 *   double-click, or 0                                                the whole guest again
 *   + / -                                                             zoom about the centre
 *   ↑ / ↓                                                             a quarter of the window back / on
 *   ← / →                                                             one row back / on
 * Keys act only while the canvas has focus (it is focusable), and then do not reach the
 * page-wide shortcuts (← / → step the timeline everywhere else).
 *
 * The window lives in the app store (Session.setZoom), so the worker renders only it and the
 * link carries it; the math is in src/protocol/page-map-layout.ts.
 */
import { type RefObject, useEffect } from 'react';
import {
  clampWindow,
  type PageMapLayout,
  type PageWindow,
  pageMapLayout,
  panWindowBy,
  pfnAtPoint,
  zoomWindowAt,
} from '../../protocol';
import type { Session } from '../state/session';

/** Keep a drag's moves coming when the pointer leaves the element (not every pointer can be captured). */
export function capture(el: Element, pointerId: number): void {
  try {
    el.setPointerCapture?.(pointerId);
  } catch {
    // An inactive pointer (synthetic events, a pen lifted meanwhile): the drag works inside the element.
  }
}

/** One wheel "line" is this many pixels (Firefox reports lines, others pixels). */
const LINE_PX = 16;
/** Zoom factor per wheel pixel: a 100 px notch zooms by e^0.25 = 1.28. */
const WHEEL_ZOOM_PER_PX = 0.0025;
/** The factor of one + / - press. */
const KEY_ZOOM = 2;
/** A press that moves less than this (CSS px) is a click, not a drag. */
const DRAG_SLOP_PX = 4;

export interface PageMapZoomDeps {
  session: Session;
  /** The pages of the guest (0 until the first frame). */
  pageCount: () => number;
  /** The current window (null: the whole guest). */
  zoom: () => PageWindow | null;
  /** The map's area in CSS px, as the worker lays it out. */
  size: () => { width: number; height: number } | null;
  /** The layout of the cells on screen (for pinning and pan steps). */
  layout: () => PageMapLayout | null;
  /** Unscaled CSS px from the canvas' corner (undoes the presentation stage's scale). */
  toLocal: (e: { clientX: number; clientY: number }, canvas: HTMLCanvasElement) => { x: number; y: number };
}

function windowOf(d: PageMapZoomDeps): PageWindow {
  return d.zoom() ?? { first: 0, count: d.pageCount() };
}

/** The window after zooming by `factor` about (x, y); null when nothing is loaded yet. */
export function zoomedAt(d: PageMapZoomDeps, factor: number, x: number, y: number): PageWindow | null {
  const size = d.size();
  const pages = d.pageCount();
  if (!size || pages <= 0) return null;
  return zoomWindowAt(windowOf(d), pages, size.width, size.height, factor, x, y);
}

/** What a key does to the map, or null if the map does not use it. */
export function keyAction(key: string, d: PageMapZoomDeps): PageWindow | null | 'reset' {
  const size = d.size();
  const pages = d.pageCount();
  if (!size || pages <= 0) return null;
  const win = windowOf(d);
  const l = pageMapLayout(pages, size.width, size.height, win);
  const rowPages = l.cols * 2 ** l.bucketShift;
  switch (key) {
    case '+':
    case '=':
      return zoomWindowAt(win, pages, size.width, size.height, KEY_ZOOM, size.width / 2, size.height / 2);
    case '-':
    case '_':
      return zoomWindowAt(win, pages, size.width, size.height, 1 / KEY_ZOOM, size.width / 2, size.height / 2);
    case '0':
      return 'reset';
    case 'ArrowUp':
      return clampWindow({ first: win.first - Math.max(rowPages, Math.floor(win.count / 4)), count: win.count }, pages);
    case 'ArrowDown':
      return clampWindow({ first: win.first + Math.max(rowPages, Math.floor(win.count / 4)), count: win.count }, pages);
    case 'ArrowLeft':
      return clampWindow({ first: win.first - rowPages, count: win.count }, pages);
    case 'ArrowRight':
      return clampWindow({ first: win.first + rowPages, count: win.count }, pages);
    default:
      return null;
  }
}

/** Wires the gestures onto `canvasRef`'s canvas; `onPick(pfn)` gets clicks (pin). */
export function usePageMapZoom(
  canvasRef: RefObject<HTMLCanvasElement | null>,
  d: PageMapZoomDeps,
  onPick: (pfn: number) => void,
): void {
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const s = d.session;
    const onWheel = (e: WheelEvent) => {
      const dy = e.deltaMode === 1 ? e.deltaY * LINE_PX : e.deltaY;
      const p = d.toLocal(e, canvas);
      const next = zoomedAt(d, Math.exp(-dy * WHEEL_ZOOM_PER_PX), p.x, p.y);
      if (!next) return;
      e.preventDefault();
      s.setZoom(next);
    };
    // Pointers down on the canvas: one drags, two pinch.
    const down = new Map<number, { x: number; y: number }>();
    let drag: { x: number; y: number; win: PageWindow; layout: PageMapLayout; moved: boolean } | null = null;
    let pinch: { dist: number; win: PageWindow } | null = null;
    const onDown = (e: PointerEvent) => {
      if (e.button !== 0) return;
      const p = d.toLocal(e, canvas);
      down.set(e.pointerId, p);
      capture(canvas, e.pointerId);
      const layout = d.layout();
      if (down.size === 1 && layout) drag = { ...p, win: windowOf(d), layout, moved: false };
      if (down.size === 2) {
        const [a, b] = [...down.values()];
        pinch = { dist: Math.hypot(a.x - b.x, a.y - b.y), win: windowOf(d) };
        drag = null;
      }
    };
    const onMove = (e: PointerEvent) => {
      if (!down.has(e.pointerId)) return;
      const p = d.toLocal(e, canvas);
      down.set(e.pointerId, p);
      const size = d.size();
      const pages = d.pageCount();
      if (!size || pages <= 0) return;
      if (pinch && down.size === 2) {
        const [a, b] = [...down.values()];
        const dist = Math.hypot(a.x - b.x, a.y - b.y);
        if (pinch.dist > 0 && dist > 0) {
          s.setZoom(zoomWindowAt(pinch.win, pages, size.width, size.height, dist / pinch.dist, (a.x + b.x) / 2, (a.y + b.y) / 2));
        }
        return;
      }
      if (!drag) return;
      const dx = p.x - drag.x;
      const dy = p.y - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < DRAG_SLOP_PX) return;
      drag.moved = true;
      s.setZoom(panWindowBy(drag.win, pages, drag.layout, dx, dy));
    };
    const onUp = (e: PointerEvent) => {
      if (!down.has(e.pointerId)) return;
      const p = d.toLocal(e, canvas);
      down.delete(e.pointerId);
      if (drag && !drag.moved && down.size === 0) {
        const layout = d.layout();
        const pfn = layout ? pfnAtPoint(p.x, p.y, layout) : null;
        if (pfn !== null) onPick(pfn);
      }
      if (down.size < 2) pinch = null;
      if (down.size === 0) drag = null;
    };
    const onDouble = (e: MouseEvent) => {
      e.preventDefault();
      s.setZoom(null);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const a = keyAction(e.key, d);
      if (a === null) return;
      e.preventDefault();
      e.stopPropagation();
      s.setZoom(a === 'reset' ? null : a);
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    canvas.addEventListener('pointerdown', onDown);
    canvas.addEventListener('pointermove', onMove);
    canvas.addEventListener('pointerup', onUp);
    canvas.addEventListener('pointercancel', onUp);
    canvas.addEventListener('dblclick', onDouble);
    canvas.addEventListener('keydown', onKey);
    return () => {
      canvas.removeEventListener('wheel', onWheel);
      canvas.removeEventListener('pointerdown', onDown);
      canvas.removeEventListener('pointermove', onMove);
      canvas.removeEventListener('pointerup', onUp);
      canvas.removeEventListener('pointercancel', onUp);
      canvas.removeEventListener('dblclick', onDouble);
      canvas.removeEventListener('keydown', onKey);
    };
  }, [canvasRef, d, onPick]);
}
