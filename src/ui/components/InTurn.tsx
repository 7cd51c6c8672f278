/**
 * Mounts its children on their turn (src/ui/render/mount-turns.ts says why): until then nothing,
 * so the rest of the page is laid out and drawn first.
 */
import { type ReactNode, useEffect, useState } from 'react';
import { useApp } from '../state/context';

export function InTurn({ children }: { children: ReactNode }) {
  const { turns } = useApp();
  const [shown, setShown] = useState(!turns.enabled);
  useEffect(() => (shown ? undefined : turns.wait(() => setShown(true))), [turns, shown]);
  return shown ? children : null;
}
