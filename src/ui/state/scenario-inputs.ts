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

/** The editable fields, as the text the user typed. */
export interface ScenarioInputs {
  guestGiB: string;
  linkGbps: string;
  seed: string;
}

export function inputsOf(s: Scenario): ScenarioInputs {
  return { guestGiB: String(s.guestGiB), linkGbps: String(s.linkGbps), seed: String(s.seed) };
}

const LABELS: Record<keyof ScenarioInputs, string> = {
  guestGiB: 'Guest size (GiB)',
  linkGbps: 'Link speed (Gbit/s)',
  seed: 'Seed',
};

export type Resolved = { ok: true; scenario: Scenario } | { ok: false; error: string };

export function resolveInputs(presetId: string, mode: ModeId, inputs: ScenarioInputs): Resolved {
  const overrides: Partial<Record<keyof ScenarioInputs, number>> = {};
  for (const key of Object.keys(LABELS) as (keyof ScenarioInputs)[]) {
    const value = parseDecimal(inputs[key]); // not Number(): "0x10" is not 16, "" is not 0
    if (value === null) return { ok: false, error: `${LABELS[key]} must be a number.` };
    overrides[key] = value;
  }
  try {
    return { ok: true, scenario: resolveScenario(presetId, { ...overrides, mode }) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
