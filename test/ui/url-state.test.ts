import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  capOf,
  DEFAULT_VIEW_STATE,
  parseUrlState,
  scenarioOf,
  serializeUrlState,
  type ViewState,
} from '../../src/ui/url/url-state';
import { UI_MODES } from '../../src/ui/modes';
import { DEFAULT_COMPARE, single, type View } from '../../src/ui/view';

describe('URL view state', () => {
  it('the default view is the bare address', () => {
    expect(serializeUrlState(DEFAULT_VIEW_STATE)).toBe('');
    expect(parseUrlState('')).toEqual({ state: DEFAULT_VIEW_STATE, errors: [] });
  });

  it('reads every field of a full link', () => {
    const { state, errors } = parseUrlState(
      '?v=1&scenario=rfc-case-1&view=compare&gib=16&workload=running&link=25&maxbw=4000&downtime=50&seed=7&speed=0.25&t=1250.5&play=1&present=1',
    );
    expect(errors).toEqual([]);
    expect(state).toEqual({
      presetId: 'rfc-case-1',
      view: DEFAULT_COMPARE,
      overrides: { guestGiB: 16, workload: 'running', linkGbps: 25, maxBandwidthMiBs: 4000, downtimeMs: 50, seed: 7 },
      speed: 0.25,
      timeMs: 1250.5,
      autoplay: true,
      present: true,
    });
    expect(scenarioOf(state, 'pv')).toMatchObject({ id: 'rfc-case-1', mode: 'pv', guestGiB: 16, seed: 7, linkGbps: 25 });
  });

  it('settle is the settle time in ms, round trip; out of range is reported', () => {
    const { state, errors } = parseUrlState('?v=1&view=report&settle=30000');
    expect(errors).toEqual([]);
    expect(state.overrides.settleMs).toBe(30000);
    expect(scenarioOf(state, 'report').settleMs).toBe(30000);
    expect(serializeUrlState(state)).toBe('?v=1&view=report&settle=30000');
    const bad = parseUrlState('?settle=-5');
    expect(bad.state.overrides.settleMs).toBeUndefined();
    expect(bad.errors).toEqual(['settle (ms before the migration) must be from 0 to 600000 (got "-5"); using the default']);
  });

  it('the stress workload and auto-converge round trip: ws, dirty, pattern, ac, ac-initial, ac-increment, ac-max', () => {
    const link = '?v=1&workload=stress&ws=4&dirty=400&pattern=sequential&link=1&ac=1&ac-initial=30&ac-increment=20&ac-max=90';
    const { state, errors } = parseUrlState(link);
    expect(errors).toEqual([]);
    expect(state.overrides).toEqual({
      workload: 'stress',
      workingSetGiB: 4,
      dirtyMiBs: 400,
      pattern: 'sequential',
      linkGbps: 1,
      autoConverge: true,
      cpuThrottleInitial: 30,
      cpuThrottleIncrement: 20,
      maxCpuThrottle: 90,
    });
    expect(scenarioOf(state, 'original')).toMatchObject({ workload: 'stress', dirtyMiBs: 400, autoConverge: true, maxCpuThrottle: 90 });
    expect(serializeUrlState(state)).toBe(link);
    // Values equal to the preset's are left out: ac=0, the default 1 GiB working set.
    expect(serializeUrlState(parseUrlState('?ac=0&ws=1&dirty=100&pattern=random').state)).toBe('');
  });

  it('a bad stress or throttle field is reported on its own', () => {
    const { state, errors } = parseUrlState('?workload=stress&dirty=-1&pattern=zigzag&ac=yes&ac-initial=20.5&ac-max=100');
    expect(state.overrides).toEqual({ workload: 'stress' });
    expect(errors).toEqual([
      'dirty (stress dirty rate, MiB/s) must be from 0 to 16384 (got "-1"); using the default',
      'pattern must be one of random, sequential (got "zigzag"); using the default',
      'ac (auto-converge) must be 0 or 1 (got "yes"); using the default',
      'ac-initial (cpu-throttle-initial, %) must be an integer (got "20.5"); using the default',
      'ac-max (max-cpu-throttle, %) must be from 1 to 99 (got "100"); using the default',
    ]);
  });

  it('t goes up to the run\'s simulation cap, not a fixed 600 s', () => {
    // An hour for the RFC guest on 10 GbE; three passes at 0.1 Gbit/s for a 64 GiB guest.
    expect(capOf(DEFAULT_VIEW_STATE)).toBe(3_600_000);
    expect(parseUrlState('?t=3000000').state.timeMs).toBe(3_000_000);
    const big = parseUrlState('?gib=64&link=0.1&t=17000000');
    expect(big.errors).toEqual([]);
    expect(capOf(big.state)).toBe(17_518_000);
    expect(big.state.timeMs).toBe(17_000_000);
    const over = parseUrlState('?t=3600001');
    expect(over.state.timeMs).toBe(0);
    expect(over.errors).toEqual(['t (simulated ms) must be from 0 to 3600000, this run\'s simulation cap (got "3600001"); using the default']);
  });

  it('speed max means as fast as the engine runs', () => {
    expect(parseUrlState('speed=max').state.speed).toBe(Number.POSITIVE_INFINITY);
    expect(serializeUrlState({ ...DEFAULT_VIEW_STATE, speed: Number.POSITIVE_INFINITY })).toBe('?v=1&speed=max');
  });

  it('a bad field is reported and falls back to its default; the rest still applies', () => {
    const { state, errors } = parseUrlState('?scenario=rfc-case-9&gib=-4&seed=1.5&view=pv&t=abc&play=yes&foo=1');
    expect(state.presetId).toBe('rfc-case-2');
    expect(state.view).toEqual(single('pv'));
    expect(state.overrides).toEqual({});
    expect(state.timeMs).toBe(0);
    expect(state.autoplay).toBe(false);
    expect(errors).toHaveLength(6);
    expect(errors.join('\n')).toMatch(/scenario must be one of rfc-case-1, rfc-case-2 \(got "rfc-case-9"\)/);
    expect(errors.join('\n')).toMatch(/gib \(guest size, GiB\) must be from 0.0625 to 1024 \(got "-4"\)/);
    expect(errors.join('\n')).toMatch(/seed must be an integer/);
    expect(errors.join('\n')).toMatch(/unknown link field "foo"/);
  });

  it('an unknown version is said and read as the current one', () => {
    const { state, errors } = parseUrlState('?v=7&view=pv');
    expect(state.view).toEqual(single('pv'));
    expect(errors).toEqual(['link version v=7 is not known; read as v=1']);
  });

  it('overrides equal to the preset are left out', () => {
    expect(parseUrlState('?gib=8&seed=1').state.overrides).toEqual({});
    expect(serializeUrlState({ ...DEFAULT_VIEW_STATE, overrides: { guestGiB: 8, seed: 3 } })).toBe('?v=1&seed=3');
  });

  it('round-trips any valid state', () => {
    const arb: fc.Arbitrary<ViewState> = fc.record({
      presetId: fc.constantFrom('rfc-case-1' as const, 'rfc-case-2' as const),
      view: fc.oneof(
        fc.constantFrom(...UI_MODES).map(single),
        fc
          .tuple(fc.constantFrom(...UI_MODES), fc.constantFrom(...UI_MODES))
          .filter(([a, b]) => a !== b)
          .map(([a, b]): View => ({ kind: 'compare', a, b })),
      ),
      overrides: fc.record(
        {
          guestGiB: fc.constantFrom(0.5, 1, 16, 128),
          workload: fc.constantFrom('idle-boot' as const, 'after-hog' as const, 'running' as const, 'stress' as const),
          dirtyMiBs: fc.constantFrom(0, 50, 400),
          pattern: fc.constantFrom('sequential' as const),
          autoConverge: fc.constant(true),
          maxCpuThrottle: fc.constantFrom(40, 80),
          linkGbps: fc.constantFrom(1, 25, 100),
          seed: fc.integer({ min: 2, max: 2 ** 32 - 1 }),
        },
        { requiredKeys: [] },
      ),
      speed: fc.constantFrom(0.01, 0.1, 1, 25, Number.POSITIVE_INFINITY),
      timeMs: fc.integer({ min: 0, max: 600_000 }),
      autoplay: fc.boolean(),
      present: fc.boolean(),
    });
    fc.assert(
      fc.property(arb, (s) => {
        const back = parseUrlState(serializeUrlState(s));
        expect(back.errors).toEqual([]);
        const expected = { ...s, overrides: { ...s.overrides } };
        const preset = scenarioOf({ ...s, overrides: {} }, 'original');
        if (expected.overrides.workload === preset.workload) delete expected.overrides.workload;
        expect(back.state).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  describe('compare any two modes: a and b', () => {
    const compare = (a: string, b: string) => ({ kind: 'compare', a, b });

    it('view=compare alone is Original vs PV, and writes no a or b', () => {
      expect(parseUrlState('?view=compare')).toEqual({ state: { ...DEFAULT_VIEW_STATE, view: DEFAULT_COMPARE }, errors: [] });
      expect(serializeUrlState({ ...DEFAULT_VIEW_STATE, view: DEFAULT_COMPARE })).toBe('?v=1&view=compare');
    });

    it('reads both sides and writes them back', () => {
      const { state, errors } = parseUrlState('?view=compare&a=pv&b=hint');
      expect(errors).toEqual([]);
      expect(state.view).toEqual(compare('pv', 'hint'));
      expect(serializeUrlState(state)).toBe('?v=1&view=compare&a=pv&b=hint');
    });

    it('a missing side takes the default pair\'s side, or the other one when that is taken', () => {
      expect(parseUrlState('?view=compare&b=hint').state.view).toEqual(compare('original', 'hint'));
      expect(parseUrlState('?view=compare&a=hint').state.view).toEqual(compare('hint', 'pv'));
      expect(parseUrlState('?view=compare&a=pv').state.view).toEqual(compare('pv', 'original'));
      expect(parseUrlState('?view=compare&b=original').state.view).toEqual(compare('pv', 'original'));
    });

    it('the same mode twice is reported and falls back to Original vs PV', () => {
      const { state, errors } = parseUrlState('?view=compare&a=hint&b=hint');
      expect(state.view).toEqual(DEFAULT_COMPARE);
      expect(errors).toEqual(['a and b must be two different modes (got both "hint"); comparing Original vs PV']);
    });

    it('an unknown mode on either side is reported and falls back to Original vs PV', () => {
      const { state, errors } = parseUrlState('?view=compare&a=pagemap&b=bogus');
      expect(state.view).toEqual(DEFAULT_COMPARE);
      expect(errors).toEqual([
        'b (right mode of view=compare) must be one of original, pv, pagemap, hint, report (got "bogus"); comparing Original vs PV',
      ]);
    });

    it('inherited names are not modes or fields: __proto__, toString, constructor', () => {
      for (const name of ['__proto__', 'toString', 'constructor', 'hasOwnProperty']) {
        const a = parseUrlState(`?view=compare&a=${name}&b=hint`);
        expect(a.state.view).toEqual(DEFAULT_COMPARE);
        expect(a.errors).toEqual([
          `a (left mode of view=compare) must be one of original, pv, pagemap, hint, report (got "${name}"); comparing Original vs PV`,
        ]);
        const v = parseUrlState(`?view=${name}`);
        expect(v.state.view).toEqual(DEFAULT_VIEW_STATE.view);
        expect(v.errors).toEqual([
          `view must be one of original, pv, pagemap, hint, report, compare (got "${name}"); using the default`,
        ]);
        expect(parseUrlState(`?${name}=1`).errors).toEqual([`unknown link field "${name}" ignored`]);
      }
    });

    it('a and b without view=compare are reported and ignored', () => {
      const { state, errors } = parseUrlState('?view=hint&a=pv&b=original');
      expect(state.view).toEqual(single('hint'));
      expect(errors).toEqual(['a and b choose the two modes of view=compare; ignored']);
    });
  });
});
