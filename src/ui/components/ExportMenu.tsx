/** The Export menu: page map(s) and charts as images, series and final stats as files, a clip as video. */
import { type ExportKind, exportsFor, runExport } from '../export/export-actions';
import { useAppState, useExportRegistry, useSession } from '../state/context';

export function ExportMenu() {
  const session = useSession();
  const exports = useExportRegistry();
  const open = useAppState((s) => s.overlay === 'exports');
  const viewKind = useAppState((s) => s.view.kind);
  const run = (kind: ExportKind) => {
    session.toggleOverlay('exports');
    session.dismissExportError();
    runExport({ session, exports }, kind).catch((e: unknown) => session.exportFailed(e instanceof Error ? e.message : String(e)));
  };
  return (
    <div className="menu">
      <button type="button" aria-haspopup="menu" aria-expanded={open} onClick={() => session.toggleOverlay('exports')}>
        Export ▾
      </button>
      {open && (
        <div className="menu-list" role="menu" aria-label="Export">
          {exportsFor(viewKind).map((e) => (
            <button type="button" role="menuitem" key={e.kind} onClick={() => run(e.kind)}>
              {e.label}
            </button>
          ))}
          {viewKind !== 'sweep' && (
            <button type="button" role="menuitem" onClick={() => session.toggleOverlay('clip')}>
              Clip (WebM)…
            </button>
          )}
        </div>
      )}
    </div>
  );
}
