/**
 * The RFC's published measurements (src/data/rfc-2016-table.json) for the scenario on screen:
 * shown only when the scenario is an RFC preset left as published (mode and seed aside).
 */
import table from '../data/rfc-2016-table.json';
import { isPresetId, SCENARIO_PRESETS } from '../engine/scenario';
import type { ModeId, Scenario } from '../engine/types';

/** What the RFC measured for one mode: total time and bytes on the wire. */
export interface PublishedNumbers {
  totalTimeMs: number;
  transferredKB: number;
}

/** The published row of an unmodified RFC preset, else null. */
export function publishedRow(s: Scenario): (typeof table.cases)[number] | null {
  if (!isPresetId(s.id)) return null; // not SCENARIO_PRESETS[id]: "toString" would find a function
  const preset = SCENARIO_PRESETS[s.id];
  const same = (['guestGiB', 'linkGbps', 'workload', 'maxBandwidthMiBs', 'downtimeMs', 'profile'] as const).every(
    (k) => preset[k] === s[k],
  );
  return same ? (table.cases.find((c) => c.id === s.id) ?? null) : null;
}

/** Signed relative error of `sim` against `published`, e.g. "−1.2 %". */
export function errorPercent(sim: number, published: number): string {
  const e = ((sim - published) / published) * 100;
  return `${e > 0 ? '+' : e < 0 ? '−' : '±'}${Math.abs(e).toFixed(1)} %`;
}

/**
 * The published time and bytes of `mode` (default: the scenario's own) on this scenario, or
 * null. The only place that knows which modes the RFC measured: Original and PV (its table has
 * no other column; pagemap and hinting came later).
 */
export function publishedFor(s: Scenario, mode: ModeId = s.mode): PublishedNumbers | null {
  const row = publishedRow(s);
  if (!row) return null;
  switch (mode) {
    case 'original':
    case 'pv':
      return row[mode];
    default:
      return null;
  }
}
