// @vitest-environment jsdom
/**
 * Issue 13 in compare: the race's time axis (follow / whole race / log), both clocks said when
 * the engines stop at different step ends, and no winner named before the race has ended.
 */
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/engine/simulation';
import { clocksText } from '../../src/ui/components/CompareView';
import { appTestEnvironment, setup } from './app-harness';

appTestEnvironment();


describe('compare clocks', () => {
  it('says both times when the engines stop at different step ends, to the µs below 1 ms apart', () => {
    expect(clocksText('Original', 400, 'PV', 400)).toBeNull();
    expect(clocksText('Original', 366.0613504, 'PV', 367.0618624)).toBe(
      'the two runs stand at Original 0.366 s and PV 0.367 s: each engine stops at the end of its own step',
    );
    expect(clocksText('Original', 400.0004, 'PV', 400.2)).toBe(
      'the two runs stand at Original 0.400000 s and PV 0.400200 s: each engine stops at the end of its own step',
    );
  });

  it('after a seek, both panels show their own time when their engines stop apart (real engine)', async () => {
    const { s } = setup('?view=compare&gib=0.0625', (sc) => new Simulation(sc));
    const [a, b] = s().panels;
    await waitFor(() => expect(a.live.epoch > 0 && b.live.epoch > 0).toBe(true));
    act(() => s().seek(83.5));
    // At the end of setup each thread finishes the step it is in: Original its bitmap sync at
    // 83.519 ms, PV its first 1 ms poll for the guest's bitmap at 84.020 ms.
    await waitFor(() => expect(a.live.simTimeMs).toBeCloseTo(83.5189664, 6));
    await waitFor(() => expect(b.live.simTimeMs).toBeCloseTo(84.0199744, 6));
    await waitFor(() =>
      expect(screen.getByTestId('compare-clocks').textContent).toBe(
        'the two runs stand at Original 0.083519 s and PV 0.084020 s: each engine stops at the end of its own step',
      ),
    );
    const clocks = screen.getAllByTestId('run-status').map((r) => r.querySelector('.run-clock')?.textContent);
    expect(clocks).toHaveLength(2);
  });
});

describe('frames in compare', () => {
  it('each worker renders a frame at most every 33 ms, as often as its map is painted; back in one view, every frame', async () => {
    const { s, sentTo } = setup('?view=compare&gib=0.0625');
    await waitFor(() => expect(sentTo(1, 'setFrameInterval')).toEqual([{ type: 'setFrameInterval', ms: 33 }]));
    expect(sentTo(0, 'setFrameInterval')).toEqual([{ type: 'setFrameInterval', ms: 33 }]);
    act(() => s().setView({ kind: 'single', mode: 'original' }));
    await waitFor(() => expect(sentTo(0, 'setFrameInterval').at(-1)).toEqual({ type: 'setFrameInterval', ms: 0 }));
  });
});

describe('the race', () => {
  it('names no winner until both runs have reached their end, then keeps the headline', async () => {
    const { s } = setup('?view=compare&gib=0.0625', (sc) => new Simulation(sc));
    const [a, b] = s().panels;
    await waitFor(() => expect(a.store.getState().timeline && b.store.getState().timeline).toBeTruthy());
    const noWinner = /faster|slower|less on the wire|more on the wire|saved|speed-up/;
    expect(document.body.textContent).not.toMatch(noWinner);
    // PV's run ends first (139 ms); Original's (144 ms) has not: still no winner.
    act(() => s().seek(141));
    await waitFor(() => expect(b.live.done).toBe(true));
    expect(a.live.done).toBe(false);
    expect(document.body.textContent).not.toMatch(noWinner);
    act(() => s().seek(10_000));
    await waitFor(() => expect(screen.getByTestId('compare-summary').textContent).toMatch(/^PV vs Original: 0\.14 s vs 0\.14 s, 1\.03× faster/));
    // Seen once, it stays when the viewer goes back in time.
    act(() => s().seek(10));
    await waitFor(() => expect(a.live.done).toBe(false));
    expect(screen.getByTestId('compare-summary').textContent).toMatch(/faster/);
  });

  it('the time axis follows the clock, spans the whole race, or is logarithmic', async () => {
    const { s, flush } = setup('?view=compare&gib=0.0625', (sc) => new Simulation(sc));
    const [a, b] = s().panels;
    await waitFor(() => expect(a.store.getState().timeline && b.store.getState().timeline).toBeTruthy());
    act(() => s().seek(40));
    await waitFor(() => expect(a.live.simTimeMs).toBeGreaterThanOrEqual(40));
    const ticks = () => [...screen.getByTestId('charts').querySelectorAll('.chart-throughput .chart-x .tick text')].map((t) => t.textContent);
    const settle = async () => {
      await new Promise((r) => setTimeout(r, 80)); // chart throttle
      flush();
    };
    await settle();
    // Setup's fixed part is one engine step: both clocks stand at its end, 83 ms.
    expect([a.live.simTimeMs, b.live.simTimeMs]).toEqual([83, 83]);
    // follow: the axis is the 1-2-5 ceiling of the clock (83 ms -> 100 ms)
    expect(ticks()).toEqual(['0 ms', '20 ms', '40 ms', '60 ms', '80 ms', '100 ms']);
    fireEvent.change(screen.getByTestId('race-axis'), { target: { value: 'whole' } });
    await settle();
    // whole race: to Original's end at 143.93 ms
    expect(ticks().at(-1)).toBe('140 ms');
    fireEvent.change(screen.getByTestId('race-axis'), { target: { value: 'log' } });
    await settle();
    expect(ticks()).toEqual(['0 ms', '1 ms', '10 ms', '100 ms']);
    expect(screen.getByTestId('race-axis').textContent).not.toMatch(/faster|slower|first|winner/);
  });
});
