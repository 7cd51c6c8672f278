/** Shown when the engine failed; Restart builds a fresh engine. The rest of the page keeps working. */
import { usePanel, usePanelState } from '../state/context';

export function ErrorBanner() {
  const c = usePanel();
  const error = usePanelState((s) => s.engineError);
  if (!error) return null;
  return (
    <div className="error-banner" role="alert">
      <strong>The simulation stopped:</strong> <span>{error}</span>
      <button type="button" onClick={() => c.restart()}>
        Restart
      </button>
    </div>
  );
}
