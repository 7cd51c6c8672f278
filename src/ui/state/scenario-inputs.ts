/**
 * Turning what the user typed into a Scenario. Parsing (is it a number?) happens here; range
 * checks are the engine's (its scenarioSchema(), field by field, and crossFieldIssues), so every
 * message is the one the CLI and links give. Each rejection belongs to one input, so a form marks
 * only that field; a bad input leaves the running scenario alone.
 */
import { hasOwn, parseDecimal } from '../../engine/input';
import { crossFieldIssues, LIMITS, resolveScenario, SCENARIO_PRESETS, scenarioSchema } from '../../engine/scenario';
import type { ModeId, Scenario, StressPattern, WorkloadId } from '../../engine/types';
import { CHECKPOINT_BUDGET_BYTES } from '../../protocol';

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
 * Engine state per guest page, bytes: Simulation.stateBytes() / pageCount is 1.008 (original,
 * pagemap), 1.133 (pv: the guest's free-page bitmap; hint: the held map) and 1.258 (report): bitmaps only, the largest mode's figure rounded up
 * here (test/ui/busy-and-scenario.test.tsx holds this to the engine).
 */
export const ENGINE_BYTES_PER_PAGE = 1.26;
/** Each panel holds two simulations while it loads: the run, and the timeline's pre-run. */
const SIMULATIONS_PER_PANEL = 2;
/**
 * Ask before a guest whose engines would take more than this. A 64-bit Chromium tab is killed
 * at around 4 GiB of memory on many desktops; a quarter of that leaves room for the page and
 * for the machine's other tabs.
 */
export const CONFIRM_ABOVE_BYTES = 2 ** 30;

/**
 * The largest guest, in whole GiB, whose engines in `panels` panels stay within
 * CONFIRM_ABOVE_BYTES (capped at the largest guest migviz accepts): what the UI offers without
 * asking, from the engine's measured bytes per page.
 */
export function guestLimitGiB(panels: number): number {
  const perGiB = 262_144 * ENGINE_BYTES_PER_PAGE * SIMULATIONS_PER_PANEL * panels;
  const room = CONFIRM_ABOVE_BYTES - CHECKPOINT_BUDGET_BYTES * panels;
  return Math.min(LIMITS.guestGiB.max, Math.floor(room / perGiB));
}

/** Bytes the engines of `panels` panels take for a guest of `guestGiB`: two runs and, at most, their checkpoints. */
export function engineMemoryBytes(guestGiB: number, panels: number): number {
  const runs = Math.floor(guestGiB * 262_144) * ENGINE_BYTES_PER_PAGE * SIMULATIONS_PER_PANEL;
  return Math.ceil((runs + CHECKPOINT_BUDGET_BYTES) * panels);
}

/** The editable fields: numbers as the text the user typed, choices as their values. */
export interface ScenarioInputs {
  guestGiB: string;
  linkGbps: string;
  /** QEMU max-bandwidth, MiB/s. */
  maxBandwidthMiBs: string;
  /** QEMU downtime-limit, ms. */
  downtimeMs: string;
  seed: string;
  /** Settle time in seconds (the scenario keeps ms): read more easily on screen. */
  settleS: string;
  workload: WorkloadId;
  /** stress only. */
  workingSetGiB: string;
  dirtyMiBs: string;
  pattern: StressPattern;
  /** after-hog only: % of RAM the memory hog touched. */
  hogPercent: string;
  autoConverge: boolean;
  /** auto-converge only, %. */
  cpuThrottleInitial: string;
  cpuThrottleIncrement: string;
  maxCpuThrottle: string;
}

/** The inputs typed as text (number fields): they commit on Enter or blur, not per keystroke. */
export type NumberInputKey = Exclude<keyof ScenarioInputs, 'workload' | 'pattern' | 'autoConverge'>;

/** Why an input was rejected, per input (a rule the inputs break together is filed under one). */
export type InputErrors = Partial<Record<keyof ScenarioInputs, string>>;

interface NumberInput {
  label: string;
  /** Scenario field it sets, and the factor from what is typed to the field's unit. */
  field: keyof Scenario & keyof ReturnType<typeof scenarioSchema>['shape'];
  scale: number;
  /** Whether the field means anything for this scenario (hidden fields are not checked). */
  applies: (s: Pick<ScenarioInputs, 'workload' | 'autoConverge'>) => boolean;
}

const always = () => true;
const stressOnly = (s: Pick<ScenarioInputs, 'workload'>) => s.workload === 'stress';
const afterHogOnly = (s: Pick<ScenarioInputs, 'workload'>) => s.workload === 'after-hog';
const autoConvergeOnly = (s: Pick<ScenarioInputs, 'autoConverge'>) => s.autoConverge;

export const NUMBER_INPUTS: Record<NumberInputKey, NumberInput> = {
  guestGiB: { label: 'Guest size (GiB)', field: 'guestGiB', scale: 1, applies: always },
  linkGbps: { label: 'Link speed (Gbit/s)', field: 'linkGbps', scale: 1, applies: always },
  maxBandwidthMiBs: { label: 'max-bandwidth (MiB/s)', field: 'maxBandwidthMiBs', scale: 1, applies: always },
  downtimeMs: { label: 'Downtime limit (ms)', field: 'downtimeMs', scale: 1, applies: always },
  seed: { label: 'Seed', field: 'seed', scale: 1, applies: always },
  settleS: { label: 'Settle time (s)', field: 'settleMs', scale: 1000, applies: always },
  workingSetGiB: { label: 'Working set (GiB)', field: 'workingSetGiB', scale: 1, applies: stressOnly },
  dirtyMiBs: { label: 'Dirty rate (MiB/s)', field: 'dirtyMiBs', scale: 1, applies: stressOnly },
  hogPercent: { label: 'Hog touched (% of RAM)', field: 'hogPercent', scale: 1, applies: afterHogOnly },
  cpuThrottleInitial: { label: 'cpu-throttle-initial (%)', field: 'cpuThrottleInitial', scale: 1, applies: autoConvergeOnly },
  cpuThrottleIncrement: { label: 'cpu-throttle-increment (%)', field: 'cpuThrottleIncrement', scale: 1, applies: autoConvergeOnly },
  maxCpuThrottle: { label: 'max-cpu-throttle (%)', field: 'maxCpuThrottle', scale: 1, applies: autoConvergeOnly },
};
const NUMBER_KEYS = Object.keys(NUMBER_INPUTS) as NumberInputKey[];

export function inputsOf(s: Scenario): ScenarioInputs {
  const text = {} as Record<NumberInputKey, string>;
  for (const key of NUMBER_KEYS) {
    const { field, scale } = NUMBER_INPUTS[key];
    text[key] = String((s[field] as number) / scale);
  }
  return { ...text, workload: s.workload, pattern: s.pattern, autoConverge: s.autoConverge };
}

export type Resolved = { ok: true; scenario: Scenario } | { ok: false; errors: InputErrors };

/**
 * The scenario the inputs describe (preset `presetId`, in `mode`), or one message per bad input.
 * Inputs that do not apply (stress fields for another workload, throttle fields with
 * auto-converge off) keep `running`'s values, so a hidden field can never block a load.
 */
export function resolveInputs(presetId: string, mode: ModeId, inputs: ScenarioInputs, running?: Scenario): Resolved {
  const fallback = inputsOf(running ?? SCENARIO_PRESETS[isPreset(presetId) ? presetId : 'rfc-case-2']);
  const overrides: Partial<Record<keyof Scenario, unknown>> = {
    workload: inputs.workload,
    pattern: inputs.pattern,
    autoConverge: inputs.autoConverge,
    mode,
    // The testbed is no input of this form: the one on screen stays (the Testbed picker sets it).
    ...(running ? { profile: running.profile } : {}),
  };
  const errors: InputErrors = {};
  for (const key of NUMBER_KEYS) {
    const spec = NUMBER_INPUTS[key];
    const raw = spec.applies(inputs) ? inputs[key] : fallback[key];
    const typed = parseDecimal(raw); // not Number(): "0x10" is not 16, "" is not 0
    if (typed === null) {
      errors[key] = `${spec.label} must be a number.`;
      continue;
    }
    const value = spec.scale === 1 ? typed : Math.round(typed * spec.scale * 1000) / 1000;
    const r = scenarioSchema().shape[spec.field].safeParse(value);
    if (!r.success) {
      errors[key] = sentence(r.error.issues[0]?.message ?? `${spec.label} is out of range`);
      continue;
    }
    overrides[spec.field] = value;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const merged = { ...SCENARIO_PRESETS[isPreset(presetId) ? presetId : 'rfc-case-2'], ...overrides } as Scenario;
  for (const issue of crossFieldIssues(merged)) {
    const key = NUMBER_KEYS.find((k) => NUMBER_INPUTS[k].field === issue.field) ?? 'guestGiB';
    errors[key] = sentence(issue.message);
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  try {
    return { ok: true, scenario: resolveScenario(presetId, overrides as Partial<Scenario>) };
  } catch (e) {
    // Unreachable while every rule above is the engine's own; said on the first field if not.
    return { ok: false, errors: { guestGiB: e instanceof Error ? e.message : String(e) } };
  }
}

function isPreset(id: string): id is keyof typeof SCENARIO_PRESETS {
  return hasOwn(SCENARIO_PRESETS, id);
}

/**
 * The engine's messages are clauses ("guest size (GiB) must be …"); on screen, a sentence. Not
 * capitalised: most start with the name QEMU gives the parameter (max-cpu-throttle).
 */
function sentence(message: string): string {
  return `${message}.`;
}
