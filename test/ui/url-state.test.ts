import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  capNotices,
  capOf,
  DEFAULT_VIEW_STATE,
  parseUrlState,
  scenarioOf,
  serializeUrlState,
  type ViewState,
} from '../../src/ui/url/url-state';
import { UI_MODES } from '../../src/ui/modes';
import { DEFAULT_COMPARE, DEFAULT_SWEEP, single, type View } from '../../src/ui/view';
import { INHERITED_NAMES } from '../inherited-names';

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
      embed: false,
      zoom: null,
      pin: null,
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

  it('profile: a testbed brings its link, maxbw and downtime; round trip; a bad one is reported', () => {
    const link = '?v=1&scenario=rfc-case-1&view=hint&profile=wang-2018';
    const { state, errors } = parseUrlState(link);
    expect(errors).toEqual([]);
    expect(state.overrides).toEqual({ profile: 'wang-2018' });
    expect(scenarioOf(state, 'hint')).toMatchObject({ profile: 'wang-2018', linkGbps: 40, maxBandwidthMiBs: 102400, downtimeMs: 2000 });
    expect(serializeUrlState(state)).toBe(link);
    // A field set away from the testbed's value stays, even when it equals the preset's.
    const ten = parseUrlState('?v=1&profile=wang-2018&link=10').state;
    expect(scenarioOf(ten, 'original').linkGbps).toBe(10);
    expect(serializeUrlState(ten)).toBe('?v=1&profile=wang-2018&link=10');
    expect(parseUrlState('?profile=rfc-2016').state.overrides).toEqual({});
    expect(parseUrlState('?profile=x').errors).toEqual(['profile must be one of rfc-2016, wang-2018 (got "x"); using the default']);
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

  it('view=sweep round trips its settings; defaults are left out', () => {
    const link = '?v=1&scenario=rfc-case-1&view=sweep&x=link-gbps&values=1:100:5:log&modes=original,hint&y=speedup&over=original&seeds=3';
    const { state, errors } = parseUrlState(link);
    expect(errors).toEqual([]);
    expect(state.view).toEqual({
      kind: 'sweep',
      sweep: { param: 'link-gbps', values: '1:100:5:log', modes: ['original', 'hint'], metric: { id: 'speedup', over: 'original' }, seeds: 3 },
    });
    expect(serializeUrlState(state)).toBe(link);
    const plain = parseUrlState('?view=sweep').state;
    expect(plain.view).toEqual({ kind: 'sweep', sweep: DEFAULT_SWEEP });
    expect(serializeUrlState(plain)).toBe('?v=1&view=sweep');
  });

  it('view=sweep: a bad key falls back on its own, with a notice', () => {
    const { state, errors } = parseUrlState('?view=sweep&x=size&values=0:1:2&modes=pv,warp&y=speed&seeds=40&over=pv');
    expect(state.view).toEqual({ kind: 'sweep', sweep: DEFAULT_SWEEP });
    expect(errors).toEqual([
      'x (the sweep\'s parameter) must be one of guest-gib, link-gbps, max-bandwidth-mibs, downtime-ms, dirty-mibs, working-set-gib, settle-ms, hog-percent, seed, cpu-throttle-initial, cpu-throttle-increment, max-cpu-throttle (got "size"); using the default',
      'values: value 0 is out of range: guest-gib takes numbers from 0.0625 to 1024 (got "0:1:2"); using 1:128:8:log',
      'modes (the sweep\'s lines) must be a comma list of original, pv, pagemap, hint, report (got "pv,warp"); using the default',
      'y (the sweep\'s metric) must be one of total-time, downtime, transferred, setup-time, skipped-pages, iterations, speedup (got "speed"); using the default',
      // seeds=40 out of range, and over without y=speedup.
      'and 2 more problems with this link',
    ]);
    // The sweep's keys mean nothing in another view.
    expect(parseUrlState('?view=pv&x=seed').errors).toEqual(['x, values, modes, y, over, seeds set up view=sweep; ignored']);
  });

  it('hog: the after-hog guest\'s hog share round trips, 97 is the default, out of range is a notice', () => {
    const { state, errors } = parseUrlState('?v=1&hog=50');
    expect(errors).toEqual([]);
    expect(scenarioOf(state, 'pv').hogPercent).toBe(50);
    expect(serializeUrlState(state)).toBe('?v=1&hog=50');
    expect(serializeUrlState(parseUrlState('?hog=97').state)).toBe('');
    expect(parseUrlState('?hog=101').errors).toEqual([
      'hog (% of RAM the after-hog memory hog touched) must be from 0 to 100 (got "101"); using the default',
    ]);
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
    // Six problems: four lines, and a fifth counting the rest (capped at five lines).
    expect(errors).toHaveLength(5);
    expect(errors.join('\n')).toMatch(/scenario must be one of rfc-case-1, rfc-case-2 \(got "rfc-case-9"\)/);
    expect(errors.join('\n')).toMatch(/gib \(guest size, GiB\) must be from 0.0625 to 1024 \(got "-4"\)/);
    expect(errors.join('\n')).toMatch(/seed must be an integer/);
    expect(errors.join('\n')).toMatch(/unknown link field "foo"/);
    expect(errors[4]).toBe('and 2 more problems with this link');
  });

  it('an unknown version is said and read as the current one', () => {
    const { state, errors } = parseUrlState('?v=7&view=pv');
    expect(state.view).toEqual(single('pv'));
    expect(errors).toEqual(['link version v=7 is not known; read as v=1']);
  });

  it('tracking parameters are ignored without a notice', () => {
    const { state, errors } = parseUrlState('?view=pv&utm_source=newsletter&utm_medium=email&fbclid=IwAR0abc&gclid=xyz');
    expect(state.view).toEqual(single('pv'));
    expect(errors).toEqual([]);
  });

  it('notices are merged, cut to 40 characters and capped at five lines', () => {
    const long = 'x'.repeat(300);
    expect(parseUrlState(`?gib=${long}`).errors).toEqual([
      `gib (guest size, GiB) must be a decimal number (got "${'x'.repeat(39)}…"); using the default`,
    ]);
    // The same unknown field three times is one line.
    expect(parseUrlState('?foo=1&foo=2&foo=3').errors).toEqual(['unknown link field "foo" ignored (3 times)']);
    const junk = Array.from({ length: 12 }, (_, i) => `junk${i}=1`).join('&');
    const errors = parseUrlState(`?${junk}`).errors;
    expect(errors).toHaveLength(5);
    expect(errors.slice(0, 4)).toEqual([0, 1, 2, 3].map((i) => `unknown link field "junk${i}" ignored`));
    expect(errors[4]).toBe('and 8 more problems with this link');
    expect(capNotices(['a', 'b', 'a'])).toEqual(['a (2 times)', 'b']);
  });

  it('embed=1 is read and written back', () => {
    expect(parseUrlState('?embed=1').state.embed).toBe(true);
    expect(serializeUrlState({ ...DEFAULT_VIEW_STATE, embed: true })).toBe('?v=1&embed=1');
    expect(parseUrlState('?embed=yes').errors).toEqual(['embed must be 0 or 1 (got "yes"); using the default']);
  });

  it('the zoom window is from + pages; a bad one is said and the whole guest shown', () => {
    expect(parseUrlState('?from=524288&pages=4096')).toEqual({
      state: { ...DEFAULT_VIEW_STATE, zoom: { first: 524288, count: 4096 } },
      errors: [],
    });
    expect(serializeUrlState({ ...DEFAULT_VIEW_STATE, zoom: { first: 0, count: 1024 } })).toBe('?v=1&pages=1024');
    expect(serializeUrlState({ ...DEFAULT_VIEW_STATE, zoom: { first: 512, count: 1024 }, pin: 700 })).toBe(
      '?v=1&from=512&pages=1024&pin=700',
    );
    expect(parseUrlState('?pin=700').state.pin).toBe(700);
    const bad = parseUrlState('?from=7&pages=12');
    expect(bad.state.zoom).toBeNull();
    expect(bad.errors).toEqual([
      'pages (pages the zoomed map shows) must be from 256 to 268435456 (got "12"); using the default',
      'from needs pages (how many pages the zoomed map shows); ignored',
    ]);
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
      embed: fc.boolean(),
      zoom: fc.option(fc.record({ first: fc.integer({ min: 0, max: 2 ** 21 }), count: fc.integer({ min: 256, max: 2 ** 21 }) })),
      pin: fc.option(fc.integer({ min: 0, max: 2 ** 21 })),
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
          `view must be one of original, pv, pagemap, hint, report, compare, sweep (got "${name}"); using the default`,
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

describe('strict links (issue 9)', () => {
  it('hex, binary and octal numbers are reported and fall back, not read as 16', () => {
    const { state, errors } = parseUrlState('?gib=0x10&seed=0b11&link=0o7');
    expect(state.overrides).toEqual({});
    expect(errors).toEqual([
      'gib (guest size, GiB) must be a decimal number (got "0x10"); using the default',
      'link (Gbit/s) must be a decimal number (got "0o7"); using the default',
      'seed must be a decimal number (got "0b11"); using the default',
    ]);
  });

  it('an empty value is reported, not read as 0', () => {
    const { state, errors } = parseUrlState('?seed=&t=');
    expect(state.overrides.seed).toBeUndefined();
    expect(state.timeMs).toBe(0);
    expect(errors).toEqual([
      'seed must be a decimal number (got ""); using the default',
      't (simulated ms) must be a decimal number (got ""); using the default',
    ]);
  });

  it('decimals with a fraction or an exponent are read', () => {
    expect(parseUrlState('?gib=0.5&maxbw=1e3').state.overrides).toEqual({ guestGiB: 0.5, maxBandwidthMiBs: 1000 });
  });

  it('inherited names are unknown fields', () => {
    for (const name of INHERITED_NAMES) {
      expect(parseUrlState(`?${name}=1`).errors, name).toEqual([`unknown link field "${name}" ignored`]);
    }
  });

  it('a field given twice is reported and the first value applies', () => {
    const { state, errors } = parseUrlState('?gib=2&gib=4&gib=8&view=pv');
    expect(state.overrides.guestGiB).toBe(2);
    expect(errors).toEqual(['link field "gib" given 3 times; using the first']);
  });

  it('an unknown field repeated gives one notice', () => {
    expect(parseUrlState('?foo=1&foo=2&foo=3').errors).toEqual(['unknown link field "foo" ignored (3 times)']);
  });
});
