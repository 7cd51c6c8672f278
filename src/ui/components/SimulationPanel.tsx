/**
 * One simulation panel: controls, page map, virtqueue, charts and stats of ONE PanelController.
 * Compare mode (issue 5) renders two of these, each inside its own PanelProvider.
 */
import { ChartsPanel } from './ChartsPanel';
import { Controls } from './Controls';
import { ErrorBanner } from './ErrorBanner';
import { PageMapPanel } from './PageMapPanel';
import { StatsPanel } from './StatsPanel';
import { VirtqueuePanel } from './VirtqueuePanel';

export function SimulationPanel() {
  return (
    <div className="sim-panel">
      <Controls />
      <ErrorBanner />
      <div className="sim-grid">
        <div className="sim-main">
          <PageMapPanel />
        </div>
        <div className="sim-side">
          <VirtqueuePanel />
          <ChartsPanel />
          <StatsPanel />
        </div>
      </div>
    </div>
  );
}
