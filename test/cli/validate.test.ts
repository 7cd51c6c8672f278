import { describe, expect, it } from 'vitest';
import { renderValidation, validate } from '../../src/cli/validate';

// Eight 8 GiB runs, ~1 s in all.
const rows = validate();
const byCell = (table: string, cell: string) => {
  const r = rows.find((x) => x.table === table && x.cell === cell);
  if (!r) throw new Error(`no row ${table} ${cell}`);
  return r;
};

describe('npm run validate', () => {
  it('the v29 idle cells within 10 %, both kernel-build cells within 25 %', () => {
    expect(Math.abs(byCell('wang-2018', 'idle, legacy (v29)').timeErrorPct)).toBeLessThanOrEqual(10);
    expect(Math.abs(byCell('wang-2018', 'idle, hinting (v29)').timeErrorPct)).toBeLessThanOrEqual(10);
    expect(Math.abs(byCell('wang-2018', 'kernel build, legacy (v29)').timeErrorPct)).toBeLessThanOrEqual(25);
    expect(Math.abs(byCell('wang-2018', 'kernel build, hinting (v29)').timeErrorPct)).toBeLessThanOrEqual(25);
  });

  it('says which cells miss their goal: RFC case 2 pv', () => {
    expect(rows.filter((r) => !r.withinGoal).map((r) => `${r.table} ${r.cell}`)).toEqual(['rfc-2016 case 2, pv']);
    expect(rows.every((r) => r.verified)).toBe(true);
  });

  it('renders calibrating cells with a star and the constant, misses as MISS, the other revisions beside', () => {
    const text = renderValidation(rows);
    expect(text).toContain('* zeroPageNs');
    expect(text).toContain('MISS ±5%');
    expect(text).toContain('v30 1769, v33 1757, v34 1757, v36 1757');
  });
});
