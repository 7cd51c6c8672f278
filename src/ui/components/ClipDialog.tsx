/**
 * Export → Clip (WebM)…: choose the span of the run, the clip's duration and resolution, record.
 * Says on screen when this browser cannot record video, and what is wrong with the settings.
 * With the recorder (export/clip*.ts) it comes in its own chunk, loaded when the dialog opens.
 */
import { useState } from 'react';
import { usePanelsValue } from '../hooks/use-panels-value';
import { buildClip } from '../export/clip-actions';
import { CLIP_RESOLUTIONS, type ClipResolutionId, clipSettingsError, clipSupport, MAX_CLIP_SECONDS, MIN_CLIP_SECONDS } from '../export/clip';
import { downloadBlob } from '../export/exports';
import { formatInt } from '../format';
import { useAppState, useExportRegistry, useSession } from '../state/context';
import { ModalDialog } from './Overlays';

/** A clip's default length: long enough for a slide's point, short enough to loop. */
const DEFAULT_CLIP_SECONDS = 8;

/** The dialog, open (App shows it while the overlay is 'clip'; this module is the clip's own chunk). */
export function ClipForm() {
  const session = useSession();
  const exports = useExportRegistry();
  const panels = useAppState((s) => s.panels);
  const endMs = usePanelsValue(panels, (ss) => Math.max(0, ...ss.map((s) => s.timeline?.endMs ?? 0)));
  const [from, setFrom] = useState('0');
  const [to, setTo] = useState(() => (endMs > 0 ? (endMs / 1000).toFixed(3) : ''));
  const [duration, setDuration] = useState(String(DEFAULT_CLIP_SECONDS));
  const [resolution, setResolution] = useState<ClipResolutionId>('720p');
  const [progress, setProgress] = useState<number | null>(null);
  const support = clipSupport();
  const settings = {
    fromMs: Number.parseFloat(from) * 1000,
    toMs: (to === '' ? endMs / 1000 : Number.parseFloat(to)) * 1000,
    durationS: Number.parseFloat(duration),
    resolution,
  };
  const error = endMs > 0 ? clipSettingsError(settings, endMs) : 'the run is still being simulated';
  const close = () => session.closeTopmost();
  const record = async () => {
    setProgress(0);
    try {
      const f = await buildClip({ session, exports }, settings, setProgress);
      if (f.blob) downloadBlob(f.name, f.blob);
      session.announce(`Exported ${f.name} (${formatInt(f.blob?.size ?? 0)} bytes)`);
      close();
    } catch (e) {
      session.exportFailed(e instanceof Error ? e.message : String(e));
      setProgress(null);
    }
  };
  const recording = progress !== null;
  return (
    <ModalDialog titleId="clip-title" title="Clip (WebM)" onClose={close}>
      <form
        className="clip-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!error && support.ok && !recording) void record();
        }}
      >
        <p className="muted">The page map and charts as on screen, with the title, mode labels and clock burned in.</p>
        <label className="field">
          <span>From (s)</span>
          <input type="number" step="any" min={0} value={from} onChange={(e) => setFrom(e.target.value)} disabled={recording} />
        </label>
        <label className="field">
          <span>To (s)</span>
          <input type="number" step="any" min={0} value={to} onChange={(e) => setTo(e.target.value)} disabled={recording} />
        </label>
        <label className="field">
          <span>Duration (s)</span>
          <input
            type="number"
            step="any"
            min={MIN_CLIP_SECONDS}
            max={MAX_CLIP_SECONDS}
            value={duration}
            onChange={(e) => setDuration(e.target.value)}
            disabled={recording}
          />
        </label>
        <label className="field">
          <span>Resolution</span>
          <select value={resolution} onChange={(e) => setResolution(e.target.value as ClipResolutionId)} disabled={recording}>
            {CLIP_RESOLUTIONS.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        {!support.ok && (
          <p className="clip-unavailable" role="alert" data-testid="clip-unavailable">
            Clips cannot be recorded here: {support.reason}. The PNG and SVG exports still work.
          </p>
        )}
        {support.ok && error && (
          <p className="input-error" role="alert" data-testid="clip-error">
            {error}
          </p>
        )}
        <div className="clip-actions">
          <button type="submit" className="primary" disabled={!support.ok || error !== null || recording}>
            {recording ? `Recording… ${Math.round((progress ?? 0) * 100)} %` : 'Record'}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
