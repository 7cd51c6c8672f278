/**
 * "simulating… 43 %" with Cancel, while an engine does long work for a panel on screen: a seek's
 * re-simulation, the timeline's pre-run of the whole scenario, building a big guest. Short work
 * never shows it (it appears after SHOW_AFTER_MS), so scrubbing an 8 GiB guest does not flicker.
 * The percentage comes from the worker's `progress` messages; until one arrives it says no number.
 */
import { useEffect, useState } from 'react';
import type { ProgressWhat } from '../../protocol';
import { usePanelsValue } from '../hooks/use-panels-value';
import { useAppState } from '../state/context';
import type { Busy } from '../state/panel-store';

/** Work shorter than this shows nothing (a frame or two of waiting is not worth a message). */
export const SHOW_AFTER_MS = 300;
/**
 * An engine at work reports progress every ~50 ms chunk; silent this long, it is stuck (a step
 * that takes far longer than a chunk, or a worker that died), and the indicator says so.
 */
export const SILENT_AFTER_MS = 3000;

/** " · the engine has not answered for 4 s", or '' while it answers. */
export function silenceText(silentMs: number): string {
  return silentMs < SILENT_AFTER_MS ? '' : ` · the engine has not answered for ${Math.floor(silentMs / 1000)} s`;
}

const WHAT: Record<ProgressWhat, string> = {
  load: 'building the guest',
  seek: 'simulating to that moment',
  timeline: 'simulating the whole run for the timeline',
};

/** The words of the indicator for the busiest panel's work. */
export function busyText(b: Busy): string {
  const pct = b.fraction === null ? '' : ` ${Math.floor(b.fraction * 100)} %`;
  return `simulating…${pct} (${WHAT[b.what]})`;
}

export function BusyIndicator() {
  const panels = useAppState((s) => s.panels);
  // The work that started first (compare: the two engines work in parallel).
  const busy = usePanelsValue(panels, (states) => {
    let first: Busy | null = null;
    for (const s of states) if (s.busy && (!first || s.busy.since < first.since)) first = s.busy;
    return first;
  });
  const [, tick] = useState(0);
  const since = busy?.since ?? null;
  useEffect(() => {
    if (since === null) return;
    const wait = SHOW_AFTER_MS - (performance.now() - since);
    if (wait <= 0) return;
    // A timer may fire a little before performance.now() says the time has passed: add a margin,
    // or the re-render would still find the work too young and never show it.
    const t = setTimeout(() => tick((n) => n + 1), wait + 20);
    return () => clearTimeout(t);
  }, [since]);
  // While work shows, look again every second: the silence line must appear without a new frame.
  const showing = busy !== null && performance.now() - busy.since >= SHOW_AFTER_MS;
  useEffect(() => {
    if (!showing) return;
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, [showing]);
  if (!busy || !showing) return null;
  const now = performance.now();
  const silentMs = Math.max(0, ...panels.filter((p) => p.store.getState().busy).map((p) => now - p.lastHeardMs));
  return (
    <span className="busy" role="status" data-testid="busy">
      {busyText(busy)}
      {silenceText(silentMs)}{' '}
      <button
        type="button"
        onClick={() => {
          for (const p of panels) p.cancel();
        }}
      >
        Cancel
      </button>
    </span>
  );
}
