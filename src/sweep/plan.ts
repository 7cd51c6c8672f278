/**
 * The sweep planner: the x values (`a,b,c` or `from:to:steps[:log]`), the seeds per point, and
 * the runs they make (one per value × mode × seed), each a validated scenario. Pure: the CLI,
 * the page and the tests plan the same way.
 */
import { parseDecimal } from '../engine/input';
import { LIMITS, validateScenario } from '../engine/scenario';
import type { ModeId, Scenario } from '../engine/types';
import { paramSpec, type SweepParamId } from './params';

export class SweepError extends Error {
  override name = 'SweepError';
}

/**
 * Bounds so that a typo cannot queue a day of work: 100 values is a finer grid than a chart of
 * ~700 px shows apart, 20 seeds a band that no longer moves, and 3 000 runs about 60 s of 8 GiB
 * runs on this 2-core machine (~20 ms each, ARCHITECTURE.md §7).
 */
export const MAX_VALUES = 100;
export const MAX_SEEDS = 20;
export const MAX_RUNS = 3000;

/** What a sweep is: the x parameter and its values, the modes (one line each), seeds per point. */
export interface SweepSpec {
  readonly param: SweepParamId;
  readonly values: readonly number[];
  readonly modes: readonly ModeId[];
  readonly seeds: number;
}

/** One simulation of the sweep. `problem` says why it cannot run (its scenario is invalid). */
export interface SweepRun {
  readonly index: number;
  /** Index of its x value in the spec's values. */
  readonly xIndex: number;
  readonly x: number;
  readonly mode: ModeId;
  readonly seed: number;
  readonly scenario: Scenario;
  readonly problem: string | null;
  /** Cache key of its scenario (scenarioKey). */
  readonly key: string;
}

/** Significant digits kept from the step arithmetic, so 1:8:4:log gives 2, not 1.9999999999999998. */
const DIGITS = 12;
const tidy = (v: number) => Number(v.toPrecision(DIGITS));

/**
 * The values `text` describes for `param`: a comma list (`1,2,4`) or `from:to:steps`, `steps`
 * values evenly spaced (`:log`: evenly on a log scale). Every value in the parameter's range;
 * integer parameters round a range's steps and drop repeats. Throws SweepError (one line).
 */
export function parseValues(text: string, param: SweepParamId): number[] {
  const spec = paramSpec(param);
  const range = `${param} takes ${spec.integer ? 'integers' : 'numbers'} from ${spec.min} to ${spec.max}`;
  const t = text.trim();
  if (t === '') throw new SweepError(`values are empty: give a list (1,2,4) or from:to:steps[:log]`);
  let values: number[];
  if (t.includes(':')) {
    const parts = t.split(':');
    if (parts.length < 3 || parts.length > 4 || (parts.length === 4 && parts[3] !== 'log')) {
      throw new SweepError(`values "${t}" must be from:to:steps or from:to:steps:log`);
    }
    const [from, to, steps] = parts.slice(0, 3).map(parseDecimal);
    if (from === null || to === null) throw new SweepError(`values "${t}": from and to must be decimal numbers`);
    if (steps === null || !Number.isInteger(steps) || steps < 2 || steps > MAX_VALUES) {
      throw new SweepError(`values "${t}": steps must be an integer from 2 to ${MAX_VALUES}`);
    }
    const log = parts.length === 4;
    if (log && (from <= 0 || to <= 0)) throw new SweepError(`values "${t}": a log range needs from and to above 0`);
    for (const v of [from, to]) if (v < spec.min || v > spec.max) throw new SweepError(`value ${v} is out of range: ${range}`);
    values = Array.from({ length: steps }, (_, i) => {
      const f = i / (steps - 1);
      const v = log ? from * (to / from) ** f : from + (to - from) * f;
      // The ends exactly as typed; integer parameters on whole numbers.
      const exact = i === 0 ? from : i === steps - 1 ? to : tidy(v);
      return spec.integer ? Math.round(exact) : exact;
    });
    values = [...new Set(values)];
  } else {
    values = t.split(',').map((raw) => {
      const v = parseDecimal(raw);
      if (v === null) throw new SweepError(`value "${raw.trim()}" is not a decimal number: ${range}`);
      return v;
    });
    if (new Set(values).size !== values.length) throw new SweepError(`values "${t}" name a value twice`);
    if (values.length > MAX_VALUES) throw new SweepError(`${values.length} values are too many: at most ${MAX_VALUES}`);
  }
  for (const v of values) {
    if (v < spec.min || v > spec.max) throw new SweepError(`value ${v} is out of range: ${range}`);
    if (spec.integer && !Number.isInteger(v)) throw new SweepError(`value ${v} is not an integer: ${range}`);
  }
  return values;
}

/**
 * The seeds of each point: the scenario's own, then the next ones (wrapping at the largest seed),
 * so `--seeds 1` is exactly the single run `sim` prints.
 */
export function seedsOf(base: Scenario, seeds: number): number[] {
  const span = LIMITS.seed.max + 1;
  return Array.from({ length: seeds }, (_, k) => (base.seed + k) % span);
}

/** A canonical key of a scenario (every field, in a fixed order): equal scenarios, equal keys. */
export function scenarioKey(s: Scenario): string {
  const o = s as unknown as Record<string, unknown>;
  return JSON.stringify(Object.keys(o).sort().map((k) => [k, o[k]]));
}

/** Every run of the sweep on top of `base`: value-major, then mode, then seed. */
export function planSweep(spec: SweepSpec, base: Scenario): SweepRun[] {
  if (spec.modes.length === 0) throw new SweepError('no modes to sweep: give at least one');
  if (new Set(spec.modes).size !== spec.modes.length) throw new SweepError('modes name a mode twice');
  if (!Number.isInteger(spec.seeds) || spec.seeds < 1 || spec.seeds > MAX_SEEDS) {
    throw new SweepError(`seeds must be an integer from 1 to ${MAX_SEEDS}`);
  }
  if (spec.param === 'seed' && spec.seeds > 1) throw new SweepError('seeds must be 1 when the x axis is the seed itself');
  const total = spec.values.length * spec.modes.length * spec.seeds;
  if (total > MAX_RUNS) {
    throw new SweepError(`${total} runs (values × modes × seeds) are too many: at most ${MAX_RUNS}`);
  }
  const field = paramSpec(spec.param).field;
  const runs: SweepRun[] = [];
  spec.values.forEach((x, xIndex) => {
    for (const mode of spec.modes) {
      for (const seed of spec.param === 'seed' ? [x] : seedsOf(base, spec.seeds)) {
        const raw: Scenario = { ...base, mode, seed, [field]: x };
        let scenario = raw;
        let problem: string | null = null;
        try {
          scenario = validateScenario(raw);
        } catch (e) {
          problem = e instanceof Error ? e.message : String(e);
        }
        runs.push({ index: runs.length, xIndex, x, mode, seed, scenario, problem, key: scenarioKey(scenario) });
      }
    }
  });
  return runs;
}
