import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/engine/simulation';
import type { ModeId } from '../../src/engine/types';
import type { TimelineMarker } from '../../src/protocol';
import { MODE_UI, UI_MODES } from '../../src/ui/modes';
import { momentMs, TOUR, type TourStep } from '../../src/ui/tour/tour';
import { DEFAULT_VIEW_STATE, scenarioOf } from '../../src/ui/url/url-state';
import { viewModes, viewSlug } from '../../src/ui/view';

/** The run of `mode` on the step's preset, to the end: its final stats and its timeline markers. */
const runs = new Map<string, { sim: Simulation; markers: TimelineMarker[] }>();
function runOf(step: Pick<TourStep, 'presetId'>, mode: ModeId) {
  const key = `${step.presetId}/${mode}`;
  let r = runs.get(key);
  if (!r) {
    const sim = new Simulation(scenarioOf({ ...DEFAULT_VIEW_STATE, presetId: step.presetId }, mode));
    sim.runToEnd();
    r = { sim, markers: sim.events.filter((e): e is TimelineMarker => e.kind !== 'vq') };
    runs.set(key, r);
  }
  return r;
}

/** The step's [from, until] in ms, read from the run its moments belong to. */
function stretch(step: TourStep): [number, number] {
  const { markers } = runOf(step, viewModes(step.view)[step.momentsOf ?? 0]);
  const from = momentMs(step.from, markers);
  const until = momentMs(step.until, markers);
  expect(from).not.toBeNull();
  expect(until).not.toBeNull();
  return [from ?? 0, until ?? 0];
}

describe('the built-in tour', () => {
  it('opens with five steps, has one step per mode with a tour entry, and closes with the summary', () => {
    expect(TOUR.map((s) => s.id)).toEqual([
      'idle-guest',
      'bulk-scan',
      'after-hog',
      'virtqueue',
      'race',
      'mode-pagemap',
      'mode-hint',
      'mode-report',
      'summary',
    ]);
    expect(TOUR.at(-1)?.summary).toBe(true);
    // Every mode of the table is on screen in some step.
    const shown = new Set(TOUR.flatMap((s) => viewModes(s.view)));
    expect(UI_MODES.filter((m) => !shown.has(m))).toEqual([]);
    expect(new Set(TOUR.map((s) => viewSlug(s.view)))).toEqual(
      new Set(['original', 'pv', 'compare-original-pv', 'compare-pv-pagemap', 'compare-pv-hint', 'compare-original-report']),
    );
  });

  it('says where the struct-page array is: at the end of RAM, the bottom rows of the map', () => {
    expect(TOUR[0].caption).toContain('struct-page array at the end of RAM (the bottom rows)');
    expect(TOUR.some((s) => s.caption.includes('struct pages at the top'))).toBe(false);
  });

  // Each step's pause must show what its caption says, in the engine as it is now.
  for (const step of TOUR) {
    it(`step "${step.id}" holds at ${step.until.at} with the simulation in ${step.expect.join(' / ')}`, () => {
      const modes = viewModes(step.view);
      expect(step.expect).toHaveLength(modes.length);
      const [from, until] = stretch(step);
      expect(until).toBeGreaterThanOrEqual(from);
      const phases = modes.map((mode) => {
        const sim = new Simulation(scenarioOf({ ...DEFAULT_VIEW_STATE, presetId: step.presetId }, mode));
        sim.step(until);
        return sim.phase;
      });
      expect(phases).toEqual(step.expect);
      // The stretch plays over a few seconds of wall time: long enough to talk over, never a minute.
      const wallS = (until - from) / step.speed / 1000;
      if (until > from) {
        expect(wallS).toBeGreaterThan(2);
        expect(wallS).toBeLessThan(10);
      }
    });
  }

  it('the waits land on the engine events they name (ms at seed 1)', () => {
    const at = (id: string) => stretch(TOUR.find((s) => s.id === id) as TourStep).map((t) => Math.round(t));
    expect(at('bulk-scan')).toEqual([0, 1849]);
    expect(at('after-hog')).toEqual([0, 3519]);
    expect(at('virtqueue')).toEqual([0, 108]);
    expect(at('race')).toEqual([0, 429]);
    expect(at('summary')).toEqual([7232, 7232]);
  });

  it('the virtqueue step stops when the bitmap arrives, after the guest walked its free lists', () => {
    const step = TOUR.find((s) => s.id === 'virtqueue') as TourStep;
    const { sim } = runOf(step, 'pv');
    const request = sim.events.find((e) => e.kind === 'free-page-request');
    const bitmap = sim.events.find((e) => e.kind === 'free-page-bitmap');
    const [, until] = stretch(step);
    expect(request?.t).toBeLessThan(until);
    expect(bitmap?.t).toBe(until);
  });

  // The mode steps' captions state figures; the engine must still produce them.
  for (const mode of UI_MODES) {
    const t = MODE_UI[mode].tour;
    if (!t) continue;
    it(`${MODE_UI[mode].label}'s step states the engine's figures`, () => {
      const q = runOf(t, mode).sim.runToEnd();
      const against = runOf(t, t.against).sim.runToEnd();
      expect(Math.round(q['total-time'])).toBe(t.facts.totalTimeMs);
      expect(Math.round(q.ram.transferred / 2 ** 20)).toBe(t.facts.transferredMiB);
      expect(Math.round(against['total-time'])).toBe(t.facts.againstTotalTimeMs);
    });
  }
});
