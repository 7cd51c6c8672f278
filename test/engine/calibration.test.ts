import { describe, expect, it } from 'vitest';
import { publishedCells, trustLabel } from '../../src/engine/calibration';
import { resolveScenario } from '../../src/engine/scenario';

describe('published cells (src/data)', () => {
  const cells = publishedCells();
  it('has the RFC table (8 cells: 4 times with their KB) and the v29 row of the Wang letters (4 times)', () => {
    expect(cells.map((c) => `${c.table}: ${c.label}`)).toEqual([
      'rfc-2016: case 1, original',
      'rfc-2016: case 1, pv',
      'rfc-2016: case 2, original',
      'rfc-2016: case 2, pv',
      'wang-2018: idle, legacy (v29)',
      'wang-2018: idle, hinting (v29)',
      'wang-2018: kernel build, legacy (v29)',
      'wang-2018: kernel build, hinting (v29)',
    ]);
    expect(cells.map((c) => c.publishedMs)).toEqual([1894, 421, 7436, 552, 1769, 261, 2634, 1260]);
  });

  it('two cells per testbed calibrate a constant, the others are predicted', () => {
    expect(cells.filter((c) => c.role === 'calibrates').map((c) => `${c.table} ${c.calibrates}`)).toEqual([
      'rfc-2016 zeroPageNs',
      'rfc-2016 setupFixedMs',
      'wang-2018 zeroPageNs',
      'wang-2018 setupFixedMs',
    ]);
  });

  it('the Wang cells run on wang-2018 with its defaults: 2 s downtime, migrate_set_speed 100G, loopback', () => {
    const s = cells[4].scenario;
    expect([s.profile, s.downtimeMs, s.maxBandwidthMiBs, s.linkGbps, s.guestGiB]).toEqual(['wang-2018', 2000, 102400, 40, 8]);
    expect(cells[6].scenario.workload).toBe('kernel-compile');
    expect(cells[4].spread?.map((x) => x.ms)).toEqual([1769, 1757, 1757, 1757]);
  });
});

describe('trustLabel', () => {
  const label = (preset: string, o = {}) => trustLabel(resolveScenario(preset, o));
  it('a cell a constant came from is calibrated', () => {
    expect(label('rfc-case-1')).toEqual({ kind: 'calibrated', text: 'calibrated: RFC 2016 testbed, 8 GiB' });
    expect(label('rfc-case-1', { mode: 'hint', profile: 'wang-2018' }).text).toBe('calibrated: Wang 2018 testbed, 8 GiB');
  });
  it('a published cell nothing was fitted to is predicted, with its published time', () => {
    expect(label('rfc-case-2', { mode: 'pv' })).toEqual({ kind: 'predicted', text: 'predicted: RFC 2016 testbed, 8 GiB, published 552 ms' });
    expect(label('rfc-case-1', { profile: 'wang-2018', workload: 'kernel-compile' }).kind).toBe('predicted');
  });
  it('a measured mode on another guest, workload or setting is extrapolated, saying how far', () => {
    expect(label('rfc-case-2', { mode: 'pv', guestGiB: 128 }).text).toBe('extrapolated: 16× the calibrated guest size');
    expect(label('rfc-case-1', { guestGiB: 2 }).text).toBe('extrapolated: 1/4 of the calibrated guest size');
    expect(label('rfc-case-1', { workload: 'stress' }).text).toBe(
      'extrapolated: workload stress never measured (measured: idle-boot, after-hog)',
    );
    expect(label('rfc-case-1', { linkGbps: 1, downtimeMs: 500 }).text).toBe(
      'extrapolated: link 1 Gbit/s (measured at 10); downtime limit 500 ms (measured at 300)',
    );
    expect(label('rfc-case-1', { autoConverge: true }).text).toBe('extrapolated: auto-converge on (never measured)');
    expect(label('rfc-case-2', { mode: 'pv', settleMs: 30_000 }).text).toBe('extrapolated: guest settled 30 s (measured at once)');
    // The seed is not part of the experiment.
    expect(label('rfc-case-1', { seed: 7 }).kind).toBe('calibrated');
  });
  it('a mode nobody measured on that testbed is mechanism only', () => {
    expect(label('rfc-case-1', { mode: 'pagemap' })).toEqual({
      kind: 'mechanism-only',
      text: 'mechanism only: no published measurement of pagemap on the RFC 2016 testbed',
    });
    expect(label('rfc-case-2', { mode: 'report', guestGiB: 64 }).kind).toBe('mechanism-only');
    expect(label('rfc-case-1', { mode: 'hint' }).kind).toBe('mechanism-only');
    expect(label('rfc-case-1', { mode: 'pv', profile: 'wang-2018' }).kind).toBe('mechanism-only');
  });
});
