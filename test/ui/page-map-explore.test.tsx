// @vitest-environment jsdom
/**
 * Issue 13 in the app: zoom and pan the page map (keys, wheel, drag), the overview strip, the
 * link's zoom window, and pinning a page whose history comes from the engine.
 */
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Simulation } from '../../src/engine/simulation';
import type { Scenario } from '../../src/engine/types';
import { pageMapLayout } from '../../src/protocol';
import { historyLines } from '../../src/ui/page-history-text';
import type { CreateOptions } from '../../src/worker/sim-host';
import { setup } from './app-harness';
import { installCanvasFake } from './canvas-fake';

/** The map's area: 896 x 600 CSS px, of which the address axis takes 96. */
const AREA = { width: 896, height: 600 };
const MAP = { width: 800, height: 600 };

let canvas: ReturnType<typeof installCanvasFake>;
const restore: (() => void)[] = [];
beforeEach(() => {
  canvas = installCanvasFake();
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
  window.history.replaceState(null, '', '/');
  // jsdom lays nothing out: give the page-map area a size so the map reports a viewport.
  for (const [prop, value] of [
    ['clientWidth', AREA.width],
    ['clientHeight', AREA.height],
  ] as const) {
    const before = Object.getOwnPropertyDescriptor(HTMLElement.prototype, prop);
    Object.defineProperty(HTMLElement.prototype, prop, {
      configurable: true,
      get(this: HTMLElement) {
        return this.classList.contains('page-map-area') ? value : 0;
      },
    });
    restore.push(() => before && Object.defineProperty(HTMLElement.prototype, prop, before));
  }
});
afterEach(() => {
  canvas.restore();
  for (const r of restore.splice(0)) r();
});

const SMALL = 'gib=0.0625'; // 16384 pages

describe('page map zoom', () => {
  it('+ and - zoom about the centre when the map has focus, 0 shows the whole guest; arrows pan, not step', async () => {
    const { s, sent, viewports, flush } = setup(`?${SMALL}`);
    await waitFor(() => expect(viewports().at(-1)).toMatchObject(MAP));
    await waitFor(() => expect(s().lead.live.pageCount).toBe(16384));
    const cv = screen.getByLabelText(/^page map:/);
    cv.focus();
    fireEvent.keyDown(cv, { key: '+' });
    // 16384 pages at 800x600: whole guest at 5.25 px per page; half of it about the centre
    const z = s().store.getState().zoom;
    expect(z?.count).toBe(8192);
    await waitFor(() => expect(viewports().at(-1)).toEqual({ type: 'setViewport', ...MAP, window: z }));
    await waitFor(() => expect(s().lead.live.layout?.firstPfn).toBe(z?.first));
    // Zoomed in after load, the overview strip mounts its canvas and paints the whole guest.
    await waitFor(() => expect(s().lead.live.overview).not.toBeNull());
    flush();
    expect(canvas.puts.some((p) => p.width === 1024 && p.height === 1)).toBe(true);
    const before = sent.filter((m) => m.type === 'step' || m.type === 'seek').length;
    fireEvent.keyDown(cv, { key: 'ArrowDown' });
    const l = pageMapLayout(16384, MAP.width, MAP.height, z ?? undefined);
    expect(s().store.getState().zoom?.first).toBe((z?.first ?? 0) + Math.max(l.cols, 8192 / 4));
    fireEvent.keyDown(cv, { key: 'ArrowRight' });
    expect(sent.filter((m) => m.type === 'step' || m.type === 'seek').length).toBe(before);
    await waitFor(() => expect(window.location.search).toMatch(/&pages=8192/));
    fireEvent.keyDown(cv, { key: '0' });
    expect(s().store.getState().zoom).toBeNull();
    await waitFor(() => expect(viewports().at(-1)).toEqual({ type: 'setViewport', ...MAP }));
    for (let i = 0; i < 12; i++) fireEvent.keyDown(cv, { key: '=' });
    expect(s().store.getState().zoom?.count).toBe(256); // 16384 / 2^6, then no further
  });

  it('the wheel zooms about the pointer, a drag pans, a double-click shows the whole guest', async () => {
    const { s } = setup(`?${SMALL}`);
    await waitFor(() => expect(s().lead.live.layout).not.toBeNull());
    const cv = screen.getByLabelText(/^page map:/);
    const l0 = s().lead.live.layout;
    expect(l0).toMatchObject({ bucketShift: 0, firstPfn: 0 });
    // A 400 px wheel notch down-scrolled the other way: zoom in by e^1 about (200, 100).
    fireEvent.wheel(cv, { deltaY: -400, clientX: 200, clientY: 100 });
    const z = s().store.getState().zoom;
    expect(z?.count).toBe(Math.round(16384 / Math.E));
    await waitFor(() => expect(s().lead.live.layout?.firstPfn).toBe(z?.first));
    fireEvent.pointerDown(cv, { button: 0, pointerId: 1, clientX: 300, clientY: 300 });
    fireEvent.pointerMove(cv, { pointerId: 1, clientX: 300, clientY: 200 });
    fireEvent.pointerUp(cv, { pointerId: 1, clientX: 300, clientY: 200 });
    const panned = s().store.getState().zoom;
    expect(panned?.count).toBe(z?.count);
    expect(panned?.first).toBeGreaterThan(z?.first ?? 0); // dragging up shows later pages
    expect(s().store.getState().pinned).toBeNull(); // a drag is not a click
    fireEvent.doubleClick(cv);
    expect(s().store.getState().zoom).toBeNull();
  });

  it('a link opens zoomed; the overview strip marks the window and moves it when clicked', async () => {
    const { s, flush } = setup(`?${SMALL}&from=4096&pages=2048`);
    await waitFor(() => expect(s().lead.live.overview).not.toBeNull());
    flush();
    // The strip paints the whole guest: 1024 overview cells in one row.
    expect(canvas.puts.some((p) => p.width === 1024 && p.height === 1)).toBe(true);
    expect(s().lead.live.layout).toMatchObject({ firstPfn: 4096, cells: 2048 });
    // 16384 pages in <= 1024 overview cells: 16 pages each
    expect(s().lead.live.overview?.bucketShift).toBe(4);
    const mark = screen.getByTestId('overview-window');
    expect(mark.style.left).toBe('25%');
    expect(mark.style.width).toBe('12.5%');
    const strip = screen.getByTestId('overview');
    strip.getBoundingClientRect = () => ({ left: 0, width: 400, top: 0, height: 14, right: 400, bottom: 14, x: 0, y: 0, toJSON: () => ({}) });
    fireEvent.pointerDown(strip, { clientX: 300, pointerId: 2 });
    // centred on 3/4 of the guest: 12288 - 1024
    expect(s().store.getState().zoom).toEqual({ first: 11264, count: 2048 });
    await waitFor(() => expect(screen.getByTestId('overview-window').style.left).toBe('68.75%'));
  });
});

describe('pinning', () => {
  it('a click pins the page; its history is the engine\'s own', async () => {
    const scenarioRun = (sc: Scenario, options?: CreateOptions) => new Simulation(sc, options);
    const { s } = setup(`?${SMALL}&view=pv&from=1024&pages=256`, scenarioRun);
    await waitFor(() => expect(s().lead.live.layout).toMatchObject({ bucketShift: 0, firstPfn: 1024, scale: 32 }));
    act(() => s().seek(10_000)); // past the end: the run's last moment
    await waitFor(() => expect(s().lead.live.done).toBe(true));
    const cv = screen.getByLabelText(/^page map:/);
    // The cell at column 3, row 2 of a 25-wide grid of 32 px pages
    const l = s().lead.live.layout;
    expect(l?.cols).toBe(25);
    fireEvent.pointerDown(cv, { button: 0, pointerId: 1, clientX: 3 * 32 + 5, clientY: 2 * 32 + 5 });
    fireEvent.pointerUp(cv, { button: 0, pointerId: 1, clientX: 3 * 32 + 5, clientY: 2 * 32 + 5 });
    const pfn = 1024 + 2 * 25 + 3;
    expect(s().store.getState().pinned).toEqual({ first: pfn, count: 1 });
    // The engine's own history of that page, simulated to the same moment.
    const sim = new Simulation(s().lead.store.getState().scenario, { probe: { pfn } });
    sim.step(s().lead.live.simTimeMs);
    const h = sim.pageHistory();
    expect(h).not.toBeNull();
    const expected = h ? historyLines(h).map((x) => x.text) : [];
    expect(expected).toEqual(['at the start: in use, version 2', 'sent, version 2']);
    const list = await screen.findByTestId('pinned-history');
    await waitFor(() => expect([...list.querySelectorAll('li')].map((li) => li.textContent?.replace(/^\S+ s(–\S+ s)? /, ''))).toEqual(expected));
    expect(screen.getByTestId('pinned-title').textContent).toBe(`pfn 1,077 (0x435) · at 4.207 MiB`);
    // The link keeps the pinned page; opening it pins it again.
    await waitFor(() => expect(window.location.search).toMatch(/&pin=1077/));
    fireEvent.click(screen.getByRole('button', { name: 'unpin' }));
    expect(screen.queryByTestId('pinned')).toBeNull();
    await waitFor(() => expect(window.location.search).not.toMatch(/pin=/));
  });

  it('on a bucketed map a click pins the cell, said per page', async () => {
    const { s } = setup('');
    await waitFor(() => expect(s().lead.live.layout?.bucketShift).toBe(3));
    const cv = screen.getByLabelText(/^page map:/);
    fireEvent.pointerDown(cv, { button: 0, pointerId: 1, clientX: 1, clientY: 1 });
    fireEvent.pointerUp(cv, { button: 0, pointerId: 1, clientX: 1, clientY: 1 });
    expect(s().store.getState().pinned).toEqual({ first: 0, count: 8 });
    // The fake: every 4th page in use, the rest free with stale data; nothing sent at time 0.
    await waitFor(() =>
      expect(screen.getByTestId('pinned-now').textContent).toBe('8 pages: 6 free (stale), to send; 2 in use, to send.'),
    );
    // Escape unpins (after overlays and the tour caption).
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(s().store.getState().pinned).toBeNull();
  });
});

describe('address axis and overview math', () => {
  it('ticks at round addresses: every GiB on a whole 8 GiB guest, 64 KiB steps at 256 pages', async () => {
    const { axisTicks, formatOffset, windowSpan, windowCentredAt } = await import('../../src/ui/components/PageMapNavigation');
    const whole = pageMapLayout(8 * 262144, 800, 600);
    expect(axisTicks(whole, 8 * 262144).map((t) => formatOffset(t.pfn))).toEqual(
      ['0 GiB', '1 GiB', '2 GiB', '3 GiB', '4 GiB', '5 GiB', '6 GiB', '7 GiB'],
    );
    const t1 = axisTicks(whole, 8 * 262144)[1];
    // 1 GiB = pfn 262144 lies in row floor(262144 / (609 * 8)) = 53, at 1.3125 px per row
    expect(t1).toEqual({ pfn: 262144, y: 53 * 1.3125 });
    const deep = pageMapLayout(8 * 262144, 800, 600, { first: 1_000_000, count: 256 });
    const ticks = axisTicks(deep, 8 * 262144);
    // 25 pages per 32 px row: steps of 2 rows (50 pages) at least -> 64 pages (256 KiB)
    expect(ticks.map((t) => t.pfn)).toEqual([1_000_000, 1_000_064, 1_000_128, 1_000_192]);
    expect(ticks.map((t) => t.y)).toEqual([0, 64, 160, 224]);
    expect(formatOffset(1_000_064)).toBe('3.8149 GiB');
    expect(formatOffset(192)).toBe('768 KiB');
    expect(windowSpan({ first: 4096, count: 2048 }, 16384)).toEqual({ left: 0.25, width: 0.125 });
    expect(windowCentredAt(0.99, 2048, 16384)).toEqual({ first: 14336, count: 2048 });
  });
});

describe('one map scale across modes', () => {
  it('the legend has as many rows in every mode, so the map above it keeps its height', async () => {
    const { s } = setup(`?${SMALL}`);
    await waitFor(() => expect(s().lead.live.layout).not.toBeNull());
    const rows = () => document.querySelectorAll('table.legend tbody tr').length;
    const guestRows = () => document.querySelectorAll('table.legend tbody tr:not(.legend-pad)').length;
    // Original: 3 guest states + 1 pad row + the cursor; Hinting: 4 guest states + the cursor
    expect([rows(), guestRows()]).toEqual([5, 4]);
    act(() => s().setView({ kind: 'single', mode: 'hint' }));
    await waitFor(() => expect(guestRows()).toBe(5));
    expect(rows()).toBe(5);
  });
});

describe('a pinned page in the link', () => {
  it('opens pinned', async () => {
    const { s } = setup(`?${SMALL}&pin=42`);
    expect(s().store.getState().pinned).toEqual({ first: 42, count: 1 });
    await waitFor(() => expect(screen.getByTestId('pinned-title').textContent).toBe('pfn 42 (0x2a) · at 168 KiB'));
  });
});

describe('measuring the map area', () => {
  it('waits for the ResizeObserver (after the browser\'s layout) instead of reading sizes during the mount', async () => {
    // A read of clientWidth during React's commit forces a layout inside it: one long task at load.
    const observers: { cb: ResizeObserverCallback; targets: Element[] }[] = [];
    const saved = globalThis.ResizeObserver;
    globalThis.ResizeObserver = class {
      private readonly entry: { cb: ResizeObserverCallback; targets: Element[] };
      constructor(cb: ResizeObserverCallback) {
        this.entry = { cb, targets: [] };
        observers.push(this.entry);
      }
      observe(el: Element) {
        this.entry.targets.push(el);
      }
      unobserve() {}
      disconnect() {}
    } as unknown as typeof ResizeObserver;
    restore.push(() => {
      globalThis.ResizeObserver = saved;
    });
    // The timeline measures its marker rows the same way (offsetWidth).
    const layoutReads: string[] = [];
    const offsetWidth = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetWidth');
    Object.defineProperty(HTMLElement.prototype, 'offsetWidth', {
      configurable: true,
      get(this: HTMLElement) {
        layoutReads.push(this.className);
        return 640;
      },
    });
    restore.push(() => offsetWidth && Object.defineProperty(HTMLElement.prototype, 'offsetWidth', offsetWidth));
    const { viewports } = setup(`?${SMALL}`);
    const observerOf = (selector: string) => observers.find((o) => o.targets.includes(document.querySelector(selector) as Element));
    expect(observerOf('.page-map-area')).toBeDefined();
    expect(observerOf('.timeline-rows')).toBeDefined();
    expect(viewports()).toEqual([]);
    expect(layoutReads).toEqual([]);
    act(() => observerOf('.page-map-area')?.cb([], {} as ResizeObserver));
    await waitFor(() => expect(viewports().at(-1)).toMatchObject(MAP));
    act(() => observerOf('.timeline-rows')?.cb([], {} as ResizeObserver));
    expect(layoutReads).toContain('timeline-rows');
  });
});
