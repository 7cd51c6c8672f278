import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/engine/simulation';
import { TOUR } from '../../src/ui/tour/tour';
import { scenarioOf, DEFAULT_VIEW_STATE } from '../../src/ui/url/url-state';

describe('the built-in tour', () => {
  it('tells the story in five steps over both cases and all three views', () => {
    expect(TOUR.map((s) => s.id)).toEqual(['idle-guest', 'bulk-scan', 'after-hog', 'virtqueue', 'race']);
    expect(new Set(TOUR.map((s) => s.view))).toEqual(new Set(['original', 'pv', 'compare']));
    expect(new Set(TOUR.map((s) => s.presetId))).toEqual(new Set(['rfc-case-1', 'rfc-case-2']));
  });

  // Each step's moment must show what its caption says, in the engine as it is now.
  for (const step of TOUR) {
    it(`step "${step.id}" shows the simulation in ${step.expect}${step.expectPv ? ` / ${step.expectPv}` : ''}`, () => {
      const state = { ...DEFAULT_VIEW_STATE, presetId: step.presetId };
      const mode = step.view === 'pv' ? 'pv' : 'original';
      const sim = new Simulation(scenarioOf(state, mode));
      sim.step(step.timeMs);
      expect(sim.phase).toBe(step.expect);
      if (step.expectPv) {
        const pv = new Simulation(scenarioOf(state, 'pv'));
        pv.step(step.timeMs);
        expect(pv.phase).toBe(step.expectPv);
      }
    });
  }

  it('the virtqueue step lands while the guest is walking its free lists', () => {
    const step = TOUR.find((s) => s.id === 'virtqueue');
    expect(step).toBeDefined();
    if (!step) return;
    const sim = new Simulation(scenarioOf({ ...DEFAULT_VIEW_STATE, presetId: step.presetId }, 'pv'));
    sim.runToEnd();
    const request = sim.events.find((e) => e.kind === 'free-page-request');
    const bitmap = sim.events.find((e) => e.kind === 'free-page-bitmap');
    expect(request && request.t).toBeLessThan(step.timeMs);
    expect(bitmap && bitmap.t).toBeGreaterThan(step.timeMs);
  });
});
