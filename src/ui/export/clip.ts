/**
 * Clips for slides: the page map(s) and charts as a short WebM video of a chosen span of the run,
 * with the title, each map's mode label and phase, and the simulated clock burned in.
 *
 * Two parts, so the part that decides what a frame shows is testable without a video encoder:
 * - `drawClipFrame`: a pure function drawing one frame (from images of the views) onto a 2D
 *   context; `clipLayout` and `fitRect` place things.
 * - `recordCanvas`: a thin wrapper around MediaRecorder on a canvas' captureStream. Browsers
 *   without them (jsdom, older Safari) are detected by `clipSupport`, and the dialog says so.
 */
import { FONT_MONO, FONT_SANS } from '../fonts';

/** The 2D-context calls a frame uses (a CanvasRenderingContext2D has them all). */
export type ClipContext = Pick<
  CanvasRenderingContext2D,
  'fillRect' | 'fillText' | 'drawImage' | 'strokeRect' | 'save' | 'restore'
> & {
  fillStyle: CanvasRenderingContext2D['fillStyle'];
  strokeStyle: CanvasRenderingContext2D['strokeStyle'];
  font: string;
  textAlign: CanvasTextAlign;
  textBaseline: CanvasTextBaseline;
  lineWidth: number;
  imageSmoothingEnabled: boolean;
};

/** An image of a view with its size in pixels (a canvas, or a decoded SVG). */
export interface ClipImage {
  source: CanvasImageSource;
  width: number;
  height: number;
}

/**
 * A page map as on screen: the top-left `width` x `height` pixels of `source`. The map's canvas
 * is allocated for the whole area it may use and the grid fills only a corner (PageMapView).
 */
export interface MapImage {
  source: CanvasImageSource;
  width: number;
  height: number;
}

export interface ClipFrame {
  /** "migviz · Original vs PV · rfc-case-2, seed 1". */
  title: string;
  /** The simulated clock, "0.544 s". */
  clock: string;
  /** One per panel, left to right. */
  maps: readonly { label: string; phase: string; color: string; image: MapImage | null }[];
  charts: ClipImage | null;
  colors: { bg: string; text: string; muted: string; border: string };
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** `src` scaled to fit `box` (aspect kept), centred horizontally, at the top. */
export function fitRect(srcW: number, srcH: number, box: Rect): Rect {
  if (srcW <= 0 || srcH <= 0) return { x: box.x, y: box.y, w: 0, h: 0 };
  const k = Math.min(box.w / srcW, box.h / srcH);
  const w = srcW * k;
  const h = srcH * k;
  return { x: box.x + (box.w - w) / 2, y: box.y, w, h };
}

export interface ClipLayout {
  pad: number;
  titleSize: number;
  clockSize: number;
  labelSize: number;
  /** Baseline of the title and the clock. */
  headY: number;
  /** Where each map's label line goes (baseline) and the map below it. */
  labels: { x: number; y: number }[];
  maps: Rect[];
  charts: Rect;
}

/**
 * Where things go on a `width` x `height` frame: a head band (title left, clock right), then the
 * maps on the left 62 % with a label line above each, the charts on the right. Several maps go
 * side by side or one above the other, whichever shows them larger for their aspect (`mapAspect`,
 * width / height of a map image). Type scales with the frame's height (at 720 p: 26 px title,
 * 40 px clock, 20 px labels).
 */
export function clipLayout(width: number, height: number, mapCount: number, mapAspect = 16 / 9): ClipLayout {
  const pad = Math.round(height * 0.025);
  const titleSize = Math.round(height * 0.036);
  const clockSize = Math.round(height * 0.056);
  const labelSize = Math.round(height * 0.028);
  const headY = pad + clockSize;
  const top = headY + pad;
  const labelH = Math.round(labelSize * 1.5);
  const mapsW = Math.round(width * 0.62);
  const n = Math.max(1, mapCount);
  const areaH = height - top - pad;
  const place = (cols: boolean) => {
    const labels: { x: number; y: number }[] = [];
    const maps: Rect[] = [];
    const cellW = cols ? (mapsW - pad * (n + 1)) / n : mapsW - 2 * pad;
    const cellH = cols ? areaH : (areaH - pad * (n - 1)) / n;
    for (let i = 0; i < n; i++) {
      const x = cols ? pad + i * (cellW + pad) : pad;
      const y = cols ? top : top + i * (cellH + pad);
      labels.push({ x, y: y + labelSize });
      maps.push({ x, y: y + labelH, w: cellW, h: cellH - labelH });
    }
    const shown = fitRect(mapAspect, 1, maps[0]).w;
    return { labels, maps, shown };
  };
  const side = place(true);
  const stacked = place(false);
  const { labels, maps } = stacked.shown > side.shown ? stacked : side;
  const charts = { x: mapsW, y: top, w: width - mapsW - pad, h: areaH };
  return { pad, titleSize, clockSize, labelSize, headY, labels, maps, charts };
}

/** Draws one frame of a clip. */
export function drawClipFrame(ctx: ClipContext, f: ClipFrame, width: number, height: number): void {
  const first = f.maps.find((m) => m.image)?.image;
  const L = clipLayout(width, height, f.maps.length, first ? first.width / first.height : undefined);
  ctx.save();
  ctx.fillStyle = f.colors.bg;
  ctx.fillRect(0, 0, width, height);
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = f.colors.text;
  ctx.textAlign = 'left';
  ctx.font = `600 ${L.titleSize}px ${FONT_SANS}`;
  ctx.fillText(f.title, L.pad, L.headY);
  ctx.textAlign = 'right';
  ctx.font = `600 ${L.clockSize}px ${FONT_MONO}`;
  ctx.fillText(f.clock, width - L.pad, L.headY);
  f.maps.forEach((m, i) => {
    const at = L.labels[i];
    const box = L.maps[i];
    ctx.textAlign = 'left';
    ctx.font = `600 ${L.labelSize}px ${FONT_SANS}`;
    ctx.fillStyle = m.color;
    ctx.fillText(m.label, at.x, at.y);
    ctx.font = `${L.labelSize}px ${FONT_SANS}`;
    ctx.fillStyle = f.colors.muted;
    ctx.textAlign = 'right';
    ctx.fillText(m.phase, box.x + box.w, at.y);
    if (m.image) {
      const r = fitRect(m.image.width, m.image.height, box);
      // Cells stay crisp (nearest neighbour), as on screen.
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(m.image.source, 0, 0, m.image.width, m.image.height, r.x, r.y, r.w, r.h);
      ctx.strokeStyle = f.colors.border;
      ctx.lineWidth = 1;
      ctx.strokeRect(r.x, r.y, r.w, r.h);
    }
  });
  if (f.charts) {
    const r = fitRect(f.charts.width, f.charts.height, L.charts);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(f.charts.source, r.x, r.y, r.w, r.h);
  }
  ctx.restore();
}

// ---- settings ---------------------------------------------------------------------------------

export const CLIP_RESOLUTIONS = [
  { id: '720p', label: '1280 × 720', width: 1280, height: 720 },
  { id: '1080p', label: '1920 × 1080', width: 1920, height: 1080 },
  { id: '480p', label: '854 × 480', width: 854, height: 480 },
] as const;

export type ClipResolutionId = (typeof CLIP_RESOLUTIONS)[number]['id'];

/** Frames per second of the recorded stream. */
export const CLIP_FPS = 30;
/** Longest clip: a slide's loop, not a screencast (and MediaRecorder keeps it all in memory). */
export const MAX_CLIP_SECONDS = 60;
export const MIN_CLIP_SECONDS = 1;

export interface ClipSettings {
  fromMs: number;
  toMs: number;
  durationS: number;
  resolution: ClipResolutionId;
}

/** What is wrong with `s` for a run of `endMs`, in one line, or null. */
export function clipSettingsError(s: ClipSettings, endMs: number): string | null {
  if (![s.fromMs, s.toMs, s.durationS].every(Number.isFinite)) return 'From, To and Duration must be numbers';
  if (s.fromMs < 0 || s.toMs > endMs + 1e-6) return `the span must lie within the run, 0 to ${(endMs / 1000).toFixed(3)} s`;
  if (s.toMs <= s.fromMs) return 'To must be later than From';
  if (s.durationS < MIN_CLIP_SECONDS || s.durationS > MAX_CLIP_SECONDS)
    return `Duration must be from ${MIN_CLIP_SECONDS} to ${MAX_CLIP_SECONDS} s`;
  return null;
}

/** Playback speed that plays the span over the clip's duration (simulated ms per wall ms). */
export function clipSpeed(s: ClipSettings): number {
  return (s.toMs - s.fromMs) / (s.durationS * 1000);
}

// ---- the recorder: a thin wrapper ------------------------------------------------------------

/** WebM flavours to try, best first (VP9 is smaller; VP8 is what every WebM recorder has). */
const WEBM_TYPES = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'];

export type ClipSupport = { ok: true; mimeType: string } | { ok: false; reason: string };

/** Whether this browser can record a canvas to WebM, and with which type. */
export function clipSupport(g: typeof globalThis = globalThis): ClipSupport {
  const MR = (g as { MediaRecorder?: typeof MediaRecorder }).MediaRecorder;
  if (typeof MR !== 'function') return { ok: false, reason: 'this browser cannot record video (no MediaRecorder)' };
  const canvasProto = (g as { HTMLCanvasElement?: typeof HTMLCanvasElement }).HTMLCanvasElement?.prototype;
  if (!canvasProto || typeof canvasProto.captureStream !== 'function')
    return { ok: false, reason: 'this browser cannot record a canvas (no captureStream)' };
  const mimeType = WEBM_TYPES.find((t) => MR.isTypeSupported(t));
  return mimeType ? { ok: true, mimeType } : { ok: false, reason: 'this browser cannot record WebM video' };
}

/**
 * Records `canvas` while `drive` runs: starts a MediaRecorder on its captureStream, awaits
 * `drive()` (which draws the frames), stops and returns the WebM.
 */
export async function recordCanvas(canvas: HTMLCanvasElement, mimeType: string, drive: () => Promise<void>): Promise<Blob> {
  const stream = canvas.captureStream(CLIP_FPS);
  // ~8 Mbit/s at 1080p scaled by area: sharp page-map cells without a huge file.
  const bits = Math.round((8e6 * (canvas.width * canvas.height)) / (1920 * 1080));
  const rec = new MediaRecorder(stream, { mimeType, videoBitsPerSecond: Math.max(1e6, bits) });
  const chunks: Blob[] = [];
  rec.ondataavailable = (e) => {
    if (e.data.size > 0) chunks.push(e.data);
  };
  const stopped = new Promise<void>((resolve, reject) => {
    rec.onstop = () => resolve();
    rec.onerror = () => reject(new Error('the video recorder failed'));
  });
  rec.start(250);
  try {
    await drive();
  } finally {
    rec.stop();
    for (const t of stream.getTracks()) t.stop();
  }
  await stopped;
  return new Blob(chunks, { type: mimeType.split(';')[0] });
}
