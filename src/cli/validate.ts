/**
 * npm run -s validate [-- --json] [-- --sensitivity]
 * Every published table in src/data/ against the simulation, cell by cell: published and
 * simulated time (and KB where published), the error, the goal, the profile, and whether the
 * cell calibrated a constant (marked *) or is predicted. --sensitivity adds what each candidate
 * mechanism for the dirty-log start cost predicts for the RFC's eight cells.
 */
import {
  getProfile,
  type HostProfile,
  type PublishedCell,
  publishedCells,
  resolveScenario,
  type Scenario,
  Simulation,
} from '../engine/index';
import { parseFlags, runCli } from './args';

export interface ValidationRow {
  table: string;
  cell: string;
  profile: string;
  mode: string;
  workload: string;
  role: PublishedCell['role'];
  calibrates: string | null;
  publishedMs: number;
  simulatedMs: number;
  timeErrorPct: number;
  goalPct: number;
  withinGoal: boolean;
  publishedKB: number | null;
  simulatedKB: number;
  bytesErrorPct: number | null;
  spread: { version: string; ms: number }[];
  verified: boolean;
}

const pct = (sim: number, pub: number) => Math.round(((sim - pub) / pub) * 1000) / 10;

function run(s: Scenario, profile?: HostProfile) {
  return new Simulation(s, profile ? { profileOverride: profile } : {}).runToEnd();
}

export function validate(cells: readonly PublishedCell[] = publishedCells()): ValidationRow[] {
  return cells.map((c) => {
    const r = run(c.scenario);
    const kb = r.ram.transferred / 1024;
    const err = pct(r['total-time'], c.publishedMs);
    return {
      table: c.table,
      cell: c.label,
      profile: c.scenario.profile,
      mode: c.scenario.mode,
      workload: c.scenario.workload,
      role: c.role,
      calibrates: c.calibrates ?? null,
      publishedMs: c.publishedMs,
      simulatedMs: Math.round(r['total-time'] * 10) / 10,
      timeErrorPct: err,
      goalPct: c.goal * 100,
      withinGoal: Math.abs(err) <= c.goal * 100,
      publishedKB: c.publishedKB,
      simulatedKB: Math.round(kb),
      bytesErrorPct: c.publishedKB === null ? null : pct(kb, c.publishedKB),
      spread: [...(c.spread ?? [])],
      verified: r.verification.ok,
    };
  });
}

/** A candidate mechanism for the cost of starting dirty logging, as changes to rfc-2016. */
export interface LogStartCandidate {
  id: string;
  title: string;
  overrides: Partial<HostProfile>;
}

export const LOG_START_CANDIDATES: readonly LogStartCandidate[] = [
  {
    id: 'fitted-60ns',
    title: '60 ns per mapped 4 KiB page, fitted to case 2 pv - case 1 pv (before #11)',
    overrides: { hostHugePages: false, logStartNsPerPage: 5, logStartNsPer4kSpte: 60 },
  },
  {
    id: 'zhou-4k',
    title: "Zhou's 14 ns per 4 KiB spte, every mapped page in 4 KiB units (no THP)",
    overrides: { hostHugePages: false, logStartNsPerPage: 1, logStartNsPer4kSpte: 13 },
  },
  {
    id: 'thp-2m',
    title: 'THP: touched 2 MiB regions are one spte, 61 ns each (Zhu); 14 ns per 4 KiB spte (chosen)',
    overrides: { hostHugePages: true, logStartNsPerPage: 1, logStartNsPer4kSpte: 13, logStartNsPerHugeSpte: 61 },
  },
];

export interface SensitivityRow {
  candidate: string;
  title: string;
  /** setupFixedMs re-derived from case 1 pv for this candidate (the same arithmetic as the profile's). */
  setupFixedMs: number;
  cells: { cell: string; publishedMs: number; simulatedMs: number; timeErrorPct: number; publishedKB: number; simulatedKB: number; bytesErrorPct: number }[];
  /** setup-time of rfc-case-2 pv at 64 GiB, ms. */
  setup64GiBPvMs: number;
}

/** What each candidate predicts for the RFC's eight cells (4 times, 4 KB) and the 64 GiB setup. */
export function sensitivity(): SensitivityRow[] {
  const base = getProfile('rfc-2016');
  const rfcCells = publishedCells().filter((c) => c.table === 'rfc-2016');
  const anchor = rfcCells.find((c) => c.calibrates === 'setupFixedMs');
  if (!anchor) throw new Error('rfc-2016 has no cell calibrating setupFixedMs');
  return LOG_START_CANDIDATES.map((cand) => {
    let prof: HostProfile = { ...base, ...cand.overrides };
    // Re-derive the fixed setup cost from its cell, as the profile does: two correction steps
    // (the first bandwidth window depends a little on the setup's length).
    for (let i = 0; i < 2; i++) {
      const t = run(anchor.scenario, prof)['total-time'];
      prof = { ...prof, setupFixedMs: Math.round(prof.setupFixedMs + anchor.publishedMs - t) };
    }
    const cells = rfcCells.map((c) => {
      const r = run(c.scenario, prof);
      const kb = r.ram.transferred / 1024;
      const pubKB = c.publishedKB ?? 0;
      return {
        cell: c.label,
        publishedMs: c.publishedMs,
        simulatedMs: Math.round(r['total-time']),
        timeErrorPct: pct(r['total-time'], c.publishedMs),
        publishedKB: pubKB,
        simulatedKB: Math.round(kb),
        bytesErrorPct: pct(kb, pubKB),
      };
    });
    const big = run(resolveScenario('rfc-case-2', { mode: 'pv', guestGiB: 64 }), prof);
    return { candidate: cand.id, title: cand.title, setupFixedMs: prof.setupFixedMs, cells, setup64GiBPvMs: Math.round(big['setup-time']) };
  });
}

const signed = (x: number) => `${x > 0 ? '+' : ''}${x.toFixed(1)}%`;

function table(head: string[], body: string[][], left: number): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < left ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return `${[line(head), ...body.map(line)].join('\n')}\n`;
}

export function renderValidation(rows: readonly ValidationRow[]): string {
  const head = ['table', 'cell', 'profile', 'role', 'time pub', 'time sim', 'err', 'goal', 'KB pub', 'KB sim', 'err', 'other revisions'];
  const body = rows.map((r) => [
    r.table,
    r.cell,
    r.profile,
    r.role === 'calibrates' ? `* ${r.calibrates}` : 'predicted',
    `${r.publishedMs} ms`,
    `${r.simulatedMs.toFixed(0)} ms`,
    signed(r.timeErrorPct),
    `${r.withinGoal ? '' : 'MISS '}±${r.goalPct}%`,
    r.publishedKB === null ? '-' : r.publishedKB.toLocaleString('en-US'),
    r.simulatedKB.toLocaleString('en-US'),
    r.bytesErrorPct === null ? '-' : signed(r.bytesErrorPct),
    r.spread.map((s) => `${s.version} ${s.ms}`).join(', '),
  ]);
  return `${table(head, body, 4)}* calibrates: the constant named was derived from this cell; every other cell is predicted.\n`;
}

export function renderSensitivity(rows: readonly SensitivityRow[]): string {
  const labels = rows[0]?.cells.map((c) => c.cell) ?? [];
  const head = ['candidate', 'fixed', ...labels.map((l) => `${l} ms`), ...labels.map((l) => `${l} KB`), '64 GiB pv setup'];
  const body = rows.map((r) => [
    r.candidate,
    `${r.setupFixedMs} ms`,
    ...r.cells.map((c) => `${c.simulatedMs} (${signed(c.timeErrorPct)})`),
    ...r.cells.map((c) => `${c.simulatedKB.toLocaleString('en-US')} (${signed(c.bytesErrorPct)})`),
    `${r.setup64GiBPvMs} ms`,
  ]);
  const legend = rows.map((r) => `  ${r.candidate}: ${r.title}`).join('\n');
  return `${table(head, body, 1)}${legend}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(() => {
    const flags = parseFlags(process.argv.slice(2), { '--json': { kind: 'switch' }, '--sensitivity': { kind: 'switch' } });
    const rows = validate();
    const sens = flags['--sensitivity'] ? sensitivity() : null;
    if (flags['--json']) {
      process.stdout.write(`${JSON.stringify(sens ? { cells: rows, sensitivity: sens } : { cells: rows }, null, 2)}\n`);
    } else {
      process.stdout.write(renderValidation(rows));
      if (sens) process.stdout.write(`\ndirty-log start: what each candidate predicts (setupFixedMs re-derived from case 1 pv)\n${renderSensitivity(sens)}`);
    }
  });
}
