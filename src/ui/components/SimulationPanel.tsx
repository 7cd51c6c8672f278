/**
 * One simulation on its own (Original or PV view): page map, virtqueue, charts and stats of ONE
 * PanelController, found through PanelProvider. Compare renders CompareView instead.
 */
import { useMemo } from 'react';
import { useAppState, usePanel } from '../state/context';
import { ChartsPanel } from './ChartsPanel';
import { ConvergencePanel } from './ConvergencePanel';
import { ErrorBanner } from './ErrorBanner';
import { InTurn } from './InTurn';
import { PageMapPanel } from './PageMapPanel';
import { StatsPanel } from './StatsPanel';
import { VirtqueuePanel } from './VirtqueuePanel';

export function SimulationPanel() {
  const c = usePanel();
  const panels = useMemo(() => [c], [c]);
  // Embedded, the stage line above carries the numbers that matter; the full table is left out.
  const embed = useAppState((s) => s.embed);
  return (
    <div className="sim-panel">
      <ErrorBanner />
      <div className="sim-grid">
        {/* Each part mounts on its own turn, in this order, one per frame (MountTurns). */}
        <div className="sim-main">
          <InTurn>
            <PageMapPanel />
          </InTurn>
        </div>
        <div className="sim-side">
          <InTurn>
            <VirtqueuePanel />
          </InTurn>
          <InTurn>
            <ChartsPanel panels={panels} />
          </InTurn>
          {!embed && (
            <InTurn>
              <ConvergencePanel panels={panels} />
            </InTurn>
          )}
          {!embed && (
            <InTurn>
              <StatsPanel />
            </InTurn>
          )}
        </div>
      </div>
    </div>
  );
}
