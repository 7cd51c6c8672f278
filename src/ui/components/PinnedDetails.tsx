/**
 * The pinned page (or cell) of a page map: what it is now and, for a page, its history from the
 * engine (writes, frees and allocations, hints and reports, each send with its time and version,
 * the destination's version now). The history is asked for on demand: the worker re-simulates
 * the scenario with a probe on the page. While the run plays it is refreshed when the run stops
 * (pause, seek, the end), so playing never waits for a re-simulation.
 */
import { useEffect, useState } from 'react';
import { GUEST_STATES, guestCode, MIGRATION_STATES, migrationCode } from '../../engine/model/page-state';
import type { CellSummary, PageHistory } from '../../engine/types';
import { cellRangeText, cellStatesText } from '../cell-summary-text';
import { formatClock, formatInt } from '../format';
import { historyLines, sendsSummary } from '../page-history-text';
import { useAppState, usePanel, usePanelState, useSession } from '../state/context';
import { formatOffset } from './PageMapNavigation';

/** Lines shown at most (the newest); a busy page's older lines are counted, not listed. */
const MAX_LINES = 40;

export function PinnedDetails() {
  const pinned = useAppState((s) => s.pinned);
  const session = useSession();
  if (!pinned) return null;
  return (
    <aside className="pinned" aria-label="pinned page" data-testid="pinned">
      <button type="button" className="pinned-close" aria-label="unpin" onClick={() => session.pin(null)}>
        ×
      </button>
      {pinned.count === 1 ? <PinnedPage pfn={pinned.first} /> : <PinnedCell first={pinned.first} pages={pinned.count} />}
    </aside>
  );
}

function PinnedPage({ pfn }: { pfn: number }) {
  const c = usePanel();
  const playing = usePanelState((s) => s.playing);
  const time = usePanelState((s) => s.snapshot.simTimeMs);
  const epoch = usePanelState((s) => s.snapshot.epoch);
  const [history, setHistory] = useState<PageHistory | null>(null);
  /** The engine answered without a history (no run, or it went away). */
  const [missing, setMissing] = useState(false);
  // Re-ask when the page, the run (epoch) or, while stopped, the moment changes.
  const at = playing ? -1 : time;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `at` and `epoch` are triggers
  useEffect(() => {
    if (playing && history?.pfn === pfn) return;
    let live = true;
    c.requestPageHistory(pfn).then((h) => {
      if (!live) return;
      setHistory(h);
      setMissing(h === null);
    });
    return () => {
      live = false;
    };
  }, [c, pfn, at, epoch]);
  const fresh = history !== null && history.pfn === pfn;
  const lines = fresh ? historyLines(history) : [];
  const shown = lines.slice(-MAX_LINES);
  return (
    <>
      <div className="pinned-title" data-testid="pinned-title">
        pfn {formatInt(pfn)} (0x{pfn.toString(16)}) · at {formatOffset(pfn)}
      </div>
      {fresh ? (
        <>
          <div data-testid="pinned-now">
            now: {GUEST_STATES[guestCode(history.now.guest)].name}, {MIGRATION_STATES[migrationCode(history.now.migration)].name};{' '}
            {sendsSummary(history)}
          </div>
          <div className="muted">
            history to {formatClock(history.untilMs)}
            {playing ? ' (updates when the run stops)' : ''}; before 0 s: the guest before the migration
          </div>
          {lines.length > shown.length && <div className="muted">{lines.length - shown.length} earlier lines not shown</div>}
          <ol className="pinned-history" data-testid="pinned-history">
            {shown.map((l) => (
              <li key={`${l.t}-${l.text}`}>
                <span className="pinned-time">
                  {formatClock(l.t)}
                  {l.until !== l.t ? `–${formatClock(l.until)}` : ''}
                </span>{' '}
                {l.text}
              </li>
            ))}
          </ol>
        </>
      ) : (
        <div className="muted">{missing ? 'no history: the page is outside this guest, or the simulation is not running' : "simulating this page's history…"}</div>
      )}
    </>
  );
}

function PinnedCell({ first, pages }: { first: number; pages: number }) {
  const c = usePanel();
  const time = usePanelState((s) => s.snapshot.simTimeMs);
  const [summary, setSummary] = useState<CellSummary | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `time` is a trigger: re-ask as the run moves on
  useEffect(() => {
    let live = true;
    c.requestCellSummary(first, pages).then((s) => {
      if (live) setSummary(s);
    });
    return () => {
      live = false;
    };
  }, [c, first, pages, time]);
  const fresh = summary !== null && summary.firstPfn === first;
  return (
    <>
      <div className="pinned-title" data-testid="pinned-title">
        {fresh ? cellRangeText(summary) : `pfn ${first}–${first + pages - 1}`} · at {formatOffset(first)}
      </div>
      <div data-testid="pinned-now">{fresh ? cellStatesText(summary) : '…'}</div>
      <div className="muted">zoom in (scroll or +) to pin a single page and see its history</div>
    </>
  );
}
