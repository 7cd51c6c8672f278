/**
 * The RFC's published measurements (src/data/rfc-2016-table.json) for the scenario on screen:
 * shown only when the scenario is an RFC preset left as published (mode and seed aside).
 */
import table from '../data/rfc-2016-table.json';
import { isPresetId, SCENARIO_PRESETS } from '../engine/scenario';
import type { Scenario } from '../engine/types';
import { isPublishedMode } from './modes';

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

/** The published time and bytes for this scenario's own mode, or null. */
export function publishedFor(s: Scenario): { totalTimeMs: number; transferredKB: number } | null {
  const row = publishedRow(s);
  return row && isPublishedMode(s.mode) ? row[s.mode] : null;
}
