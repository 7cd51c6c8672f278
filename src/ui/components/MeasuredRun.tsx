/**
 * The imported measured run on the page: what was imported and how the scenario was matched to
 * it (MeasuredNotice, under the header), and its totals against the simulation's (MeasuredTotals,
 * in each panel's stats).
 */
import { FORMAT_LABEL } from '../../import';
import { formatBytes, formatMs } from '../format';
import { compareTotals, formatError, type MeasuredComparison } from '../measured';
import { useAppState, usePanelState, useSession } from '../state/context';

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

/**
 * The measured run's total time, downtime and bytes beside this panel's simulated ones, with the
 * simulation's error. The simulated totals are the timeline's (the whole run, simulated when it
 * was loaded); in compare they wait until the race has ended on screen, as every other total does.
 */
export function MeasuredTotals() {
  const m = useAppState((s) => s.measured);
  const compare = useAppState((s) => s.view.kind === 'compare');
  const final = usePanelState((s) => s.timeline?.final ?? null);
  const done = usePanelState((s) => s.snapshot.done);
  if (!m) return null;
  const show = final !== null && (!compare || done);
  const rows = final ? compareTotals(m.run, final) : [];
  return (
    <table className="measured-totals" data-testid="measured-totals">
      <caption>Measured ({m.run.source}) vs simulated</caption>
      <thead>
        <tr>
          <th scope="col" />
          <th scope="col">measured</th>
          <th scope="col">simulated</th>
          <th scope="col">error</th>
        </tr>
      </thead>
      <tbody>
        {(['total-time', 'downtime', 'transferred'] as const).map((key) => {
          const r = rows.find((x) => x.key === key);
          const f = KEY_TEXT[key];
          const measured = key === 'total-time' ? m.run.totalTimeMs : key === 'downtime' ? m.run.downtimeMs : m.run.transferredBytes;
          return (
            <tr key={key}>
              <th scope="row">{f.label}</th>
              <td>{measured === null ? `– (${m.run.status})` : f.format(measured)}</td>
              <td>{show && r ? f.format(r.simulated) : '…'}</td>
              <td>{show && r && r.error !== null ? formatError(r.error) : '–'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
