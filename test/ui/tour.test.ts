import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/engine/simulation';
import { TOUR } from '../../src/ui/tour/tour';
import { scenarioOf, DEFAULT_VIEW_STATE } from '../../src/ui/url/url-state';
import { viewSlug, viewModes } from '../../src/ui/view';

describe('the built-in tour', () => {
  it('tells the story in five steps over both cases and all three views', () => {
    expect(TOUR.map((s) => s.id)).toEqual(['idle-guest', 'bulk-scan', 'after-hog', 'virtqueue', 'race']);
    expect(new Set(TOUR.map((s) => viewSlug(s.view)))).toEqual(new Set(['original', 'pv', 'compare-original-pv']));
    expect(new Set(TOUR.map((s) => s.presetId))).toEqual(new Set(['rfc-case-1', 'rfc-case-2']));
  });

  // Each step's moment must show what its caption says, in the engine as it is now.
  for (const step of TOUR) {
    it(`step "${step.id}" shows the simulation in ${step.expect.join(' / ')}`, () => {
      const state = { ...DEFAULT_VIEW_STATE, presetId: step.presetId };
      const modes = viewModes(step.view);
      expect(step.expect).toHaveLength(modes.length);
      const phases = modes.map((mode) => {
        const sim = new Simulation(scenarioOf(state, mode));
        sim.step(step.timeMs);
        return sim.phase;
      });
      expect(phases).toEqual(step.expect);
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
    expect(request?.t).toBeLessThan(step.timeMs);
    expect(bitmap?.t).toBeGreaterThan(step.timeMs);
  });
});
