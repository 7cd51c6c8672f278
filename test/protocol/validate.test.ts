import { describe, expect, it } from 'vitest';
import type { ToWorker } from '../../src/protocol';
import { checkToWorker } from '../../src/protocol/validate';
import { fakeScenario } from '../worker/fake-simulation';

// One well-formed message of every type; the Record type makes a new ToWorker member a compile error here.
const SAMPLES: { [K in ToWorker['type']]: Extract<ToWorker, { type: K }> } = {
  load: { type: 'load', scenario: fakeScenario() },
  setMode: { type: 'setMode', mode: 'hint' },
  play: { type: 'play' },
  pause: { type: 'pause' },
  step: { type: 'step' },
  seek: { type: 'seek', simMs: 0 },
  setSpeed: { type: 'setSpeed', simMsPerWallMs: Number.POSITIVE_INFINITY },
  reset: { type: 'reset' },
  runToEnd: { type: 'runToEnd' },
  setViewport: { type: 'setViewport', width: 1, height: 32767 },
  setFrameInterval: { type: 'setFrameInterval', ms: 100 },
  returnBuffer: { type: 'returnBuffer', buffer: new ArrayBuffer(8) },
  pageInfo: { type: 'pageInfo', requestId: 0, pfn: 0 },
  cellSummary: { type: 'cellSummary', requestId: 1, firstPfn: 0, pages: 1 },
  timeline: { type: 'timeline' },
  pageHistory: { type: 'pageHistory', requestId: 2, pfn: 0 },
  cancel: { type: 'cancel' },
};

describe('checkToWorker', () => {
  it('accepts a well-formed message of every type', () => {
    for (const m of Object.values(SAMPLES)) expect(checkToWorker(m), m.type).toEqual({ ok: true, msg: m });
  });

  it('names what is wrong, and which query still needs an answer', () => {
    expect(checkToWorker({ type: 'seek', simMs: -1 })).toEqual({ ok: false, error: 'cannot seek to -1 ms', query: null });
    expect(checkToWorker({ type: 'setSpeed', simMsPerWallMs: 0 })).toMatchObject({ ok: false, error: 'speed must be positive, got 0' });
    expect(checkToWorker({ type: 'setSpeed', simMsPerWallMs: Number.NaN })).toMatchObject({ ok: false });
    expect(checkToWorker({ type: 'setViewport', width: 32768, height: 10 })).toMatchObject({ ok: false });
    expect(checkToWorker({ type: 'setFrameInterval', ms: 101 })).toMatchObject({ ok: false, error: 'setFrameInterval: ms must be from 0 to 100, got 101' });
    expect(checkToWorker({ type: 'setFrameInterval', ms: -1 })).toMatchObject({ ok: false });
    expect(checkToWorker({ type: 'setFrameInterval', ms: Number.NaN })).toMatchObject({ ok: false });
    expect(checkToWorker({ type: 'returnBuffer', buffer: new Uint8Array(4) })).toMatchObject({ ok: false });
    expect(checkToWorker({ type: 'pageInfo', requestId: 5, pfn: 0.5 })).toEqual({
      ok: false,
      error: 'pageInfo: pfn must be a non-negative integer',
      query: { type: 'pageInfo', requestId: 5 },
    });
    expect(checkToWorker({ type: 'cellSummary', requestId: 6, firstPfn: 0, pages: Number.NaN })).toEqual({
      ok: false,
      error: 'cellSummary: pages must be a positive integer',
      query: { type: 'cellSummary', requestId: 6 },
    });
    // No usable requestId: nothing to answer, so it is an error.
    expect(checkToWorker({ type: 'pageInfo', requestId: 'x', pfn: 0 })).toMatchObject({ ok: false, query: null });
  });
});
