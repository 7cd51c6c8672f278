/**
 * Words for a pinned page's history (engine PageHistory): one line per thing that happened, a
 * run of guest writes with nothing else between them folded into one line. Pure, so tests hold
 * the wording.
 */
import { GUEST_STATES, guestCode } from '../engine/model/page-state';
import type { GuestStateId } from '../engine/model/page-state';
import type { PageHistory, PageHistoryEvent } from '../engine/types';

export interface HistoryLine {
  /** Simulated ms of the (first) event. */
  t: number;
  /** Simulated ms of the last event a folded line stands for (= t otherwise). */
  until: number;
  text: string;
}

function guestChangeText(from: GuestStateId, to: GuestStateId): string {
  if (to === 'used') return 'allocated by the guest';
  if (to === 'held') return 'hinted: held by the balloon';
  if (to === 'discarded') return 'reported: discarded by the host';
  if (from === 'held') return 'released by the balloon';
  if (from === 'used') return to === 'free-stale' ? 'freed by the guest (keeps its stale data)' : 'freed by the guest';
  return `now ${GUEST_STATES[guestCode(to)].name}`;
}

function eventText(e: PageHistoryEvent): string {
  switch (e.kind) {
    case 'written':
      return e.count === 1 ? `written by the guest (version ${e.version})` : `written ${e.count} times, to version ${e.version}`;
    case 'guest':
      return guestChangeText(e.from, e.to);
    case 'sent':
      return `sent, version ${e.version}`;
    case 'skipped':
      return 'skipped: dropped from the migration bitmap unsent';
    case 'dirtied':
      return 'dirtied again: marked to send again';
    default: {
      const never: never = e;
      return String(never);
    }
  }
}

/**
 * The history as lines, oldest first: where the page started (the guest's memory as the scenario
 * builds it), then each event; consecutive writes fold into one line.
 */
export function historyLines(h: PageHistory): HistoryLine[] {
  const s = h.start;
  const version = s.version === 0 ? 'never written' : `version ${s.version}`;
  const out: HistoryLine[] = [{ t: s.t, until: s.t, text: `at the start: ${GUEST_STATES[guestCode(s.guest)].name}, ${version}` }];
  let run: { t: number; until: number; count: number; version: number } | null = null;
  const flush = () => {
    if (!run) return;
    out.push({ t: run.t, until: run.until, text: eventText({ t: run.t, kind: 'written', count: run.count, version: run.version }) });
    run = null;
  };
  for (const e of h.events) {
    if (e.kind === 'written') {
      if (run) {
        run.count += e.count;
        run.until = e.t;
        run.version = e.version;
      } else run = { t: e.t, until: e.t, count: e.count, version: e.version };
      continue;
    }
    flush();
    out.push({ t: e.t, until: e.t, text: eventText(e) });
  }
  flush();
  return out;
}

/** Sends in the history, and the version the destination holds now ("sent twice; destination has version 3"). */
export function sendsSummary(h: PageHistory): string {
  const sends = h.events.filter((e) => e.kind === 'sent').length;
  const times = sends === 0 ? 'not sent yet' : sends === 1 ? 'sent once' : sends === 2 ? 'sent twice' : `sent ${sends} times`;
  const dest = h.now.destinationVersion;
  const src = h.now.sourceVersion;
  const holds = sends === 0 ? '' : `; the destination holds version ${dest}${dest === src ? ', the same as the source' : ` (source: ${src})`}`;
  return `${times}${holds}`;
}
