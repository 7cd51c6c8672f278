import { describe, expect, it } from 'vitest';
import { SCENARIO_FLAGS } from '../../src/cli/args';
import { resolveScenario } from '../../src/engine/scenario';
import {
  inertReason,
  MAX_RUNS,
  parseValues,
  planSweep,
  SWEEP_PARAM_IDS,
  SWEEP_PARAMS,
  scenarioKey,
  seedsOf,
} from '../../src/sweep';

const base = resolveScenario('rfc-case-1');

describe('parseValues', () => {
  it('a list keeps its order; a range spaces evenly, linear or log, ends exactly as typed', () => {
    expect(parseValues('1,2,4,8,16,32,64,128', 'guest-gib')).toEqual([1, 2, 4, 8, 16, 32, 64, 128]);
    expect(parseValues('8, 1 ,2', 'guest-gib')).toEqual([8, 1, 2]);
    expect(parseValues('1:128:8:log', 'guest-gib')).toEqual([1, 2, 4, 8, 16, 32, 64, 128]);
    expect(parseValues('100:1000:4', 'downtime-ms')).toEqual([100, 400, 700, 1000]);
    expect(parseValues('0.1:0.3:3', 'link-gbps')).toEqual([0.1, 0.2, 0.3]);
    expect(parseValues('10:1:4:log', 'link-gbps')).toEqual([10, 4.64158883361, 2.15443469003, 1]);
  });

  it('integer parameters round a range and drop the repeats', () => {
    expect(parseValues('1:4:7', 'seed')).toEqual([1, 2, 3, 4]);
    expect(parseValues('1:99:3:log', 'max-cpu-throttle')).toEqual([1, 10, 99]);
  });

  it('bad values are one line naming the value and what the parameter takes', () => {
    expect(() => parseValues('1,2000', 'guest-gib')).toThrow('value 2000 is out of range: guest-gib takes numbers from 0.0625 to 1024');
    expect(() => parseValues('0:100:3', 'guest-gib')).toThrow('value 0 is out of range: guest-gib takes numbers from 0.0625 to 1024');
    expect(() => parseValues('1,0x10', 'guest-gib')).toThrow('value "0x10" is not a decimal number');
    expect(() => parseValues('1.5', 'seed')).toThrow('value 1.5 is not an integer: seed takes integers from 0 to 4294967295');
    expect(() => parseValues('1:8:1', 'guest-gib')).toThrow('steps must be an integer from 2 to 100');
    expect(() => parseValues('1:8:4:lin', 'guest-gib')).toThrow('must be from:to:steps or from:to:steps:log');
    expect(() => parseValues('0:8:4:log', 'settle-ms')).toThrow('a log range needs from and to above 0');
    expect(() => parseValues('1,1', 'guest-gib')).toThrow('name a value twice');
    expect(() => parseValues('', 'guest-gib')).toThrow('values are empty');
  });
});

describe('planSweep', () => {
  it('3 modes × 8 sizes × 1 seed: 24 runs, value-major, each the scenario with x set', () => {
    const values = parseValues('1,2,4,8,16,32,64,128', 'guest-gib');
    const runs = planSweep({ param: 'guest-gib', values, modes: ['original', 'pv', 'hint'], seeds: 1 }, base);
    expect(runs).toHaveLength(24);
    expect(runs.slice(0, 4).map((r) => [r.x, r.mode, r.seed])).toEqual([
      [1, 'original', 1],
      [1, 'pv', 1],
      [1, 'hint', 1],
      [2, 'original', 1],
    ]);
    expect(runs[23].scenario).toEqual({ ...base, guestGiB: 128, mode: 'hint' });
    expect(runs.every((r) => r.problem === null)).toBe(true);
    expect(new Set(runs.map((r) => r.key)).size).toBe(24);
  });

  it('seeds: the scenario\'s own first, then the next ones', () => {
    expect(seedsOf({ ...base, seed: 7 }, 3)).toEqual([7, 8, 9]);
    expect(seedsOf({ ...base, seed: 2 ** 32 - 1 }, 2)).toEqual([2 ** 32 - 1, 0]);
    const runs = planSweep({ param: 'guest-gib', values: [1, 2], modes: ['pv'], seeds: 3 }, base);
    expect(runs.map((r) => `${r.x}/${r.seed}`)).toEqual(['1/1', '1/2', '1/3', '2/1', '2/2', '2/3']);
  });

  it('a scenario the engine refuses is a run with a problem, not a thrown sweep', () => {
    const stress = resolveScenario('rfc-case-1', { workload: 'stress', workingSetGiB: 2 });
    const runs = planSweep({ param: 'guest-gib', values: [1, 4], modes: ['original'], seeds: 1 }, stress);
    expect(runs[0].problem).toBe('working set (2 GiB) must not exceed the guest size (1 GiB)');
    expect(runs[1].problem).toBeNull();
  });

  it('refuses what cannot be a sweep', () => {
    const spec = { param: 'guest-gib', values: [1], modes: ['pv'], seeds: 1 } as const;
    expect(() => planSweep({ ...spec, modes: [] }, base)).toThrow('no modes to sweep');
    expect(() => planSweep({ ...spec, seeds: 21 }, base)).toThrow('seeds must be an integer from 1 to 20');
    expect(() => planSweep({ ...spec, param: 'seed', seeds: 2 }, base)).toThrow('seeds must be 1 when the x axis is the seed');
    const many = Array.from({ length: 100 }, (_, i) => 1 + i);
    expect(() => planSweep({ ...spec, values: many, modes: ['original', 'pv'], seeds: 20 }, base)).toThrow(
      `4000 runs (values × modes × seeds) are too many: at most ${MAX_RUNS}`,
    );
  });

  it('scenarioKey: equal scenarios give equal keys whatever their key order', () => {
    const reordered = Object.fromEntries(Object.entries(base).reverse()) as typeof base;
    expect(scenarioKey(reordered)).toBe(scenarioKey(base));
    expect(scenarioKey({ ...base, guestGiB: 9 })).not.toBe(scenarioKey(base));
  });
});

describe('sweep parameters', () => {
  it('are exactly the numeric flags of sim, by the same names and ranges', () => {
    const numeric = Object.entries(SCENARIO_FLAGS).filter(([, s]) => s.kind === 'number' || s.kind === 'integer');
    expect(SWEEP_PARAM_IDS.map((id) => `--${id}`).sort()).toEqual(numeric.map(([n]) => n).sort());
    for (const [name, s] of numeric) {
      const p = SWEEP_PARAMS[name.slice(2) as keyof typeof SWEEP_PARAMS];
      expect([p.field, p.min, p.max, p.integer]).toEqual([s.field, s.min, s.max, s.kind === 'integer']);
    }
  });

  it('say when the parameter changes nothing for this scenario', () => {
    expect(inertReason('dirty-mibs', base)).toBe(
      'dirty-mibs changes nothing here: it applies to the stress workload and this scenario\'s is idle-boot',
    );
    expect(inertReason('hog-percent', resolveScenario('rfc-case-2'))).toBeNull();
    expect(inertReason('max-cpu-throttle', base)).toBe('max-cpu-throttle changes nothing here: auto-converge is off');
    expect(inertReason('guest-gib', base)).toBeNull();
  });
});
