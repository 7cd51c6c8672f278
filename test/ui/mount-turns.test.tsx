// @vitest-environment jsdom
/**
 * The heavy parts of the page mount in turns, one per frame (issue 13: no main-thread task over
 * 50 ms at load): the queue itself, and InTurn in a page.
 */
import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { InTurn } from '../../src/ui/components/InTurn';
import { MountTurns } from '../../src/ui/render/mount-turns';
import { AppProvider, type AppServices } from '../../src/ui/state/context';

/** Turns whose frames pass when the test says (`frame`); `pending` is how many frames wait. */
function handDriven() {
  const frames: (() => void)[] = [];
  const turns = new MountTurns(true, (cb) => frames.push(cb));
  const frame = () => {
    for (const cb of frames.splice(0)) cb();
  };
  return { turns, frame, pending: () => frames.length };
}

describe('MountTurns', () => {
  it('turned off, every part is shown at once', () => {
    const shown: string[] = [];
    const turns = new MountTurns(false, () => {
      throw new Error('no frame is asked for');
    });
    turns.wait(() => shown.push('map'));
    turns.wait(() => shown.push('charts'));
    expect(shown).toEqual(['map', 'charts']);
  });

  it('turned on, one part per frame, in the order they asked, and no frame once all are shown', () => {
    const h = handDriven();
    const shown: string[] = [];
    for (const part of ['map', 'virtqueue', 'charts']) h.turns.wait(() => shown.push(part));
    expect(shown).toEqual([]);
    expect(h.pending()).toBe(1); // three waiting, one frame asked for
    h.frame();
    expect(shown).toEqual(['map']);
    h.frame();
    h.frame();
    expect(shown).toEqual(['map', 'virtqueue', 'charts']);
    expect(h.pending()).toBe(0);
  });

  it('whenDone runs after the last part and one more frame; at once when turned off', () => {
    const h = handDriven();
    const log: string[] = [];
    h.turns.wait(() => log.push('map'));
    h.turns.whenDone(() => log.push('engines'));
    h.turns.wait(() => log.push('charts')); // asked after whenDone: still shown first
    h.frame();
    h.frame();
    expect(log).toEqual(['map', 'charts']);
    h.frame(); // the frame that drew the charts has passed
    expect(log).toEqual(['map', 'charts', 'engines']);
    expect(h.pending()).toBe(0);

    const off = new MountTurns(false, () => {
      throw new Error('no frame is asked for');
    });
    off.whenDone(() => log.push('at once'));
    expect(log.at(-1)).toBe('at once');
  });

  it('a cancelled whenDone does not run', () => {
    const h = handDriven();
    const log: string[] = [];
    h.turns.wait(() => log.push('map'));
    const cancel = h.turns.whenDone(() => log.push('engines'));
    h.frame();
    cancel();
    h.frame();
    expect(log).toEqual(['map']);
    expect(h.pending()).toBe(0);
  });

  it('a part that goes away before its turn gives the turn to the next', () => {
    const h = handDriven();
    const shown: string[] = [];
    h.turns.wait(() => shown.push('map'));
    const cancel = h.turns.wait(() => shown.push('virtqueue'));
    h.turns.wait(() => shown.push('charts'));
    cancel();
    h.frame();
    h.frame();
    expect(shown).toEqual(['map', 'charts']);
    expect(h.pending()).toBe(0);
  });
});

describe('InTurn', () => {
  it('renders nothing until its turn, then its children; the parts appear in page order', () => {
    const h = handDriven();
    const services = { turns: h.turns } as AppServices;
    render(
      <AppProvider value={services}>
        <p>shell</p>
        <InTurn>
          <p>map</p>
        </InTurn>
        <InTurn>
          <p>charts</p>
        </InTurn>
      </AppProvider>,
    );
    expect(screen.getByText('shell')).toBeTruthy();
    expect(screen.queryByText('map')).toBeNull();
    act(h.frame);
    expect(screen.getByText('map')).toBeTruthy();
    expect(screen.queryByText('charts')).toBeNull();
    act(h.frame);
    expect(screen.getByText('charts')).toBeTruthy();
  });

  it('turned off, renders its children in the first render', () => {
    const services = { turns: new MountTurns(false) } as AppServices;
    render(
      <AppProvider value={services}>
        <InTurn>
          <p>map</p>
        </InTurn>
      </AppProvider>,
    );
    expect(screen.getByText('map')).toBeTruthy();
  });
});
