import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_VIEW_STATE,
  parseUrlState,
  scenarioOf,
  serializeUrlState,
  type ViewState,
} from '../../src/ui/url/url-state';
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
      view: 'compare',
      overrides: { guestGiB: 16, workload: 'running', linkGbps: 25, maxBandwidthMiBs: 4000, downtimeMs: 50, seed: 7 },
      speed: 0.25,
      timeMs: 1250.5,
      autoplay: true,
      present: true,
    });
    expect(scenarioOf(state, 'pv')).toMatchObject({ id: 'rfc-case-1', mode: 'pv', guestGiB: 16, seed: 7, linkGbps: 25 });
  });

  it('speed max means as fast as the engine runs', () => {
    expect(parseUrlState('speed=max').state.speed).toBe(Number.POSITIVE_INFINITY);
    expect(serializeUrlState({ ...DEFAULT_VIEW_STATE, speed: Number.POSITIVE_INFINITY })).toBe('?v=1&speed=max');
  });

  it('a bad field is reported and falls back to its default; the rest still applies', () => {
    const { state, errors } = parseUrlState('?scenario=rfc-case-9&gib=-4&seed=1.5&view=pv&t=abc&play=yes&foo=1');
    expect(state.presetId).toBe('rfc-case-2');
    expect(state.view).toBe('pv');
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
    expect(state.view).toBe('pv');
    expect(errors).toEqual(['link version v=7 is not known; read as v=1']);
  });

  it('overrides equal to the preset are left out', () => {
    expect(parseUrlState('?gib=8&seed=1').state.overrides).toEqual({});
    expect(serializeUrlState({ ...DEFAULT_VIEW_STATE, overrides: { guestGiB: 8, seed: 3 } })).toBe('?v=1&seed=3');
  });

  it('round-trips any valid state', () => {
    const arb: fc.Arbitrary<ViewState> = fc.record({
      presetId: fc.constantFrom('rfc-case-1' as const, 'rfc-case-2' as const),
      view: fc.constantFrom('original' as const, 'pv' as const, 'pagemap' as const, 'compare' as const),
      overrides: fc.record(
        {
          guestGiB: fc.constantFrom(0.5, 1, 16, 128),
          workload: fc.constantFrom('idle-boot' as const, 'after-hog' as const, 'running' as const),
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
    expect(parseUrlState('?foo=1&foo=2&foo=3').errors).toEqual(['unknown link field "foo" ignored']);
  });
});
