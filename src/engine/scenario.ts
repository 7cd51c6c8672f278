/**
 * Scenarios: presets for the RFC's two cases, the accepted range of every parameter, and one
 * validator used by the CLI, the URL parser and the worker alike. zod gives every rejection a
 * message that names the field and the accepted range; zod/mini (same checks, no method
 * chaining) keeps it a few KB in the page's bundle instead of ~80 KB.
 */
import * as z from 'zod/mini';
import table from '../data/rfc-2016-table.json';
import { MODE_IDS, WORKLOAD_IDS, type Scenario } from './types';
import { PROFILES } from './migration/profiles';
import { duplicateJsonKeys, hasOwn, ownValue, stripBom } from './input';

export type PresetId = 'rfc-case-1' | 'rfc-case-2';
export const PRESET_IDS: readonly PresetId[] = ['rfc-case-1', 'rfc-case-2'];

/** Accepted ranges; the CLI, URL and UI say these in their error messages. */
export const LIMITS = {
  guestGiB: { min: 0.0625, max: 1024 },
  linkGbps: { min: 0.1, max: 400 },
  maxBandwidthMiBs: { min: 1, max: 1_000_000 },
  downtimeMs: { min: 1, max: 60_000 },
  seed: { min: 0, max: 2 ** 32 - 1 },
} as const;

const range = (name: string, lim: { min: number; max: number }) =>
  z.number({ error: `${name} must be a number from ${lim.min} to ${lim.max}` }).check(
    z.refine((v) => Number.isFinite(v) && v >= lim.min && v <= lim.max, {
      message: `${name} must be from ${lim.min} to ${lim.max}`,
    }),
  );

export const ScenarioSchema = z.object({
  id: z.string(),
  mode: z.enum(MODE_IDS as [string, ...string[]], { error: `mode must be one of ${MODE_IDS.join(', ')}` }),
  guestGiB: range('guest size (GiB)', LIMITS.guestGiB),
  workload: z.enum(WORKLOAD_IDS as [string, ...string[]], {
    error: `workload must be one of ${WORKLOAD_IDS.join(', ')}`,
  }),
  linkGbps: range('link speed (Gbit/s)', LIMITS.linkGbps),
  maxBandwidthMiBs: range('max-bandwidth (MiB/s)', LIMITS.maxBandwidthMiBs),
  downtimeMs: range('downtime limit (ms)', LIMITS.downtimeMs),
  profile: z.string().check(
    z.refine((p) => hasOwn(PROFILES, p), { message: `profile must be one of ${Object.keys(PROFILES).join(', ')}` }),
  ),
  seed: range('seed', LIMITS.seed).check(z.refine((v) => Number.isInteger(v), { message: 'seed must be an integer' })),
});

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

const rfcCase = (id: PresetId, workload: Scenario['workload']): Scenario => ({
  id,
  mode: 'original',
  guestGiB: 8,
  workload,
  linkGbps: PROFILES['rfc-2016'].defaultLinkGbps,
  maxBandwidthMiBs: PROFILES['rfc-2016'].defaultMaxBandwidthMiBs,
  downtimeMs: 300,
  profile: 'rfc-2016',
  seed: 1,
});

export const SCENARIO_PRESETS: Readonly<Record<PresetId, Scenario>> = {
  'rfc-case-1': rfcCase('rfc-case-1', 'idle-boot'),
  'rfc-case-2': rfcCase('rfc-case-2', 'after-hog'),
};

export const DEFAULT_PRESET: PresetId = 'rfc-case-2';

/** Title of a preset, from the published table. */
export function presetTitle(id: PresetId): string {
  return table.cases.find((c) => c.id === id)?.title ?? id;
}

export function isPresetId(id: string): id is PresetId {
  return (PRESET_IDS as readonly string[]).includes(id);
}

/** Validates a complete scenario; throws ScenarioError naming every bad field. */
export function validateScenario(s: unknown): Scenario {
  const r = ScenarioSchema.safeParse(s);
  if (!r.success) throw new ScenarioError(r.error.issues.map((i) => i.message).join('; '));
  return r.data as Scenario;
}

/** A preset with some fields overridden, validated. */
export function resolveScenario(presetId: string, overrides: Partial<Scenario> = {}): Scenario {
  if (!isPresetId(presetId)) {
    throw new ScenarioError(`unknown scenario "${presetId}"; accepted: ${PRESET_IDS.join(', ')}`);
  }
  const base = SCENARIO_PRESETS[presetId];
  const merged: Scenario = { ...base, ...overrides, id: presetId };
  if (profileDefaultsChanged(base, merged, overrides)) {
    const prof = ownValue(PROFILES, merged.profile);
    if (prof) {
      if (overrides.linkGbps === undefined) (merged as { linkGbps: number }).linkGbps = prof.defaultLinkGbps;
      if (overrides.maxBandwidthMiBs === undefined)
        (merged as { maxBandwidthMiBs: number }).maxBandwidthMiBs = prof.defaultMaxBandwidthMiBs;
    }
  }
  return validateScenario(merged);
}

function profileDefaultsChanged(base: Scenario, merged: Scenario, overrides: Partial<Scenario>): boolean {
  return overrides.profile !== undefined && merged.profile !== base.profile;
}

/** Fields a scenario file may hold: a preset to start from, then any scenario field. */
export const SCENARIO_FILE_KEYS = [
  'scenario',
  'mode',
  'guestGiB',
  'workload',
  'linkGbps',
  'maxBandwidthMiBs',
  'downtimeMs',
  'profile',
  'seed',
] as const;

const ScenarioFileFields = z.partial(z.omit(ScenarioSchema, { id: true }));

/**
 * Largest scenario file the CLI and Open… read. A scenario file is a dozen short fields (about
 * 250 bytes as the Scenario export writes it); 1 MiB leaves room for any indentation an editor
 * adds while refusing /dev/zero or a disk image before it is read into memory.
 */
export const MAX_SCENARIO_FILE_BYTES = 1 << 20;

/** What the CLI and Open… say about a file over MAX_SCENARIO_FILE_BYTES. */
export function scenarioFileTooLarge(source: string): string {
  return `${source} is larger than 1 MiB; a scenario file needs a few hundred bytes`;
}

/**
 * Reads a scenario file (JSON), e.g. {"scenario": "rfc-case-1", "mode": "pv", "guestGiB": 16}.
 * Returns the preset and the overrides to hand to resolveScenario; throws ScenarioError with a
 * message naming the file, the field and what it accepts.
 */
export function parseScenarioFile(text: string, source = 'scenario file'): { presetId: string; overrides: Partial<Scenario> } {
  // Each UTF-16 unit is at least one UTF-8 byte, so this length is a lower bound of the size.
  if (text.length > MAX_SCENARIO_FILE_BYTES) throw new ScenarioError(scenarioFileTooLarge(source));
  const json = stripBom(text);
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    throw new ScenarioError(`${source} is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ScenarioError(`${source} must hold one JSON object, e.g. {"scenario": "rfc-case-1", "mode": "pv"}`);
  }
  const dups = duplicateJsonKeys(json);
  if (dups.length > 0) {
    throw new ScenarioError(`${source}: field ${dups.map((k) => `"${k}"`).join(', ')} given more than once`);
  }
  const keys = Object.keys(data);
  const unknown = keys.filter((k) => !(SCENARIO_FILE_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new ScenarioError(
      `${source}: unknown field ${unknown.map((k) => `"${k}"`).join(', ')}; accepted: ${SCENARIO_FILE_KEYS.join(', ')}`,
    );
  }
  const { scenario = DEFAULT_PRESET, ...fields } = data as Record<string, unknown>;
  if (typeof scenario !== 'string' || !isPresetId(scenario)) {
    throw new ScenarioError(`${source}: scenario must be one of ${PRESET_IDS.join(', ')}`);
  }
  const r = ScenarioFileFields.safeParse(fields);
  if (!r.success) throw new ScenarioError(`${source}: ${r.error.issues.map((i) => i.message).join('; ')}`);
  return { presetId: scenario, overrides: r.data as Partial<Scenario> };
}

/** A scenario as a file parseScenarioFile reads back to the same scenario. */
export function scenarioFileOf(s: Scenario): string {
  const { id, ...fields } = s;
  return `${JSON.stringify({ scenario: isPresetId(id) ? id : DEFAULT_PRESET, ...fields }, null, 2)}\n`;
}
