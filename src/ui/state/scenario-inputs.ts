/**
 * Turning what the user typed into a Scenario. Parsing (is it a number?) happens here; range
 * checks are the engine's (resolveScenario throws ScenarioError with a clear message). A bad
 * input yields a message and leaves the running scenario alone.
 */
import { parseDecimal } from '../../engine/input';
import { resolveScenario } from '../../engine/scenario';
import type { ModeId, Scenario } from '../../engine/types';

// Preset ids and their titles (from the published table) are the engine's.
export { PRESET_IDS, type PresetId, isPresetId, presetTitle } from '../../engine/scenario';
import type { PresetId } from '../../engine/scenario';

/**
 * Short names for the scenario select; the RFC's own words (presetTitle) are their description.
 */
export const PRESET_SHORT: Record<PresetId, string> = {
  'rfc-case-1': 'Case 1: idle guest just booted',
  'rfc-case-2': 'Case 2: after a memory hog',
};

/**
 * Engine state per guest page, bytes: Simulation.stateBytes() / pageCount is 5.87 (original,
 * pv) to 6.12 (report) — a 2-byte version, the destination's 2-byte version, a send count and
 * bitmaps (test/ui/busy-and-scenario.test.tsx holds this to the engine).
 */
export const ENGINE_BYTES_PER_PAGE = 6;
/** Each panel holds two simulations while it loads: the run, and the timeline's pre-run. */
const SIMULATIONS_PER_PANEL = 2;
/**
 * Ask before a guest whose engines would take more than this. A 64-bit Chromium tab is killed
 * at around 4 GiB of memory on many desktops; a quarter of that leaves room for the page and
 * for the machine's other tabs.
 */
export const CONFIRM_ABOVE_BYTES = 2 ** 30;

/** Bytes the engines of `panels` panels take for a guest of `guestGiB`. */
export function engineMemoryBytes(guestGiB: number, panels: number): number {
  return Math.floor(guestGiB * 262_144) * ENGINE_BYTES_PER_PAGE * SIMULATIONS_PER_PANEL * panels;
}

/** The editable fields, as the text the user typed. */
export interface ScenarioInputs {
  guestGiB: string;
  linkGbps: string;
  seed: string;
  /** Settle time in seconds (the scenario keeps ms): read more easily on screen. */
  settleS: string;
}

export function inputsOf(s: Scenario): ScenarioInputs {
  return {
    guestGiB: String(s.guestGiB),
    linkGbps: String(s.linkGbps),
    seed: String(s.seed),
    settleS: String(s.settleMs / 1000),
  };
}

const LABELS: Record<keyof ScenarioInputs, string> = {
  guestGiB: 'Guest size (GiB)',
  linkGbps: 'Link speed (Gbit/s)',
  seed: 'Seed',
  settleS: 'Settle time (s)',
};

/** Scenario field each input sets, and the factor from what is typed to the field's unit. */
const FIELD_OF: Record<keyof ScenarioInputs, { field: keyof Scenario; scale: number }> = {
  guestGiB: { field: 'guestGiB', scale: 1 },
  linkGbps: { field: 'linkGbps', scale: 1 },
  seed: { field: 'seed', scale: 1 },
  settleS: { field: 'settleMs', scale: 1000 },
};

export type Resolved = { ok: true; scenario: Scenario } | { ok: false; error: string };

/**
 * The scenario the inputs describe. `keep`: the scenario on screen, whose other fields (profile,
 * workload, limits a link or file set) stay as they are.
 */
export function resolveInputs(presetId: string, mode: ModeId, inputs: ScenarioInputs, keep?: Scenario): Resolved {
  const overrides: Record<string, number> = {};
  for (const key of Object.keys(LABELS) as (keyof ScenarioInputs)[]) {
    const value = parseDecimal(inputs[key]); // not Number(): "0x10" is not 16, "" is not 0
    if (value === null) return { ok: false, error: `${LABELS[key]} must be a number.` };
    const { field, scale } = FIELD_OF[key];
    overrides[field] = scale === 1 ? value : Math.round(value * scale * 1000) / 1000;
  }
  try {
    const { id: _id, ...kept }: Partial<Scenario> = keep ?? {};
    return { ok: true, scenario: resolveScenario(presetId, { ...kept, ...(overrides as Partial<Scenario>), mode }) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
