import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PRESET,
  LIMITS,
  MAX_SCENARIO_FILE_BYTES,
  PRESET_IDS,
  SCENARIO_PRESETS,
  ScenarioError,
  isPresetId,
  parseScenarioFile,
  scenarioFileOf,
  presetTitle,
  resolveScenario,
  validateScenario,
} from '../../src/engine/scenario';
import { getProfile } from '../../src/engine/migration/profiles';
import { Simulation } from '../../src/engine/simulation';
import type { Scenario } from '../../src/engine/types';
import { INHERITED_NAMES } from '../inherited-names';

function rejection(fn: () => unknown): ScenarioError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return e as ScenarioError;
  }
  throw new Error('expected a ScenarioError');
}

describe('hogPercent', () => {
  it('is validated like every field: 0 to 100, named in the message', () => {
    expect(resolveScenario('rfc-case-2', { hogPercent: 50 }).hogPercent).toBe(50);
    expect(() => resolveScenario('rfc-case-2', { hogPercent: 101 })).toThrow('hog percent (% of RAM the memory hog touched) must be from 0 to 100');
    expect(() => resolveScenario('rfc-case-2', { hogPercent: -1 })).toThrow('must be from 0 to 100');
    expect(parseScenarioFile('{"scenario": "rfc-case-2", "hogPercent": 60}').overrides).toEqual({ hogPercent: 60 });
  });
});

describe('presets', () => {
  it('rfc-case-1 and rfc-case-2 are the RFC setup: 8 GiB, 10 GbE, profile rfc-2016, original, seed 1', () => {
    expect(PRESET_IDS).toEqual(['rfc-case-1', 'rfc-case-2']);
    expect(DEFAULT_PRESET).toBe('rfc-case-2');
    expect(SCENARIO_PRESETS['rfc-case-1']).toEqual({
      id: 'rfc-case-1',
      mode: 'original',
      guestGiB: 8,
      workload: 'idle-boot',
      linkGbps: 10,
      maxBandwidthMiBs: 1192,
      downtimeMs: 300,
      profile: 'rfc-2016',
      seed: 1,
      settleMs: 0,
      workingSetGiB: 1,
      dirtyMiBs: 100,
      pattern: 'random',
      hogPercent: 97,
      autoConverge: false,
      cpuThrottleInitial: 20,
      cpuThrottleIncrement: 10,
      maxCpuThrottle: 99,
    });
    expect(SCENARIO_PRESETS['rfc-case-2'].workload).toBe('after-hog');
    expect(presetTitle('rfc-case-1')).toBe('Idle guest just boots');
    expect(isPresetId('rfc-case-2')).toBe(true);
    expect(isPresetId('rfc-case-3')).toBe(false);
  });
});

describe('resolveScenario', () => {
  it('applies overrides and keeps the rest of the preset', () => {
    const s = resolveScenario('rfc-case-2', { guestGiB: 0.5, seed: 9, mode: 'pv', downtimeMs: 50 });
    expect(s).toEqual({ ...SCENARIO_PRESETS['rfc-case-2'], guestGiB: 0.5, seed: 9, mode: 'pv', downtimeMs: 50 });
    expect(resolveScenario('rfc-case-1', { workload: 'running', linkGbps: 1, maxBandwidthMiBs: 32 })).toMatchObject({
      id: 'rfc-case-1',
      workload: 'running',
      linkGbps: 1,
      maxBandwidthMiBs: 32,
    });
    // The id always names the preset it came from.
    expect(resolveScenario('rfc-case-1', { id: 'custom' } as Partial<Scenario>).id).toBe('rfc-case-1');
  });

  it('accepts the ends of every range', () => {
    expect(resolveScenario('rfc-case-1', { guestGiB: LIMITS.guestGiB.min }).guestGiB).toBe(0.0625);
    expect(resolveScenario('rfc-case-1', { guestGiB: LIMITS.guestGiB.max }).guestGiB).toBe(1024);
    expect(resolveScenario('rfc-case-1', { seed: 0 }).seed).toBe(0);
    expect(resolveScenario('rfc-case-1', { seed: 2 ** 32 - 1 }).seed).toBe(4294967295);
    expect(resolveScenario('rfc-case-1', { linkGbps: 0.1, downtimeMs: 60_000, maxBandwidthMiBs: 1 })).toMatchObject({
      linkGbps: 0.1,
      downtimeMs: 60_000,
      maxBandwidthMiBs: 1,
    });
  });

  it('rejects an unknown preset, naming the accepted ones', () => {
    expect(rejection(() => resolveScenario('rfc-case-3')).message).toBe('unknown scenario "rfc-case-3"; accepted: rfc-case-1, rfc-case-2');
  });

  it('rejects out-of-range and non-numeric guest sizes, naming the field and range', () => {
    for (const g of [-4, 0, 0.0624, 2000, Number.POSITIVE_INFINITY]) {
      expect(rejection(() => resolveScenario('rfc-case-1', { guestGiB: g })).message, `guestGiB ${g}`).toMatch(
        /^guest size \(GiB\) must be (a number )?from 0\.0625 to 1024$/,
      );
    }
    expect(rejection(() => resolveScenario('rfc-case-1', { guestGiB: Number.NaN })).message).toBe(
      'guest size (GiB) must be a number from 0.0625 to 1024',
    );
    expect(rejection(() => resolveScenario('rfc-case-1', { guestGiB: '8' as unknown as number })).message).toBe(
      'guest size (GiB) must be a number from 0.0625 to 1024',
    );
  });

  it('rejects seeds that are not integers in 0..2^32-1', () => {
    expect(rejection(() => resolveScenario('rfc-case-1', { seed: 1.5 })).message).toBe('seed must be an integer');
    expect(rejection(() => resolveScenario('rfc-case-1', { seed: -1 })).message).toBe('seed must be from 0 to 4294967295');
    expect(rejection(() => resolveScenario('rfc-case-1', { seed: 2 ** 32 })).message).toBe('seed must be from 0 to 4294967295');
  });

  it('rejects the other fields with their names and ranges, all bad fields at once', () => {
    expect(rejection(() => resolveScenario('rfc-case-1', { linkGbps: 0.05 })).message).toBe('link speed (Gbit/s) must be from 0.1 to 400');
    expect(rejection(() => resolveScenario('rfc-case-1', { linkGbps: 401 })).message).toBe('link speed (Gbit/s) must be from 0.1 to 400');
    expect(rejection(() => resolveScenario('rfc-case-1', { mode: 'turbo' as 'pv' })).message).toBe('mode must be one of original, pv, pagemap, hint, report');
    expect(rejection(() => resolveScenario('rfc-case-1', { workload: 'x' as 'running' })).message).toBe(
      'workload must be one of idle-boot, after-hog, running, stress, kernel-compile',
    );
    expect(rejection(() => resolveScenario('rfc-case-1', { profile: 'x' })).message).toBe('profile must be one of rfc-2016, wang-2018');
    const both = rejection(() => resolveScenario('rfc-case-1', { downtimeMs: 0, maxBandwidthMiBs: 0 })).message;
    expect(both).toContain('max-bandwidth (MiB/s) must be from 1 to 1000000');
    expect(both).toContain('downtime limit (ms) must be from 1 to 60000');
  });

  it('validateScenario and the Simulation constructor reject the same bad input', () => {
    const bad = { ...SCENARIO_PRESETS['rfc-case-1'], guestGiB: 0 };
    expect(() => validateScenario(bad)).toThrow(ScenarioError);
    expect(() => new Simulation(bad)).toThrow(/guest size \(GiB\) must be from 0\.0625 to 1024/);
    expect(() => validateScenario({})).toThrow(ScenarioError);
    expect(validateScenario(SCENARIO_PRESETS['rfc-case-2'])).toEqual(SCENARIO_PRESETS['rfc-case-2']);
  });

  it('checks the stress and auto-converge fields with their ranges and the rules between fields', () => {
    expect(resolveScenario('rfc-case-1', { workload: 'stress', workingSetGiB: 4, dirtyMiBs: 400, pattern: 'sequential' })).toMatchObject({
      workload: 'stress',
      workingSetGiB: 4,
      dirtyMiBs: 400,
      pattern: 'sequential',
    });
    expect(rejection(() => resolveScenario('rfc-case-1', { dirtyMiBs: -1 })).message).toBe('dirty rate (MiB/s) must be from 0 to 16384');
    expect(rejection(() => resolveScenario('rfc-case-1', { pattern: 'zigzag' as 'random' })).message).toBe(
      'pattern must be one of random, sequential',
    );
    expect(rejection(() => resolveScenario('rfc-case-1', { workingSetGiB: 0 })).message).toBe(
      'working set (GiB) must be from 0.001 to 1024',
    );
    // Only a stress guest must hold its working set: the preset's 1 GiB does not bar a small idle guest.
    expect(resolveScenario('rfc-case-1', { guestGiB: 0.5 }).workingSetGiB).toBe(1);
    expect(rejection(() => resolveScenario('rfc-case-1', { guestGiB: 0.5, workload: 'stress' })).message).toBe(
      'working set (1 GiB) must not exceed the guest size (0.5 GiB)',
    );
    expect(rejection(() => resolveScenario('rfc-case-1', { cpuThrottleInitial: 0 })).message).toBe(
      'cpu-throttle-initial (%) must be from 1 to 99',
    );
    expect(rejection(() => resolveScenario('rfc-case-1', { cpuThrottleIncrement: 2.5 })).message).toBe(
      'cpu-throttle-increment (%) must be an integer',
    );
    expect(rejection(() => resolveScenario('rfc-case-1', { cpuThrottleInitial: 50, maxCpuThrottle: 40 })).message).toBe(
      'max-cpu-throttle (40 %) must be at least cpu-throttle-initial (50 %)',
    );
    expect(rejection(() => resolveScenario('rfc-case-1', { autoConverge: 1 as unknown as boolean })).message).toBe(
      'auto-converge must be true or false',
    );
  });

  it('the guest size sets the page count: 0.0625 GiB = 16384 pages, 0.1 GiB = 26214', () => {
    expect(new Simulation(resolveScenario('rfc-case-1', { guestGiB: 0.0625 })).pageCount).toBe(16384);
    expect(new Simulation(resolveScenario('rfc-case-1', { guestGiB: 0.1 })).pageCount).toBe(26214);
  });
});

describe('scenario files', () => {
  it('a file sets the stress and auto-converge fields', () => {
    const { presetId, overrides } = parseScenarioFile(
      '{"scenario": "rfc-case-1", "workload": "stress", "workingSetGiB": 4, "dirtyMiBs": 400, "pattern": "sequential", "autoConverge": true, "maxCpuThrottle": 80}',
    );
    expect(overrides).toEqual({ workload: 'stress', workingSetGiB: 4, dirtyMiBs: 400, pattern: 'sequential', autoConverge: true, maxCpuThrottle: 80 });
    const s = resolveScenario(presetId, overrides);
    expect(parseScenarioFile(scenarioFileOf(s)).overrides).toMatchObject({ autoConverge: true, cpuThrottleInitial: 20, maxCpuThrottle: 80 });
    expect(() => parseScenarioFile('{"autoConverge": "yes"}')).toThrow('scenario file: auto-converge must be true or false');
  });

  it('a file names a preset and overrides fields; it round-trips', () => {
    const { presetId, overrides } = parseScenarioFile('{"scenario": "rfc-case-1", "mode": "pv", "guestGiB": 16, "seed": 9}');
    expect(presetId).toBe('rfc-case-1');
    expect(overrides).toEqual({ mode: 'pv', guestGiB: 16, seed: 9 });
    const s = resolveScenario(presetId, overrides);
    const back = parseScenarioFile(scenarioFileOf(s));
    expect(resolveScenario(back.presetId, back.overrides)).toEqual(s);
  });

  it('the preset defaults to rfc-case-2', () => {
    expect(parseScenarioFile('{}')).toEqual({ presetId: 'rfc-case-2', overrides: {} });
  });

  it('bad files say what is wrong, naming the file', () => {
    const bad = (text: string) => () => parseScenarioFile(text, 'my.json');
    expect(bad('{"mode": ')).toThrow(/^my.json is not valid JSON/);
    expect(bad('[1, 2]')).toThrow(/my.json must hold one JSON object/);
    expect(bad('{"gib": 4}')).toThrow(/my.json: unknown field "gib"; accepted: scenario, mode, guestGiB/);
    expect(bad('{"scenario": "rfc-case-3"}')).toThrow(/my.json: scenario must be one of rfc-case-1, rfc-case-2/);
    expect(bad('{"guestGiB": -2}')).toThrow(/my.json: guest size \(GiB\) must be from 0.0625 to 1024/);
    expect(bad('{"guestGiB": "8"}')).toThrow(/guest size \(GiB\) must be a number/);
    expect(bad('{"mode": "fast"}')).toThrow(/mode must be one of original, pv/);
    for (const t of ['{"mode": ', '[]', '{"x":1}']) expect(bad(t)).toThrow(ScenarioError);
  });
});

describe('inherited names are not ids (issue 9, defect 1)', () => {
  it('a scenario file naming an inherited profile is rejected, naming the file and the field', () => {
    for (const name of INHERITED_NAMES) {
      const text = JSON.stringify({ profile: name, linkGbps: 10, maxBandwidthMiBs: 1192 });
      expect(() => parseScenarioFile(text, 'evil.json'), name).toThrow(/^evil.json: profile must be one of rfc-2016, wang-2018$/);
      // Without linkGbps the message used to be about link speed: it must still name `profile`.
      expect(() => parseScenarioFile(JSON.stringify({ profile: name }), 'evil.json'), name).toThrow(/evil.json: profile must be/);
    }
  });

  it('resolveScenario, validateScenario, getProfile and the Simulation constructor reject them (no hang)', () => {
    for (const name of INHERITED_NAMES) {
      expect(() => resolveScenario('rfc-case-1', { profile: name }), name).toThrow(/profile must be one of rfc-2016/);
      const s = { ...SCENARIO_PRESETS['rfc-case-1'], guestGiB: 0.0625, profile: name };
      expect(() => validateScenario(s), name).toThrow(/profile must be one of rfc-2016/);
      expect(() => new Simulation(s), name).toThrow(/profile must be one of rfc-2016/);
      expect(() => getProfile(name), name).toThrow(/unknown profile/);
      expect(() => resolveScenario(name), name).toThrow(/unknown scenario/);
      expect(() => validateScenario({ ...s, profile: 'rfc-2016', mode: name }), name).toThrow(/mode must be one of/);
      expect(() => validateScenario({ ...s, profile: 'rfc-2016', workload: name }), name).toThrow(/workload must be one of/);
      expect(isPresetId(name)).toBe(false);
    }
  });

  it('an inherited name as a file key is an unknown field', () => {
    expect(() => parseScenarioFile('{"__proto__": {"mode": "pv"}}', 'f.json')).toThrow(/f.json: unknown field "__proto__"/);
    expect(() => parseScenarioFile('{"toString": 1}', 'f.json')).toThrow(/f.json: unknown field "toString"/);
  });
});

describe('lenient scenario files (issue 9, defect 6)', () => {
  it('a UTF-8 byte order mark is skipped', () => {
    expect(parseScenarioFile('\uFEFF{"mode": "pv"}')).toEqual({ presetId: 'rfc-case-2', overrides: { mode: 'pv' } });
  });

  it('a field given twice is reported, not resolved to the last', () => {
    expect(() => parseScenarioFile('{"mode": "pv", "guestGiB": 4, "mode": "original"}', 'd.json')).toThrow(
      /^d.json: field "mode" given more than once$/,
    );
  });

  it('a text over 1 MiB is refused before parsing', () => {
    expect(MAX_SCENARIO_FILE_BYTES).toBe(1048576);
    const big = `{"mode": "pv"${' '.repeat(MAX_SCENARIO_FILE_BYTES)}}`;
    expect(() => parseScenarioFile(big, 'big.json')).toThrow(/^big.json is larger than 1 MiB/);
    const fits = `{"mode": "pv"${' '.repeat(MAX_SCENARIO_FILE_BYTES - 20)}}`;
    expect(parseScenarioFile(fits).overrides).toEqual({ mode: 'pv' });
  });
});
