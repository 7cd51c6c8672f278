/**
 * The verdict before Play: what the whole run (simulated on the side for the timeline, its
 * `final` query-migrate) will do, in a few words next to Play. The outcome is
 * `migviz.outcome`; the figures come from `migviz.failure-reason`, whose wording the engine
 * fixes (src/engine/migration/outcome.ts; test/ui/verdict.test.ts holds the two together on real
 * runs), and from the final stats.
 *
 * In compare the verdict names only problems and never a time: the race keeps its suspense.
 */
import type { ModeId, QueryMigrate } from '../engine/types';
import { assertNever } from '../protocol/messages';
import { formatInt, formatSeconds } from './format';
import { modeLabel } from './modes';

export interface Verdict {
  /** The short line next to Play. */
  text: string;
  /** The whole reason, for the tooltip ('' if the short line says it all). */
  detail: string;
  /** Whether the run ends without a verified migration. */
  problem: boolean;
}

/** "dirty rate 1.4 GB/s ≥ 1.18 GB/s sent" out of the not-converging reason. */
const NOT_CONVERGING = /^not converging: (dirty rate .+? sent)\b/;
/** "3600 s" and "573 MB left at 118 MB/s" out of the sim-time-cap reason. */
const SIM_TIME_CAP = /^simulation time cap reached: at ([^,]+), (.+? left at .+?\/s)/;

/** "dirty rate 1.4 GB/s ≥ 1.18 GB/s sent" out of a not-converging reason, or null. */
export function notConvergingFigures(reason: string): string | null {
  return NOT_CONVERGING.exec(reason)?.[1] ?? null;
}

/** "(3600 s) with 573 MB left at 118 MB/s" out of a sim-time-cap reason, or ''. */
export function capFigures(reason: string): string {
  const m = SIM_TIME_CAP.exec(reason);
  return m ? ` (${m[1]}) with ${m[2]}` : '';
}

/** One run's verdict, from its final stats. */
export function verdictOf(q: QueryMigrate): Verdict {
  const outcome = q.migviz.outcome;
  const reason = q.migviz['failure-reason'];
  const throttle = q.migviz['max-cpu-throttle-percentage'];
  switch (outcome) {
    case 'completed': {
      const time = `completes in ${formatSeconds(q['total-time'] / 1000)}`;
      const text = throttle > 0 ? `auto-converge throttles to ${throttle} %, ${time}` : time;
      if (!q.verification.ok) {
        const differ = `${formatInt(q.verification.mismatches)} pages differ at the destination`;
        return { text: `${text}, but ${differ}`, detail: '', problem: true };
      }
      return { text, detail: '', problem: false };
    }
    case 'not-converging': {
      const f = notConvergingFigures(reason);
      const even = throttle > 0 ? ` even at ${throttle} % CPU throttle` : '';
      return { text: `will not converge${even}${f ? `: ${f}` : ''}`, detail: reason, problem: true };
    }
    case 'sim-time-cap': {
      const f = capFigures(reason);
      return { text: `stops at the simulation cap${f}${f ? '; QEMU would keep going' : ''}`, detail: reason, problem: true };
    }
    case '':
      // A final state always has an outcome; an unfinished one (never sent as final) says so.
      return { text: `still ${q.status} after ${formatSeconds(q['total-time'] / 1000)}`, detail: '', problem: true };
    default:
      return assertNever(outcome, 'outcome');
  }
}

/** The verdict line of the single view: the run's outcome, or that it is being simulated. */
export function singleVerdict(final: QueryMigrate | null): Verdict {
  return final ? verdictOf(final) : { text: 'simulating the run…', detail: '', problem: false };
}

/**
 * The compare view's line: each side's problem ("PV: will not converge: …", "Original: stops
 * at the simulation cap"), never a time or a winner; '' when both complete.
 */
export function compareVerdict(sides: readonly { mode: ModeId; final: QueryMigrate | null }[]): Verdict {
  if (sides.some((s) => s.final === null)) return { text: 'simulating both runs…', detail: '', problem: false };
  const problems = sides.flatMap(({ mode, final }) => {
    if (!final) return [];
    const label = modeLabel(mode);
    const q = final;
    switch (q.migviz.outcome) {
      case 'completed':
        return q.verification.ok ? [] : [{ text: `${label}: pages differ at the destination`, detail: '' }];
      case 'not-converging': {
        const f = notConvergingFigures(q.migviz['failure-reason']);
        return [{ text: `${label}: will not converge${f ? `: ${f}` : ''}`, detail: q.migviz['failure-reason'] }];
      }
      case 'sim-time-cap':
        return [{ text: `${label}: stops at the simulation cap`, detail: q.migviz['failure-reason'] }];
      case '':
        return [{ text: `${label}: does not finish`, detail: '' }];
      default:
        return assertNever(q.migviz.outcome, 'outcome');
    }
  });
  return {
    text: problems.map((p) => p.text).join(' · '),
    detail: problems.map((p) => p.detail).filter(Boolean).join('\n'),
    problem: problems.length > 0,
  };
}
