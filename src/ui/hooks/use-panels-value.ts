import { useCallback, useSyncExternalStore } from 'react';
import type { PanelController } from '../state/panel-controller';
import type { PanelState } from '../state/panel-store';

/**
 * One value derived from several panels' stores (e.g. "is any panel playing?", "the longest
 * run"). `pick` must return a primitive or a stable reference, or React re-renders forever.
 */
export function usePanelsValue<T>(panels: readonly PanelController[], pick: (states: PanelState[]) => T): T {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const unsubs = panels.map((p) => p.store.subscribe(onChange));
      return () => {
        for (const u of unsubs) u();
      };
    },
    [panels],
  );
  const get = () => pick(panels.map((p) => p.store.getState()));
  return useSyncExternalStore(subscribe, get, get);
}
