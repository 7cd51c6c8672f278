import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseFlags, SCENARIO_FLAGS, scenarioFromFlags } from '../../src/cli/args';
import { checkCase, FUZZ_GUEST_GIB, makeCase, simCommand } from '../../src/cli/fuzz-core';
import { LIMITS, MODE_IDS, resolveScenario, WORKLOAD_IDS } from '../../src/engine/index';

describe('fuzz cases', () => {
  it('are always valid scenarios, even at the smallest guest (a case that cannot be built is no test)', () => {
    // makeCase validates through resolveScenario: an out-of-range draw throws here.
    for (const seed of [1, 7, 20261201]) for (let i = 0; i < 2000; i++) expect(() => makeCase(seed, i)).not.toThrow();
  });

  it('are valid, reproducible from (seed, index), and cover every mode and workload', () => {
    const cases = Array.from({ length: 300 }, (_, i) => makeCase(7, i));
    expect(makeCase(7, 12)).toEqual(cases[12]);
    expect(makeCase(8, 12)).not.toEqual(cases[12]);
    for (const c of cases) {
      const s = c.scenario;
      expect(s.guestGiB).toBeGreaterThanOrEqual(FUZZ_GUEST_GIB.min);
      expect(s.guestGiB).toBeLessThanOrEqual(2);
      expect(s.linkGbps).toBeGreaterThanOrEqual(LIMITS.linkGbps.min);
      expect(s.downtimeMs).toBeLessThanOrEqual(LIMITS.downtimeMs.max);
      expect(c.sliceFractions.length).toBeGreaterThan(0);
      for (const f of c.sliceFractions) expect(f >= 1e-4 && f <= 0.5).toBe(true);
    }
    expect(new Set(cases.map((c) => c.scenario.mode))).toEqual(new Set(MODE_IDS));
    expect(new Set(cases.map((c) => c.scenario.workload))).toEqual(new Set(WORKLOAD_IDS));
  });

  it('simCommand names every field: its flags give back the very scenario', () => {
    for (let i = 0; i < 200; i++) {
      const { scenario } = makeCase(20261201, i);
      const argv = simCommand(scenario).split(' ').slice(5); // after "npm run -s sim --"
      expect(scenarioFromFlags(parseFlags(argv, SCENARIO_FLAGS))).toEqual(scenario);
    }
  });
});

describe('checkCase', () => {
  const base = (over: Parameters<typeof resolveScenario>[1]) => ({
    index: 0,
    scenario: resolveScenario('rfc-case-1', { guestGiB: 0.0625, ...over }),
    sliceFractions: [0.003, 0.1],
  });

  it('a sound run passes', () => {
    expect(checkCase(base({ mode: 'pv', workload: 'running' }))).toEqual({ index: 0, outcome: 'completed', detail: '' });
  });

  it('catches a broken engine: no dirty log loses pages the running guest writes', () => {
    const r = checkCase(base({ mode: 'original', workload: 'running' }), { faults: { noDirtyLog: true } });
    expect(r.outcome).toBe('verification');
    expect(r.detail).toMatch(/^\d+ of \d+ pages differ, first pfn \d+$/);
  });

  it('a run that never converges is a normal outcome, with its reason', () => {
    const r = checkCase(base({ workload: 'running', maxBandwidthMiBs: 1, downtimeMs: 1 }));
    expect(r.outcome).toBe('failed');
  });
});

describe('npm run fuzz', () => {
  it('prints counts by outcome and the throughput; exit 0 without problems', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/fuzz.ts', '--count', '4', '--jobs', '2', '--seed', '3'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^fuzz: 4 scenarios, seed 3, 2 jobs, \d+\.\d s \(\d+\.\d scenarios\/s\)$/);
    expect(lines[1]).toMatch(/^outcomes: completed \d, failed \d$/);
    expect(lines[2]).toMatch(/^problems: none/);
  }, 120_000);

  it('bad flags exit 2 with one line', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/fuzz.ts', '--count', '0x10'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: --count "0x10" is not a decimal number: an integer from 1 to 10000000\n');
  });
});
