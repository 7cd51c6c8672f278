import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../src/engine/scenario';
import { Simulation } from '../../src/engine/simulation';
import { MODE_IDS } from '../../src/engine/migration/modes';
import type { ModeId, QueryMigrate, Scenario } from '../../src/engine/types';
import { summaryText } from '../../src/ui/components/CompareView';
import { chartsCaption, pageMapCaption } from '../../src/ui/export/export-actions';
import { statsToCsv } from '../../src/ui/export/exports';
import { SHORTCUTS } from '../../src/ui/hooks/use-shortcuts';
import { MODE_UI, modeColor, modeOfKey, parseModeId, UI_MODES } from '../../src/ui/modes';
import { publishedFor } from '../../src/ui/published';
import { darkTheme, lightTheme } from '../../src/ui/theme';
import { DEFAULT_COMPARE, sameView, single, viewLabel, viewModes, viewSlug } from '../../src/ui/view';

const run = (mode: ModeId, o: Partial<Scenario> = {}): QueryMigrate =>
  new Simulation(resolveScenario('rfc-case-2', { mode, guestGiB: 0.25, ...o })).runToEnd();

describe('the mode table', () => {
  it('has one row per engine mode, in the engine order', () => {
    expect(UI_MODES).toEqual(MODE_IDS);
    expect(Object.keys(MODE_UI)).toEqual([...MODE_IDS]);
    expect(UI_MODES.map((m) => MODE_UI[m].label)).toEqual(['Original', 'PV', 'Pagemap', 'Hinting', 'Reporting']);
  });

  it('keys, labels and hues are distinct, and no mode key takes another shortcut', () => {
    const keys = UI_MODES.map((m) => MODE_UI[m].key);
    expect(keys).toEqual(['o', 'p', 'm', 'h', 'e']);
    expect(new Set(UI_MODES.map((m) => MODE_UI[m].label)).size).toBe(UI_MODES.length);
    for (const t of [darkTheme, lightTheme]) expect(new Set(UI_MODES.map((m) => modeColor(t, m))).size).toBe(UI_MODES.length);
    const others = SHORTCUTS.flatMap((s) => s.keys).filter((k) => !keys.includes(k.toLowerCase()));
    for (const k of keys) expect(others.map((o) => o.toLowerCase())).not.toContain(k);
    // Each mode key is in the ? overlay, with the row's line.
    for (const m of UI_MODES) expect(SHORTCUTS).toContainEqual({ keys: [MODE_UI[m].key.toUpperCase()], action: MODE_UI[m].shortcut });
    expect(modeOfKey('H')).toBe('hint');
    expect(modeOfKey('x')).toBeNull();
  });

  it('only own names are modes: toString, __proto__ and constructor are not', () => {
    for (const m of UI_MODES) expect(parseModeId(m)).toBe(m);
    for (const bad of ['toString', '__proto__', 'constructor', 'hasOwnProperty', 'compare', '', 'PV']) expect(parseModeId(bad)).toBeNull();
  });

  it("every stats row reads a numeric counter of the mode's own runs, and that counter moves", () => {
    for (const m of UI_MODES) {
      const q = run(m);
      for (const r of MODE_UI[m].stats) expect(typeof q.migviz[r.key], `${m} ${r.key}`).toBe('number');
    }
    // What each mode skips shows in its own row: 0.25 GiB after a memory hog.
    expect(run('pv').migviz['skipped-free-pages']).toBeGreaterThan(0);
    expect(run('hint').migviz['hinted-pages']).toBeGreaterThan(0);
  });

  it('the virtqueue view says why it is idle in the modes that never ask the guest', () => {
    expect(UI_MODES.filter((m) => MODE_UI[m].vqIdle !== null)).toEqual(['original', 'pagemap']);
    // The modes that ask the guest do move buffers through the queue.
    for (const m of ['pv', 'hint'] as const) expect(run(m).migviz['virtqueue-buffers']).toBeGreaterThan(1);
  });
});

describe('views', () => {
  it('name their modes', () => {
    expect(viewModes(single('hint'))).toEqual(['hint']);
    expect(viewModes({ kind: 'compare', a: 'hint', b: 'pagemap' })).toEqual(['hint', 'pagemap']);
    expect(viewLabel(DEFAULT_COMPARE)).toBe('Original vs PV');
    expect(viewSlug({ kind: 'compare', a: 'hint', b: 'pagemap' })).toBe('compare-hint-pagemap');
    expect(sameView(single('pv'), single('pv'))).toBe(true);
    expect(sameView(DEFAULT_COMPARE, { kind: 'compare', a: 'pv', b: 'original' })).toBe(false);
  });
});

describe('export labels', () => {
  for (const m of UI_MODES) {
    it(`${m}: page-map and chart captions carry the label "${MODE_UI[m].label}"`, () => {
      expect(pageMapCaption(m, 552.4)).toBe(`${MODE_UI[m].label} · 0.552 s`);
      expect(chartsCaption([m])).toBe(MODE_UI[m].label);
    });
  }

  it('stats CSV has a column for every numeric migviz counter, whatever the modes', () => {
    const all = Object.fromEntries(UI_MODES.map((m) => [m, run(m)]));
    const [head, ...rows] = statsToCsv(all).trim().split('\n');
    const cols = head.split(',');
    const numeric = Object.entries(all.hint.migviz).filter(([, v]) => typeof v === 'number');
    for (const [k] of numeric) expect(cols).toContain(`migviz.${k}`);
    expect(cols.filter((c) => c.startsWith('migviz.'))).toHaveLength(numeric.length);
    const at = (row: string, col: string) => row.split(',')[cols.indexOf(col)];
    expect(rows.map((r) => r.split(',')[0])).toEqual([...UI_MODES]);
    expect(Number(at(rows[1], 'migviz.skipped-free-pages'))).toBe(all.pv.migviz['skipped-free-pages']);
    expect(Number(at(rows[2], 'migviz.skipped-unmapped-pages'))).toBe(all.pagemap.migviz['skipped-unmapped-pages']);
    expect(Number(at(rows[3], 'migviz.hinted-pages'))).toBe(all.hint.migviz['hinted-pages']);
  });
});

describe('published numbers', () => {
  it('exist for the two modes the RFC measured, on an unmodified preset only', () => {
    const preset = resolveScenario('rfc-case-2', {});
    expect(UI_MODES.map((m) => publishedFor(preset, m))).toEqual([
      { totalTimeMs: 7436, transferredKB: 8146291 },
      { totalTimeMs: 552, transferredKB: 361375 },
      null,
      null,
      null,
    ]);
    expect(publishedFor(resolveScenario('rfc-case-2', { guestGiB: 0.25 }), 'pv')).toBeNull();
  });
});

describe('the compare headline', () => {
  const after = { original: run('original'), pv: run('pv') };

  it('completed pair: the right mode against the left one, time and bytes', () => {
    const o = after.original;
    const p = after.pv;
    expect(o.status).toBe('completed');
    expect(p.status).toBe('completed');
    expect(p['total-time']).toBeLessThan(o['total-time']);
    const text = summaryText({ mode: 'original', final: o }, { mode: 'pv', final: p });
    const ratio = o['total-time'] / p['total-time'];
    expect(text).toMatch(/^PV vs Original: \d+\.\d\d s vs \d+\.\d\d s, \d+(\.\d+)?× faster, [\d.]+ [KMG]iB less on the wire$/);
    expect(text).toContain(`${(p['total-time'] / 1000).toFixed(2)} s vs ${(o['total-time'] / 1000).toFixed(2)} s`);
    expect(text).toContain(`${ratio.toFixed(ratio < 2 ? 2 : 1)}× faster`);
    // The other way round it is slower and sends more.
    expect(summaryText({ mode: 'pv', final: p }, { mode: 'original', final: o })).toMatch(/^Original vs PV: .*× slower, .* more on the wire$/);
  });

  it('the outcome comes from migviz.outcome: a run at the cap, a completed run whose pages differ', () => {
    const pv = after.pv;
    const t = `${(pv['total-time'] / 1000).toFixed(2)} s`;
    const reason =
      'simulation time cap reached: at 3600 s, 573 MB left at 118 MB/s (the 1 Gbit/s link\'s goodput); needs ~4.9 s more to send once; QEMU itself would keep going';
    const capped = { ...after.original, status: 'failed' as const, migviz: { ...after.original.migviz, outcome: 'sim-time-cap' as const, 'failure-reason': reason } };
    expect(summaryText({ mode: 'original', final: capped }, { mode: 'pv', final: pv })).toBe(
      `Original stops at the simulation cap (3600 s) with 573 MB left at 118 MB/s · PV completed in ${t}`,
    );
    // Completed, but 3 pages differ: not a result to weigh against the other side.
    const differs = { ...after.original, verification: { ...after.original.verification, ok: false, mismatches: 3 } };
    const o = `${(differs['total-time'] / 1000).toFixed(2)} s`;
    expect(summaryText({ mode: 'original', final: differs }, { mode: 'pv', final: pv })).toBe(
      `Original completed in ${o}, but 3 pages differ · PV completed in ${t}`,
    );
  });

  it('a failed run is never called faster: the line states each side\'s outcome', () => {
    // A 0.5 GiB guest rewriting its memory over 0.1 Gbit/s cannot stop within 1 ms: it fails.
    const failed = new Simulation(
      resolveScenario('rfc-case-2', { mode: 'original', workload: 'running', guestGiB: 0.5, linkGbps: 0.1, downtimeMs: 1 }),
    ).runToEnd();
    expect(failed.status).toBe('failed');
    const reason = failed.migviz['failure-reason'];
    expect(reason).toMatch(/^not converging: dirty rate/);
    const pv = after.pv;
    const t = `${(pv['total-time'] / 1000).toFixed(2)} s`;
    const figures = /^not converging: (dirty rate [\d.]+ [kMG]B\/s ≥ [\d.]+ [kMG]B\/s sent) over/.exec(reason)?.[1];
    expect(figures).toBeDefined();
    expect(summaryText({ mode: 'original', final: failed }, { mode: 'pv', final: pv })).toBe(
      `Original does not converge (${figures}) · PV completed in ${t}`,
    );
    expect(summaryText({ mode: 'pv', final: pv }, { mode: 'original', final: failed })).toBe(
      `PV completed in ${t} · Original does not converge (${figures})`,
    );
    const both = summaryText({ mode: 'hint', final: failed }, { mode: 'pagemap', final: failed });
    expect(both).toBe(`Hinting does not converge (${figures}) · Pagemap does not converge (${figures})`);
    expect(both).not.toMatch(/×/);
  });
});
