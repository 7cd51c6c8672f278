/**
 * query-migrate, as QEMU names the fields, from the throttled snapshot: the rows every mode has,
 * then the mode's own counters (its `stats` rows in src/ui/modes.ts); plus the verification
 * result and, for an unmodified preset, what the RFC measured on real hardware.
 */
import { trustLabel } from '../../engine/calibration';
import type { QueryMigrate, Scenario } from '../../engine/types';
import { formatBytes, formatInt, formatMs } from '../format';
import { MODE_UI, type ModeStatRow } from '../modes';
import { publishedFor } from '../published';
import { usePanel, usePanelState } from '../state/context';
import { MeasuredTotals } from './MeasuredRun';

interface Row {
  key: string;
  value: (q: QueryMigrate) => string;
  title?: string;
}

const ROWS: Row[] = [
  { key: 'status', value: (q) => q.status },
  { key: 'total-time', value: (q) => formatMs(q['total-time']) },
  { key: 'setup-time', value: (q) => formatMs(q['setup-time']) },
  { key: 'downtime', value: (q) => formatMs(q.downtime) },
  { key: 'transferred', value: (q) => `${formatInt(q.ram.transferred / 1024)} KiB`, title: 'ram.transferred' },
  { key: 'remaining', value: (q) => formatBytes(q.ram.remaining), title: 'ram.remaining' },
  { key: 'duplicate', value: (q) => formatInt(q.ram.duplicate), title: 'ram.duplicate: zero pages, 9 bytes each' },
  { key: 'normal', value: (q) => formatInt(q.ram.normal), title: 'ram.normal: full 4 KiB pages sent' },
  { key: 'mbps', value: (q) => q.ram.mbps.toFixed(0), title: 'ram.mbps: megabits per second' },
  { key: 'dirty-sync-count', value: (q) => formatInt(q.ram['dirty-sync-count']) },
  { key: 'rounds', value: (q) => formatInt(q.migviz.rounds), title: 'migviz.rounds: passes of the scan cursor' },
];

/** With auto-converge on: the throttle now (QEMU shows it only while throttling) and its highest. */
const THROTTLE_ROWS: Row[] = [
  {
    key: 'cpu-throttle-percentage',
    value: (q) => (q['cpu-throttle-percentage'] === undefined ? '–' : `${q['cpu-throttle-percentage']} %`),
    title: 'cpu-throttle-percentage: present while auto-converge throttles the vCPUs',
  },
  {
    key: 'max-cpu-throttle',
    value: (q) => `${q.migviz['max-cpu-throttle-percentage']} %`,
    title: 'migviz.max-cpu-throttle-percentage: the highest throttle applied so far',
  },
];

/** A mode's own counter as a row. */
function modeRow(r: ModeStatRow): Row {
  const v = (q: QueryMigrate) => q.migviz[r.key];
  return {
    key: r.label,
    value: r.unit === 'ms' ? (q) => formatMs(v(q)) : (q) => formatInt(v(q)),
    title: `migviz.${r.key}: ${r.title}`,
  };
}

export function StatsPanel() {
  const panel = usePanel();
  const q = usePanelState((s) => s.snapshot.stats);
  const done = usePanelState((s) => s.snapshot.done);
  const scenario = usePanelState((s) => s.scenario);
  const mode = usePanelState((s) => s.mode);
  const ref = publishedFor(scenario);
  const rows = [...ROWS, ...(scenario.autoConverge ? THROTTLE_ROWS : []), ...MODE_UI[mode].stats.map(modeRow)];
  return (
    <section className="panel stats-panel" aria-labelledby="stats-title">
      <header className="panel-head">
        <h2 id="stats-title">query-migrate</h2>
        <Verification q={q} done={done} />
      </header>
      <TrustBadge scenario={scenario} />
      <dl className="stats" data-testid="stats">
        {rows.map((r) => (
          <div key={r.key} title={r.title}>
            <dt>{r.key}</dt>
            <dd>{q ? r.value(q) : '–'}</dd>
          </div>
        ))}
      </dl>
      {/* Single view: the verdict already says the simulated end, so the totals need not wait. */}
      <MeasuredTotals panels={[panel]} ended />
      {ref && (
        <p className="muted published">
          Measured in the RFC (2016, real hardware): total-time {formatInt(ref.totalTimeMs)} ms, transferred{' '}
          {formatInt(ref.transferredKB)} KiB.
        </p>
      )}
    </section>
  );
}

/** How far to trust the numbers above: the one rule is trustLabel (src/engine/calibration.ts). */
function TrustBadge({ scenario }: { scenario: Scenario }) {
  const t = trustLabel(scenario);
  return (
    <p className={`trust trust-${t.kind}`} data-testid="trust">
      {t.text}
    </p>
  );
}

export function Verification({ q, done }: { q: QueryMigrate | null; done: boolean }) {
  if (!q || !done) return <span className="muted">verification after completion</span>;
  const v = q.verification;
  if (v.ok)
    return (
      <span className="verify ok" data-testid="verification">
        ✓ verified: {formatInt(v['pages-checked'])} pages match the source
      </span>
    );
  return (
    <span className="verify bad" data-testid="verification">
      ✗ {q.status === 'failed' ? `failed: ${q.migviz['failure-reason']}` : `${formatInt(v.mismatches)} pages differ (first pfn ${v['first-mismatch']})`}
    </span>
  );
}
