// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VirtqueueEvent, VirtqueueSnapshot } from '../../src/engine/types';
import { VirtqueueView } from '../../src/ui/render/virtqueue-view';
import { darkTheme } from '../../src/ui/theme';

function snapshot(states: number[]): VirtqueueSnapshot {
  return {
    name: 'free_pages',
    size: states.length,
    numFree: states.filter((s) => s === 0).length,
    descState: Uint8Array.from(states),
    availIdx: 0,
    usedIdx: 0,
    lastAvailIdx: 0,
    lastUsedIdx: 0,
    buffers: 0,
    bytes: 0,
    kicks: 0,
    interrupts: 0,
  };
}

const ev = (kind: VirtqueueEvent['kind'], head: number, label = 'free-page bitmap 256 KiB'): VirtqueueEvent => ({
  t: 1,
  queue: 'free_pages',
  kind,
  head,
  descriptors: head < 0 ? 0 : 3,
  bytes: 262160,
  label,
});

const tick = (ms = 60) => new Promise((r) => setTimeout(r, ms));

describe('VirtqueueView', () => {
  let svg: SVGSVGElement;
  let view: VirtqueueView;
  beforeEach(() => {
    svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    document.body.append(svg);
    view = new VirtqueueView(svg, darkTheme);
  });
  afterEach(() => svg.remove());

  it('draws one ring segment per descriptor, coloured by who owns it', () => {
    view.update({ snapshot: snapshot([1, 2, 3, 0, 0, 0, 0, 0]), events: [], mode: 'pv', reducedMotion: true });
    const segs = [...svg.querySelectorAll('path.vq-desc')];
    expect(segs).toHaveLength(8);
    expect(segs.slice(0, 4).map((s) => s.getAttribute('data-state'))).toEqual([
      'in avail ring',
      'held by device',
      'in used ring',
      'free',
    ]);
    expect(segs[0].getAttribute('fill')).toBe(darkTheme.vq.avail);
    expect(segs[3].getAttribute('fill')).toBe(darkTheme.vq.free);
    expect(svg.querySelector('.vq-ring-count')?.textContent).toBe('3/8');
  });

  it('draws a 1024-entry queue (hinting) as 128 segments, each showing its busiest descriptor, and repaints only changes', () => {
    const states = new Array<number>(1024).fill(0);
    states[3] = 3; // used, in segment 0
    states[5] = 2; // held by the device, also segment 0: it wins
    states[9] = 1; // in avail ring: segment 1
    view.update({ snapshot: snapshot(states), events: [], mode: 'hint', reducedMotion: true });
    const segs = [...svg.querySelectorAll('path.vq-desc')];
    expect(segs).toHaveLength(128);
    expect(segs.slice(0, 3).map((x) => x.getAttribute('data-state'))).toEqual(['held by device', 'in avail ring', 'free']);
    expect(svg.querySelector('.vq-ring-count')?.textContent).toBe('3/1024');
    states[5] = 0;
    segs[2].setAttribute('fill', 'sentinel'); // unchanged segments are not rewritten
    view.update({ snapshot: snapshot(states), events: [], mode: 'hint', reducedMotion: true });
    const again = [...svg.querySelectorAll('path.vq-desc')];
    expect(again[0]).toBe(segs[0]); // the same nodes, updated in place
    expect(again[0].getAttribute('data-state')).toBe('in used ring');
    expect(again[2].getAttribute('fill')).toBe('sentinel');
  });

  it('moves a buffer chain driver -> avail -> device -> used and drops it on reclaim', async () => {
    const snap = snapshot([0, 0, 0, 0]);
    view.update({ snapshot: snap, events: [ev('add', 2), ev('kick', -1)], mode: 'pv', reducedMotion: true });
    const token = () => svg.querySelector('g.vq-token');
    expect(token()?.getAttribute('data-station')).toBe('avail');
    expect(token()?.textContent).toBe('free-page bitmap 256 KiB');
    expect(svg.querySelector('.vq-flash-kick')?.getAttribute('opacity')).toBe('1');
    view.update({ snapshot: snap, events: [ev('pop', 2)], mode: 'pv', reducedMotion: true });
    expect(token()?.getAttribute('data-station')).toBe('device');
    view.update({ snapshot: snap, events: [ev('push', 2), ev('interrupt', -1)], mode: 'pv', reducedMotion: true });
    expect(token()?.getAttribute('data-station')).toBe('used');
    expect(svg.querySelector('.vq-flash-interrupt')?.getAttribute('opacity')).toBe('1');
    view.update({ snapshot: snap, events: [ev('reclaim', 2)], mode: 'pv', reducedMotion: true });
    expect(token()).toBeNull(); // leaving nodes are no longer tokens...
    await tick();
    expect(svg.querySelector('.vq-token-leaving')).toBeNull(); // ...and are gone once faded
  });

  it('keeps separate tokens per head and re-uses a head after reclaim', () => {
    const snap = snapshot([0, 0, 0, 0]);
    view.update({
      snapshot: snap,
      events: [ev('add', 0, 'request buffer'), ev('add', 1), ev('pop', 0), ev('push', 0), ev('reclaim', 0), ev('add', 0, 're-armed')],
      mode: 'pv',
      reducedMotion: true,
    });
    const tokens = [...svg.querySelectorAll('g.vq-token')].map((g) => [g.textContent, g.getAttribute('data-station')]);
    expect(tokens).toEqual([
      ['free-page bitmap 256 KiB', 'avail'],
      ['re-armed', 'avail'],
    ]);
  });

  it('walks a chain through every station it passed in one batch before it fades out', async () => {
    const snap = snapshot([0, 0, 0, 0]);
    view.update({ snapshot: snap, events: [ev('add', 0, 'request buffer')], mode: 'pv', reducedMotion: true });
    // The whole exchange in one frame, as at normal speed: pop, push, interrupt, reclaim.
    view.update({
      snapshot: snap,
      events: [ev('pop', 0), ev('push', 0), ev('interrupt', -1), ev('reclaim', 0)],
      mode: 'pv',
      reducedMotion: false,
    });
    const leaving = svg.querySelector('g.vq-token-leaving') as SVGGElement;
    expect(leaving.getAttribute('data-station')).toBe('gone');
    await tick(450); // 1.5 hops of 300 ms: past the device (x 395), on the way to the used ring
    const x = Number(/translate\(([\d.]+),/.exec(leaving.getAttribute('transform') ?? '')?.[1]);
    expect(x).toBeGreaterThan(250); // a straight fade home would never leave x <= 230
    expect(leaving.isConnected).toBe(true);
  });

  it('says the queue is idle in original mode, and hides that in pv', () => {
    view.update({ snapshot: snapshot([1, 0, 0, 0]), events: [], mode: 'original', reducedMotion: false });
    const idle = svg.querySelector('.vq-idle') as SVGTextElement;
    expect(idle.textContent).toBe('No traffic: original QEMU never asks the guest');
    expect(idle.getAttribute('display')).toBeNull();
    expect(svg.classList.contains('is-idle')).toBe(true);
    view.update({ snapshot: snapshot([1, 0, 0, 0]), events: [], mode: 'pv', reducedMotion: false });
    expect(idle.getAttribute('display')).toBe('none');
    expect(svg.classList.contains('is-idle')).toBe(false);
  });
});
