import { describe, expect, it } from 'vitest';
import { SCENARIO_PRESETS } from '../../src/engine/scenario';
import { inputsOf, resolveInputs } from '../../src/ui/state/scenario-inputs';

describe('resolveInputs (issue 9: strict numbers)', () => {
  const inputs = { ...inputsOf(SCENARIO_PRESETS['rfc-case-1']), guestGiB: '0.5', linkGbps: '10', seed: '3' };

  it('reads decimals', () => {
    const r = resolveInputs('rfc-case-1', 'pv', { ...inputs, linkGbps: '2.5e1' });
    expect(r.ok && [r.scenario.guestGiB, r.scenario.linkGbps, r.scenario.seed]).toEqual([0.5, 25, 3]);
  });

  it('hex, binary and blank are not numbers', () => {
    expect(resolveInputs('rfc-case-1', 'pv', { ...inputs, guestGiB: '0x1' })).toEqual({ ok: false, errors: { guestGiB: 'Guest size (GiB) must be a number.' } });
    expect(resolveInputs('rfc-case-1', 'pv', { ...inputs, seed: '0b1' })).toEqual({ ok: false, errors: { seed: 'Seed must be a number.' } });
    expect(resolveInputs('rfc-case-1', 'pv', { ...inputs, linkGbps: ' ' })).toEqual({ ok: false, errors: { linkGbps: 'Link speed (Gbit/s) must be a number.' } });
  });
});

describe('hogPercent input', () => {
  const hog = inputsOf(SCENARIO_PRESETS['rfc-case-2']);

  it('after-hog: read and checked like every field', () => {
    expect(hog.hogPercent).toBe('97');
    const r = resolveInputs('rfc-case-2', 'pv', { ...hog, hogPercent: '50' });
    expect(r.ok && r.scenario.hogPercent).toBe(50);
    expect(resolveInputs('rfc-case-2', 'pv', { ...hog, hogPercent: '101' })).toEqual({
      ok: false,
      errors: { hogPercent: 'hog percent (% of RAM the memory hog touched) must be from 0 to 100.' },
    });
  });

  it('another workload: the hidden field keeps the running value and never blocks a load', () => {
    const r = resolveInputs('rfc-case-1', 'pv', { ...inputsOf(SCENARIO_PRESETS['rfc-case-1']), hogPercent: '101' });
    expect(r.ok && r.scenario.hogPercent).toBe(97);
  });
});
