/**
 * What migviz can say against published measurements: every published cell (src/data/), the
 * scenario that reproduces it, and whether it calibrated a constant or is predicted; and the one
 * rule that says how far to trust a scenario (`trustLabel`), used by the UI's badge and the CLI.
 */
import rfc from '../data/rfc-2016-table.json';
import wang from '../data/wang-2018-table.json';
import type { ModeId } from './migration/modes';
import { PROFILES } from './migration/profiles';
import { resolveScenario } from './scenario';
import type { Scenario, WorkloadId } from './types';

/** A published table in src/data/. */
export type TableId = 'rfc-2016' | 'wang-2018';

/** calibrates: a profile constant was derived from this cell; predicts: nothing was fitted to it. */
export type CellRole = 'calibrates' | 'predicts';

export interface PublishedCell {
  readonly table: TableId;
  /** Short name, e.g. "case 2, original" or "idle, hint". */
  readonly label: string;
  readonly scenario: Scenario;
  readonly publishedMs: number;
  /** null: the source publishes no bytes. */
  readonly publishedKB: number | null;
  readonly role: CellRole;
  /** The constant derived from it (role calibrates). */
  readonly calibrates?: string;
  /** Accepted relative error of the simulated time, e.g. 0.05. */
  readonly goal: number;
  /** The same cell in other revisions of the source (wang-2018: v30 ... v36), ms. */
  readonly spread?: readonly { version: string; ms: number }[];
}

/** Which of its table's modes each testbed measured (the UI's and CLI's one place for it). */
export const MEASURED_MODES: Readonly<Record<TableId, readonly ModeId[]>> = {
  'rfc-2016': ['original', 'pv'],
  'wang-2018': ['original', 'hint'],
};

const TABLE_TITLES: Readonly<Record<TableId, string>> = {
  'rfc-2016': 'RFC 2016 testbed',
  'wang-2018': 'Wang 2018 testbed',
};

/** Every published cell, in table order. */
export function publishedCells(): PublishedCell[] {
  const cells: PublishedCell[] = [];
  const rfcCalibrates: Record<string, string> = {
    'rfc-case-1/original': 'zeroPageNs',
    'rfc-case-1/pv': 'setupFixedMs',
  };
  for (const c of rfc.cases) {
    for (const mode of ['original', 'pv'] as const) {
      const key = `${c.id}/${mode}`;
      const constant = rfcCalibrates[key];
      cells.push({
        table: 'rfc-2016',
        label: `${c.id === 'rfc-case-1' ? 'case 1' : 'case 2'}, ${mode}`,
        scenario: resolveScenario(c.id, { mode }),
        publishedMs: c[mode].totalTimeMs,
        publishedKB: c[mode].transferredKB,
        role: constant ? 'calibrates' : 'predicts',
        ...(constant ? { calibrates: constant } : {}),
        goal: 0.05,
      });
    }
  }
  const target = wang.series.find((s) => s.version === wang.target);
  if (!target) throw new Error(`wang-2018 table: no row for its target ${wang.target}`);
  const others = wang.series.filter((s) => s !== target);
  const rows = [
    { key: 'idle', workload: 'idle-boot', goal: 0.1 },
    { key: 'kernelBuild', workload: 'kernel-compile', goal: 0.25 },
  ] as const;
  const wangCalibrates: Record<string, string> = { 'idle/original': 'zeroPageNs', 'idle/hint': 'setupFixedMs' };
  for (const r of rows) {
    for (const [mode, field] of [
      ['original', 'legacyMs'],
      ['hint', 'hintMs'],
    ] as const) {
      const constant = wangCalibrates[`${r.key}/${mode}`];
      cells.push({
        table: 'wang-2018',
        label: `${r.key === 'idle' ? 'idle' : 'kernel build'}, ${mode === 'original' ? 'legacy' : 'hinting'} (${target.version})`,
        scenario: resolveScenario('rfc-case-1', { profile: 'wang-2018', mode, workload: r.workload as WorkloadId }),
        publishedMs: target[r.key][field],
        publishedKB: null,
        role: constant ? 'calibrates' : 'predicts',
        ...(constant ? { calibrates: constant } : {}),
        goal: r.goal,
        spread: others.map((s) => ({ version: s.version, ms: s[r.key][field] })),
      });
    }
  }
  return cells;
}

let cells: readonly PublishedCell[] | null = null;
/** The published cells, built once (the badge asks on every render). */
function cachedCells(): readonly PublishedCell[] {
  cells ??= publishedCells();
  return cells;
}

export type TrustKind = 'calibrated' | 'predicted' | 'extrapolated' | 'mechanism-only';

export interface TrustLabel {
  readonly kind: TrustKind;
  /** One line for the badge, e.g. "calibrated: RFC 2016 testbed, 8 GiB". */
  readonly text: string;
}

/** Which published table a profile's testbed has (every profile has one today). */
function tableOfProfile(profile: string): TableId | null {
  return profile === 'rfc-2016' || profile === 'wang-2018' ? profile : null;
}

/** Fields that make a scenario a different experiment from a published cell (mode and seed aside). */
const EXPERIMENT_FIELDS = [
  'workload',
  'guestGiB',
  'linkGbps',
  'maxBandwidthMiBs',
  'downtimeMs',
  'autoConverge',
  'settleMs',
] as const;

/**
 * How far to trust what a scenario shows: calibrated (it is a cell a constant was derived from),
 * predicted (a published cell nothing was fitted to), extrapolated (a measured mode on this
 * testbed, but another guest size, workload, link or setting than any published cell; says how
 * far), or mechanism only (nobody published a measurement of this mode on this testbed).
 */
export function trustLabel(s: Scenario, cells: readonly PublishedCell[] = cachedCells()): TrustLabel {
  const table = tableOfProfile(s.profile);
  const testbed = table ? TABLE_TITLES[table] : (PROFILES[s.profile]?.title ?? s.profile);
  if (!table || !MEASURED_MODES[table].includes(s.mode)) {
    return { kind: 'mechanism-only', text: `mechanism only: no published measurement of ${s.mode} on the ${testbed}` };
  }
  const mine = cells.filter((c) => c.table === table && c.scenario.mode === s.mode);
  const exact = mine.find((c) => EXPERIMENT_FIELDS.every((k) => c.scenario[k] === s[k]));
  if (exact) {
    const gib = `${s.guestGiB} GiB`;
    return exact.role === 'calibrates'
      ? { kind: 'calibrated', text: `calibrated: ${testbed}, ${gib}` }
      : { kind: 'predicted', text: `predicted: ${testbed}, ${gib}, published ${exact.publishedMs} ms` };
  }
  return { kind: 'extrapolated', text: `extrapolated: ${extrapolation(s, mine)}` };
}

/** What sets the scenario apart from the nearest published cell, in words. */
function extrapolation(s: Scenario, cells: readonly PublishedCell[]): string {
  // Nearest: the cell differing in the fewest fields (the first such in table order).
  let best = cells[0];
  let bestDiff = Number.POSITIVE_INFINITY;
  for (const c of cells) {
    const d = EXPERIMENT_FIELDS.filter((k) => c.scenario[k] !== s[k]).length;
    if (d < bestDiff) {
      best = c;
      bestDiff = d;
    }
  }
  const ref = best.scenario;
  const parts: string[] = [];
  if (s.guestGiB !== ref.guestGiB) {
    const f = s.guestGiB / ref.guestGiB;
    const times = f >= 1 ? `${fmt(f)}×` : `1/${fmt(1 / f)} of`;
    parts.push(`${times} the calibrated guest size`);
  }
  const measured = [...new Set(cells.map((c) => c.scenario.workload))];
  if (!measured.includes(s.workload)) parts.push(`workload ${s.workload} never measured (measured: ${measured.join(', ')})`);
  if (s.linkGbps !== ref.linkGbps) parts.push(`link ${fmt(s.linkGbps)} Gbit/s (measured at ${fmt(ref.linkGbps)})`);
  if (s.maxBandwidthMiBs !== ref.maxBandwidthMiBs) parts.push(`max-bandwidth ${fmt(s.maxBandwidthMiBs)} MiB/s (measured at ${fmt(ref.maxBandwidthMiBs)})`);
  if (s.downtimeMs !== ref.downtimeMs) parts.push(`downtime limit ${fmt(s.downtimeMs)} ms (measured at ${fmt(ref.downtimeMs)})`);
  if (s.autoConverge !== ref.autoConverge) parts.push('auto-converge on (never measured)');
  if (s.settleMs !== ref.settleMs) parts.push(`guest settled ${fmt(s.settleMs / 1000)} s (measured at once)`);
  return parts.length > 0 ? parts.join('; ') : 'a combination no published cell has';
}

const fmt = (x: number) => String(Number(x.toPrecision(3)));
