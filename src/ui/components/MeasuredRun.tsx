/**
 * The imported measured run on the page: what was imported and how the scenario was matched to
 * it (MeasuredNotice, under the header), and its totals against the simulation's (MeasuredTotals,
 * in each panel's stats).
 */
import { FORMAT_LABEL, type MeasuredRun } from '../../import/measured-run';
import { formatBytes, formatMs } from '../format';
import { compareTotals, type MeasuredComparison } from '../measured';
import { modeLabel } from '../modes';
import { errorPercent } from '../published';
import { useAppState, useSession, useStoreOf } from '../state/context';
import type { PanelController } from '../state/panel-controller';

/** What the file said, what was assumed, and what is not like for like; Remove takes the run off. */
export function MeasuredNotice() {
  const session = useSession();
  const m = useAppState((s) => s.measured);
  if (!m) return null;
  const { run } = m;
  return (
    <section className="notice measured-notice" aria-label="Imported measured run" data-testid="measured-notice">
      <div>
        <strong>
          Imported {run.source} ({FORMAT_LABEL[run.format]}, {run.samples.length} samples, {run.status}): drawn on the charts as
          “Measured” beside the simulation of the matching scenario.
        </strong>
        <p data-testid="measured-summary">
          <span className="muted">From the file:</span> {heads(m.stated)}. <span className="muted">Assumed:</span> {heads(m.assumed)}.
          {run.caveats.length > 0 && (
            <>
              {' '}
              <span className="muted">Not like for like:</span> {run.caveats.join('; ')}.
            </>
          )}
        </p>
        <details>
          <summary>Where each value comes from</summary>
          <p className="muted">From the file:</p>
          <ul data-testid="measured-stated">
            {m.stated.map((t) => (
              <li key={t}>{t}</li>
            ))}
          </ul>
          <p className="muted">Assumed (the file does not say):</p>
          <ul data-testid="measured-assumed">
            {m.assumed.map((t) => (
              <li key={t}>{t}</li>
            ))}
          </ul>
        </details>
      </div>
      <button type="button" onClick={() => session.clearMeasured()} aria-label="Remove the measured run">
        Remove
      </button>
    </section>
  );
}

/** "guest size 8 GiB · link 10 Gbit/s": each line's value, before the colon that starts its reason. */
function heads(lines: readonly string[]): string {
  return lines.map((l) => (l.includes(': ') ? l.slice(0, l.indexOf(': ')) : l)).join(' · ');
}

const KEY_TEXT: Record<MeasuredComparison['key'], { label: string; format: (v: number) => string }> = {
  'total-time': { label: 'total-time', format: formatMs },
  downtime: { label: 'downtime', format: formatMs },
  transferred: { label: 'transferred', format: formatBytes },
};
const KEYS = ['total-time', 'downtime', 'transferred'] as const;

/**
 * The measured run's total time, downtime and bytes beside each panel's simulated ones, with the
 * simulation's error against the measurement. The simulated totals are the timeline's (the whole
 * run, simulated when it was loaded); in compare they wait until the race has ended on screen
 * (`ended`), as every other total does.
 */
export function MeasuredTotals({ panels, ended }: { panels: readonly PanelController[]; ended: boolean }) {
  const m = useAppState((s) => s.measured);
  if (!m) return null;
  const measured = compareTotals(m.run, null);
  return (
    <table className="measured-totals" data-testid="measured-totals">
      <caption>Measured ({m.run.source}) vs simulated</caption>
      <thead>
        <tr>
          <th scope="col" />
          <th scope="col">measured</th>
          {panels.map((p, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: one column pair per panel position
            <SimHeads key={i} c={p} />
          ))}
        </tr>
      </thead>
      <tbody>
        {KEYS.map((key) => {
          const v = measured.find((r) => r.key === key)?.measured ?? null;
          return (
            <tr key={key}>
              <th scope="row">{KEY_TEXT[key].label}</th>
              <td>{v === null ? `– (${m.run.status})` : KEY_TEXT[key].format(v)}</td>
              {panels.map((p, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: one column pair per panel position
                <SimCells key={i} c={p} k={key} run={m.run} ended={ended} />
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function SimHeads({ c }: { c: PanelController }) {
  const mode = useStoreOf(c, (s) => s.mode);
  return (
    <>
      <th scope="col">{modeLabel(mode)}</th>
      <th scope="col">error</th>
    </>
  );
}

function SimCells({ c, k, run, ended }: { c: PanelController; k: MeasuredComparison['key']; run: MeasuredRun; ended: boolean }) {
  const final = useStoreOf(c, (s) => s.timeline?.final ?? null);
  const row = final && ended ? compareTotals(run, final).find((r) => r.key === k) : undefined;
  const sim = row?.simulated ?? null;
  const meas = row?.measured ?? null;
  return (
    <>
      <td>{sim !== null ? KEY_TEXT[k].format(sim) : final ? 'at the end' : '…'}</td>
      <td>{sim !== null && meas !== null && meas > 0 ? errorPercent(sim, meas) : '–'}</td>
    </>
  );
}
