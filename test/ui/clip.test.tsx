// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ClipContext,
  type ClipFrame,
  clipLayout,
  clipSettingsError,
  clipSpeed,
  clipSupport,
  drawClipFrame,
  fitRect,
  recordCanvas,
} from '../../src/ui/export/clip';
import { SMALL, setup } from './app-harness';
import { installCanvasFake } from './canvas-fake';
import { FONT_MONO } from '../../src/ui/fonts';

/** A 2D context that records what is drawn. */
function recordingContext() {
  const calls: { op: string; args: unknown[]; font?: string; fillStyle?: unknown; align?: string }[] = [];
  const ctx = {
    fillStyle: '' as ClipContext['fillStyle'],
    strokeStyle: '' as ClipContext['strokeStyle'],
    font: '',
    textAlign: 'left' as CanvasTextAlign,
    textBaseline: 'alphabetic' as CanvasTextBaseline,
    lineWidth: 1,
    imageSmoothingEnabled: true,
    save: () => calls.push({ op: 'save', args: [] }),
    restore: () => calls.push({ op: 'restore', args: [] }),
    fillRect: (...args: unknown[]) => calls.push({ op: 'fillRect', args, fillStyle: ctx.fillStyle }),
    strokeRect: (...args: unknown[]) => calls.push({ op: 'strokeRect', args }),
    fillText: (...args: unknown[]) => calls.push({ op: 'fillText', args, font: ctx.font, fillStyle: ctx.fillStyle, align: ctx.textAlign }),
    drawImage: (...args: unknown[]) => calls.push({ op: 'drawImage', args: [...args.slice(1)], fillStyle: ctx.imageSmoothingEnabled }),
  };
  return { ctx: ctx as unknown as ClipContext, calls };
}

const frame = (maps: number): ClipFrame => ({
  title: 'migviz · Original vs PV · rfc-case-2, seed 1',
  clock: '0.544 s',
  maps: [
    { label: 'Original', phase: 'bulk stage', color: '#f08a4b', image: { source: {} as CanvasImageSource, width: 977, height: 537 } },
    { label: 'PV', phase: 'completed', color: '#2fc09a', image: { source: {} as CanvasImageSource, width: 977, height: 537 } },
  ].slice(0, maps),
  charts: { source: {} as CanvasImageSource, width: 460, height: 332 },
  colors: { bg: '#0e1115', text: '#e6e9ed', muted: '#98a2ae', border: '#2a313a' },
});

describe('clip frames', () => {
  it('lays a 1280x720 frame out: head band, maps on the left 62 %, charts on the right', () => {
    // Tall maps (aspect 0.8) show larger side by side.
    const L = clipLayout(1280, 720, 2, 0.8);
    expect([L.pad, L.titleSize, L.clockSize, L.labelSize, L.headY]).toEqual([18, 26, 40, 20, 58]);
    expect(L.maps).toHaveLength(2);
    // Maps: 794 px (62 % of 1280) less three 18 px gaps, in two columns of 370 px.
    expect(L.maps[0]).toEqual({ x: 18, y: 106, w: 370, h: 596 });
    expect(L.maps[1].x).toBe(406);
    expect(L.charts).toEqual({ x: 794, y: 76, w: 468, h: 626 });
    // Wide maps (977 x 537 cells) show larger one above the other: 758 px wide, two rows.
    const W = clipLayout(1280, 720, 2, 977 / 537);
    expect(W.maps[0]).toEqual({ x: 18, y: 106, w: 758, h: 274 });
    expect(W.maps[1]).toEqual({ x: 18, y: 428, w: 758, h: 274 });
    expect(W.labels[1]).toEqual({ x: 18, y: 418 });
  });

  it('fits an image into a box keeping its aspect', () => {
    expect(fitRect(977, 537, { x: 18, y: 106, w: 370, h: 596 })).toEqual({ x: 18, y: 106, w: 370, h: 537 * (370 / 977) });
    expect(fitRect(460, 332, { x: 0, y: 0, w: 1000, h: 166 })).toEqual({ x: 385, y: 0, w: 230, h: 166 });
  });

  it('burns in the title, the clock, each map with its mode label and phase, and the charts', () => {
    const { ctx, calls } = recordingContext();
    drawClipFrame(ctx, frame(2), 1280, 720);
    const texts = calls.filter((c) => c.op === 'fillText');
    expect(texts.map((t) => t.args[0])).toEqual([
      'migviz · Original vs PV · rfc-case-2, seed 1',
      '0.544 s',
      'Original',
      'bulk stage',
      'PV',
      'completed',
    ]);
    // The clock is large, monospaced and right-aligned at the frame's right padding.
    expect(texts[1].font).toBe(`600 40px ${FONT_MONO}`);
    expect(texts[1].args.slice(1)).toEqual([1262, 58]);
    expect(texts[1].align).toBe('right');
    // Mode labels in their mode's colour.
    expect(texts[2].fillStyle).toBe('#f08a4b');
    expect(texts[4].fillStyle).toBe('#2fc09a');
    const images = calls.filter((c) => c.op === 'drawImage');
    expect(images).toHaveLength(3);
    // Maps drawn nearest-neighbour (cells stay crisp), the charts smoothed.
    expect(images.map((i) => i.fillStyle)).toEqual([false, false, true]);
    // Wide maps stacked: each fitted into a 758 x 274 box, centred.
    const h = 274;
    const w = 977 * (h / 537);
    // The map's pixels are the source's top-left corner (its canvas is allocated for the whole area).
    expect(images[0].args).toEqual([0, 0, 977, 537, 18 + (758 - w) / 2, 106, w, h]);
    // Background first, the whole frame.
    expect(calls.find((c) => c.op === 'fillRect')?.args).toEqual([0, 0, 1280, 720]);
  });

  it('checks the settings and derives the playback speed', () => {
    const ok = { fromMs: 0, toMs: 544, durationS: 8, resolution: '720p' as const };
    expect(clipSettingsError(ok, 544.1)).toBeNull();
    expect(clipSpeed(ok)).toBe(0.068);
    expect(clipSettingsError({ ...ok, toMs: 0 }, 544)).toBe('To must be later than From');
    expect(clipSettingsError({ ...ok, toMs: 9000 }, 7345)).toBe('the span must lie within the run, 0 to 7.345 s');
    expect(clipSettingsError({ ...ok, durationS: 120 }, 544)).toBe('Duration must be from 1 to 60 s');
    expect(clipSettingsError({ ...ok, durationS: Number.NaN }, 544)).toBe('From, To and Duration must be numbers');
  });
});

describe('the recorder', () => {
  it('is unavailable without MediaRecorder (jsdom) and says why', () => {
    expect(clipSupport()).toEqual({ ok: false, reason: 'this browser cannot record video (no MediaRecorder)' });
  });

  it('picks the best WebM type the browser has, and records while the frames are drawn', async () => {
    const stopped: string[] = [];
    class FakeRecorder {
      static isTypeSupported = (t: string) => t === 'video/webm;codecs=vp8' || t === 'video/webm';
      ondataavailable: ((e: { data: Blob }) => void) | null = null;
      onstop: (() => void) | null = null;
      onerror: (() => void) | null = null;
      constructor(
        readonly stream: unknown,
        readonly opts: { mimeType: string; videoBitsPerSecond: number },
      ) {}
      start() {}
      stop() {
        this.ondataavailable?.({ data: new Blob(['webm-bytes'], { type: 'video/webm' }) });
        this.onstop?.();
      }
    }
    const g = { MediaRecorder: FakeRecorder, HTMLCanvasElement: { prototype: { captureStream: () => null } } } as unknown as typeof globalThis;
    expect(clipSupport(g)).toEqual({ ok: true, mimeType: 'video/webm;codecs=vp8' });
    const canvas = { width: 1280, height: 720, captureStream: () => ({ getTracks: () => [{ stop: () => stopped.push('track') }] }) };
    (globalThis as { MediaRecorder?: unknown }).MediaRecorder = FakeRecorder;
    try {
      let drawn = 0;
      const blob = await recordCanvas(canvas as unknown as HTMLCanvasElement, 'video/webm;codecs=vp8', async () => {
        drawn++;
      });
      expect(drawn).toBe(1);
      expect(blob.type).toBe('video/webm');
      expect(blob.size).toBe(10);
      expect(stopped).toEqual(['track']);
    } finally {
      delete (globalThis as { MediaRecorder?: unknown }).MediaRecorder;
    }
  });
});

describe('the clip dialog', () => {
  let canvas: ReturnType<typeof installCanvasFake>;
  beforeEach(() => {
    canvas = installCanvasFake();
    (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
  });
  afterEach(() => canvas.restore());

  it('opens from the Export menu and says on screen that this browser cannot record', async () => {
    const user = userEvent.setup();
    setup(`?${SMALL}`);
    await user.click(screen.getByRole('button', { name: 'Export ▾' }));
    await user.click(screen.getByRole('menuitem', { name: 'Clip (WebM)…' }));
    // The dialog comes in its own chunk: it shows a tick after the click.
    const dialog = await screen.findByRole('dialog', { name: 'Clip (WebM)' });
    expect(within(dialog).getByTestId('clip-unavailable')).toHaveTextContent(
      'Clips cannot be recorded here: this browser cannot record video (no MediaRecorder). The PNG and SVG exports still work.',
    );
    expect(within(dialog).getByRole('button', { name: 'Record' })).toBeDisabled();
    expect(within(dialog).getByRole('combobox', { name: 'Resolution' })).toHaveValue('720p');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
