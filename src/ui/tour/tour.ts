/**
 * The built-in tour for talks: five steps that tell the story, each a caption plus the scenario,
 * view and simulated moment to show. Presenter clickers send PageDown / PageUp (and "." on some
 * Logitech remotes); the app walks these steps with them.
 *
 * Moments are simulated times; `expect` states what the simulation must be doing at that time,
 * and a test holds the engine to it, so a model change that moves the story breaks a test
 * instead of silently showing the wrong moment.
 */
import type { Phase } from '../../engine/types';
import type { PresetId } from '../../engine/scenario';
import { DEFAULT_COMPARE, single, type View } from '../view';

export interface TourStep {
  id: string;
  title: string;
  caption: string;
  presetId: PresetId;
  view: View;
  /** Simulated time to show, ms. */
  timeMs: number;
  /** Keep playing from there (slowly) rather than hold still. */
  play: boolean;
  /** Playback speed for the step (simulated ms per wall ms). */
  speed: number;
  /** Phase of each panel's simulation at timeMs, left to right (viewModes(view)). */
  expect: readonly Phase[];
}

export const TOUR: readonly TourStep[] = [
  {
    id: 'idle-guest',
    title: '1 · An idle guest, just booted',
    caption:
      'An 8 GiB guest uses about 350 MB: kernel, struct pages at the top, page cache in runs. The rest has never been touched. QEMU must still send all 2 million pages.',
    presetId: 'rfc-case-1',
    view: single('original'),
    timeMs: 0,
    play: false,
    speed: 0.25,
    expect: ['idle'],
  },
  {
    id: 'bulk-scan',
    title: '2 · The bulk stage reads every page',
    caption:
      'The cursor visits every page. A never-touched page costs only 9 bytes on the wire, but QEMU must read all 4096 bytes to know it is zero: 0.8 µs each, so the migration thread, not the 10 GbE link, sets the pace.',
    presetId: 'rfc-case-1',
    view: single('original'),
    timeMs: 900,
    play: true,
    speed: 0.25,
    expect: ['bulk'],
  },
  {
    id: 'after-hog',
    title: '3 · After a memory hog: 8 GB of stale free pages',
    caption:
      'A workload touched nearly all RAM and exited. The guest considers those pages free, but they still hold its data: each goes as a full 4104-byte record, 8.3 GB at line rate, 7.4 s.',
    presetId: 'rfc-case-2',
    view: single('original'),
    timeMs: 3000,
    play: true,
    speed: 0.25,
    expect: ['bulk'],
  },
  {
    id: 'virtqueue',
    title: '4 · The guest reports its free pages',
    caption:
      'With PV, QEMU asks through the balloon\u2019s free_pages virtqueue. The guest walks its buddy free lists (about 20 ms) and answers with a 256 KiB bitmap, one bit per page. Dirty logging is already on, so pages it reuses later are still sent.',
    presetId: 'rfc-case-2',
    view: single('pv'),
    // Case 2 pv asks the guest at ~86 ms of setup and has the bitmap at ~108 ms.
    timeMs: 95,
    play: true,
    // The exchange takes ~24 ms of simulated time: at 0.01x it plays over about 2.4 s.
    speed: 0.01,
    expect: ['setup'],
  },
  {
    id: 'race',
    title: '5 · PV skips them: 0.55 s instead of 7.4 s',
    caption:
      'Side by side on the same guest and seed: PV drops 2 million free pages from the bitmap before the bulk stage and sends only the 350 MB in use. It is done while the original is still in its bulk stage.',
    presetId: 'rfc-case-2',
    view: DEFAULT_COMPARE,
    timeMs: 560,
    play: false,
    speed: 0.25,
    expect: ['bulk', 'completed'],
  },
];
