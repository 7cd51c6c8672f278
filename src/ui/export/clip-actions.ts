/**
 * Recording a clip of the views on screen: play the chosen span at the speed that fits it into
 * the clip's duration, and on every animation frame compose the page map(s), the charts, the
 * title, the mode labels and the clock onto a canvas (drawClipFrame) that MediaRecorder records.
 */
import { formatClock, PHASE_TEXT } from '../format';
import { modeColor, modeLabel } from '../modes';
import { viewLabel } from '../view';
import { type ClipImage, type ClipFrame, type ClipSettings, CLIP_RESOLUTIONS, clipSettingsError, clipSpeed, clipSupport, drawClipFrame, recordCanvas } from './clip';
import { chartsSvgDocument, type ExportFile, type ExportSource, exportStem } from './export-actions';

/** The frame on screen now, as the clip shows it. */
export function clipFrameOf(src: ExportSource, charts: ClipImage | null): ClipFrame {
  const s = src.session;
  const st = s.store.getState();
  const v = s.viewState();
  const theme = st.theme;
  return {
    title: `migviz · ${viewLabel(st.view)} · ${v.presetId}, seed ${s.lead.store.getState().scenario.seed}`,
    clock: formatClock(s.timeMs()),
    maps: s.panels.map((p) => {
      const mode = p.store.getState().mode;
      return {
        label: modeLabel(mode),
        phase: PHASE_TEXT[p.live.phase],
        color: modeColor(theme, mode),
        image: src.exports.pageMapOf(p),
      };
    }),
    charts,
    colors: { bg: theme.css.bg, text: theme.css.text, muted: theme.css.muted, border: theme.css.border },
  };
}

/** The charts as an image, re-rasterised in the background (an SVG decodes asynchronously). */
class ChartsSnapshot {
  current: ClipImage | null = null;
  private busy = false;
  constructor(
    private readonly src: ExportSource,
    private readonly scale: number,
  ) {}

  refresh(): void {
    if (this.busy) return;
    const c = chartsSvgDocument(this.src);
    if (!c) return;
    this.busy = true;
    const img = new Image();
    const url = URL.createObjectURL(new Blob([c.doc], { type: 'image/svg+xml' }));
    img.onload = () => {
      this.current = { source: img, width: c.width * this.scale, height: c.height * this.scale };
      this.busy = false;
      URL.revokeObjectURL(url);
    };
    img.onerror = () => {
      this.busy = false;
      URL.revokeObjectURL(url);
    };
    img.src = url;
  }
}

/** Records the clip and returns it as a file; throws with a one-line reason when it cannot. */
export async function buildClip(src: ExportSource, settings: ClipSettings, onProgress: (fraction: number) => void): Promise<ExportFile> {
  const support = clipSupport();
  if (!support.ok) throw new Error(support.reason);
  const s = src.session;
  const endMs = Math.max(0, ...s.panels.map((p) => p.store.getState().timeline?.endMs ?? 0));
  const bad = clipSettingsError(settings, endMs);
  if (bad) throw new Error(bad);
  const res = CLIP_RESOLUTIONS.find((r) => r.id === settings.resolution) ?? CLIP_RESOLUTIONS[0];
  const canvas = document.createElement('canvas');
  canvas.width = res.width;
  canvas.height = res.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas to compose the clip on');
  const speedBefore = s.lead.store.getState().speed;
  s.seek(settings.fromMs);
  await Promise.all(s.panels.map((p) => p.settled()));
  s.setSpeed(clipSpeed(settings));
  const charts = new ChartsSnapshot(src, 1);
  charts.refresh();
  const span = settings.toMs - settings.fromMs;
  const draw = () => drawClipFrame(ctx, clipFrameOf(src, charts.current), res.width, res.height);
  draw();
  try {
    const blob = await recordCanvas(canvas, support.mimeType, () => {
      s.play();
      const t0 = performance.now();
      // A stalled engine must not record forever: give up a few seconds after the planned end.
      const deadline = t0 + (settings.durationS + 5) * 1000;
      return new Promise<void>((resolve) => {
        const tick = () => {
          const t = s.timeMs();
          draw();
          charts.refresh();
          onProgress(Math.min(1, Math.max(0, (t - settings.fromMs) / span)));
          // Not `!s.playing`: in compare, Play starts the engines only once both have settled.
          const over = s.panels.every((p) => p.live.done || p.failed);
          if (t >= settings.toMs || over || performance.now() > deadline) {
            s.pause();
            draw();
            resolve();
            return;
          }
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
    });
    const from = Math.round(settings.fromMs);
    const to = Math.round(settings.toMs);
    return { name: `${exportStem(s)}-clip-${from}-${to}ms-${res.id}.webm`, type: blob.type || 'video/webm', blob };
  } finally {
    s.setSpeed(speedBefore);
  }
}
