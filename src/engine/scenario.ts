/**
 * Scenarios: presets for the RFC's two cases, the accepted range of every parameter, and one
 * validator used by the CLI, the URL parser and the worker alike. zod gives every rejection a
 * message that names the field and the accepted range; zod/mini (same checks, no method
 * chaining) keeps it a few KB in the page's bundle instead of ~80 KB.
 */
import * as z from 'zod/mini';
import table from '../data/rfc-2016-table.json';
import { MODE_IDS } from './migration/modes';
import { STRESS_PATTERNS, WORKLOAD_IDS, type Scenario } from './types';
import { PROFILES } from './migration/profiles';
import { AFTER_HOG } from './guest/workloads';
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
  settleMs: { min: 0, max: 600_000 },
  /** stress: from about 1 MiB to the largest guest; it must also fit in the guest (validateScenario). */
  workingSetGiB: { min: 0.001, max: 1024 },
  /** stress: up to 16 GiB/s, a few vCPUs running memset flat out (DDR4 on Haswell-EP: ~60 GB/s). */
  dirtyMiBs: { min: 0, max: 16_384 },
  /**
   * after-hog: the share of RAM the hog reached, %. 0 leaves only the booted guest's own free
   * memory; 100 writes every free page (no reserve left zero).
   */
  hogPercent: { min: 0, max: 100 },
  /** QEMU's migrate_params_check: each throttle parameter is an integer from 1 to 99. */
  cpuThrottle: { min: 1, max: 99 },
} as const;

/**
 * stress defaults: a 1 GiB buffer written at 100 MiB/s at random. On the rfc-2016 testbed
 * (10 GbE, ~1.1 GiB/s sent) that is a busy guest that still converges in a few syncs.
 */
export const STRESS_DEFAULTS = { workingSetGiB: 1, dirtyMiBs: 100, pattern: 'random' } as const;

/**
 * auto-converge defaults as QEMU has them (migration/options.c; 2.5/2.6 had the first two as
 * x-cpu-throttle-initial/-increment and the 99 % cap hard-coded as CPU_THROTTLE_PCT_MAX).
 */
export const AUTO_CONVERGE_DEFAULTS = {
  autoConverge: false,
  cpuThrottleInitial: 20,
  cpuThrottleIncrement: 10,
  maxCpuThrottle: 99,
} as const;

const range = (name: string, lim: { min: number; max: number }) =>
  z.number({ error: `${name} must be a number from ${lim.min} to ${lim.max}` }).check(
    z.refine((v) => Number.isFinite(v) && v >= lim.min && v <= lim.max, {
      message: `${name} must be from ${lim.min} to ${lim.max}`,
    }),
  );

const throttlePct = (name: string) =>
  range(name, LIMITS.cpuThrottle).check(z.refine((v) => Number.isInteger(v), { message: `${name} must be an integer` }));

const buildScenarioSchema = () => z.object({
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
  settleMs: range('settle time (ms)', LIMITS.settleMs),
  workingSetGiB: range('working set (GiB)', LIMITS.workingSetGiB),
  dirtyMiBs: range('dirty rate (MiB/s)', LIMITS.dirtyMiBs),
  pattern: z.enum(STRESS_PATTERNS as [string, ...string[]], { error: `pattern must be one of ${STRESS_PATTERNS.join(', ')}` }),
  hogPercent: range('hog percent (% of RAM the memory hog touched)', LIMITS.hogPercent),
  autoConverge: z.boolean({ error: 'auto-converge must be true or false' }),
  cpuThrottleInitial: throttlePct('cpu-throttle-initial (%)'),
  cpuThrottleIncrement: throttlePct('cpu-throttle-increment (%)'),
  maxCpuThrottle: throttlePct('max-cpu-throttle (%)'),
});

/**
 * `build`, called on first use and kept: zod builds a schema when it is declared, and the page
 * evaluates this module in a load task of its own, long before it checks a scenario. Building
 * the schemas on first use (this one and the URL's field schemas, url-state.ts) took that task
 * from 12-17 to 6-8 ms of CPU on the bench machine (traced, 6 loads each; issue 13).
 */
export function lazySchema<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => {
    built ??= build();
    return built;
  };
}

/** The scenario's schema (built on first use). */
export const scenarioSchema = lazySchema(buildScenarioSchema);

/** A rule between fields that a scenario breaks, and the field the message is about. */
export interface CrossFieldIssue {
  field: keyof Scenario;
  message: string;
}

/**
 * Rules between fields, checked after each field is in range (messages as the flags name them).
 * Each names the field to mark in a form: the one that must give way to the other.
 */
export function crossFieldIssues(s: Scenario): CrossFieldIssue[] {
  const issues: CrossFieldIssue[] = [];
  if (s.workload === 'stress' && s.workingSetGiB > s.guestGiB) {
    issues.push({
      field: 'workingSetGiB',
      message: `working set (${s.workingSetGiB} GiB) must not exceed the guest size (${s.guestGiB} GiB)`,
    });
  }
  // QEMU rejects the same (migrate_params_check).
  if (s.maxCpuThrottle < s.cpuThrottleInitial) {
    issues.push({
      field: 'maxCpuThrottle',
      message: `max-cpu-throttle (${s.maxCpuThrottle} %) must be at least cpu-throttle-initial (${s.cpuThrottleInitial} %)`,
    });
  }
  return issues;
}

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
  downtimeMs: PROFILES['rfc-2016'].defaultDowntimeMs,
  profile: 'rfc-2016',
  seed: 1,
  settleMs: 0,
  ...STRESS_DEFAULTS,
  hogPercent: AFTER_HOG.defaultHogPercent,
  ...AUTO_CONVERGE_DEFAULTS,
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
  const r = scenarioSchema().safeParse(s);
  if (!r.success) throw new ScenarioError(r.error.issues.map((i) => i.message).join('; '));
  const scenario = r.data as Scenario;
  const issues = crossFieldIssues(scenario);
  if (issues.length > 0) throw new ScenarioError(issues.map((i) => i.message).join('; '));
  return scenario;
}

/** A preset with some fields overridden, validated. */
export function resolveScenario(presetId: string, overrides: Partial<Scenario> = {}): Scenario {
  if (!isPresetId(presetId)) {
    throw new ScenarioError(`unknown scenario "${presetId}"; accepted: ${PRESET_IDS.join(', ')}`);
  }
  const base = presetOn(presetId, overrides.profile);
  return validateScenario({ ...base, ...overrides, id: presetId });
}

/**
 * A preset on a testbed: the profile, with the profile's link, max-bandwidth and downtime limit
 * (the testbed's settings) unless it is the preset's own profile. An unknown profile is left for
 * validateScenario to reject.
 */
export function presetOn(id: PresetId, profile: string = SCENARIO_PRESETS[id].profile): Scenario {
  const base = SCENARIO_PRESETS[id];
  const prof = ownValue(PROFILES, profile);
  if (profile === base.profile) return base;
  if (!prof) return { ...base, profile };
  return {
    ...base,
    profile,
    linkGbps: prof.defaultLinkGbps,
    maxBandwidthMiBs: prof.defaultMaxBandwidthMiBs,
    downtimeMs: prof.defaultDowntimeMs,
  };
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
  'settleMs',
  'workingSetGiB',
  'dirtyMiBs',
  'pattern',
  'hogPercent',
  'autoConverge',
  'cpuThrottleInitial',
  'cpuThrottleIncrement',
  'maxCpuThrottle',
] as const;

/** What a scenario file may set: every field but the id, each optional. */
const scenarioFileFields = lazySchema(() => z.partial(z.omit(scenarioSchema(), { id: true })));

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
  const r = scenarioFileFields().safeParse(fields);
  if (!r.success) throw new ScenarioError(`${source}: ${r.error.issues.map((i) => i.message).join('; ')}`);
  return { presetId: scenario, overrides: r.data as Partial<Scenario> };
}

/** A scenario as a file parseScenarioFile reads back to the same scenario. */
export function scenarioFileOf(s: Scenario): string {
  const { id, ...fields } = s;
  return `${JSON.stringify({ scenario: isPresetId(id) ? id : DEFAULT_PRESET, ...fields }, null, 2)}\n`;
}
