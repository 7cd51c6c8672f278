/**
 * The verdict next to Play (src/ui/verdict.ts): what the run on screen will do, known before
 * anyone presses Play because the engine simulates the whole run for the timeline. In compare,
 * only the problems of either side.
 */
import { usePanelsValue } from '../hooks/use-panels-value';
import { useAppState } from '../state/context';
import { compareVerdict, singleVerdict, type Verdict } from '../verdict';

export function VerdictLine() {
  const panels = useAppState((s) => s.panels);
  // A string (stable) out of the stores; the parts are split again below.
  const packed = usePanelsValue(panels, (ss) => {
    const v: Verdict =
      ss.length === 1
        ? singleVerdict(ss[0].timeline?.final ?? null)
        : compareVerdict(ss.map((s) => ({ mode: s.mode, final: s.timeline?.final ?? null })));
    return JSON.stringify(v);
  });
  const v = JSON.parse(packed) as Verdict;
  if (!v.text) return null;
  return (
    <output className={`verdict${v.problem ? ' is-problem' : ''}`} title={v.detail || undefined} data-testid="verdict" aria-live="polite">
      {v.text}
    </output>
  );
}
