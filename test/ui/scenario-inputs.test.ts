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
