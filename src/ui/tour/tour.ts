/**
 * The built-in tour for talks: steps that tell the story, each a caption plus the scenario, view
 * and a stretch of the run to play. Presenter clickers send PageDown / PageUp (and "." on some
 * Logitech remotes); the app walks these steps with them.
 *
 * A step waits for the speaker: it shows the run from `from`, plays to `until` and holds there
 * until the next key press. Both are engine moments (a phase starting, the n-th dirty-bitmap
 * sync, the free-page bitmap arriving), resolved against the run's own events (the timeline the
 * engine sends each panel), so a model change moves the pause with the story instead of
 * stopping it at a stale millisecond. `expect` states what the simulation is doing at `until`;
 * a test holds the engine to it.
 *
 * After the fixed opening, one step per mode that has a `tour` entry in the mode table
 * (src/ui/modes.ts), then a closing summary slide with the published-vs-simulated table.
 */
import type { GuestStateId, MigrationStateId } from '../../engine/model/page-state';
import type { PresetId } from '../../engine/scenario';
import type { Phase } from '../../engine/types';
import type { TimelineMarker } from '../../protocol';
import { MODE_UI, UI_MODES } from '../modes';
import { DEFAULT_COMPARE, single, type View } from '../view';

/** A moment of a run, named by what the engine does there. */
export type TourMoment =
  | { readonly at: 'start' }
  /** The first event of `phase` (setup, bulk, stop-copy, completed…). */
  | { readonly at: 'phase'; readonly phase: Phase }
  /** The n-th dirty-bitmap sync (1 = the first, when dirty logging starts). */
  | { readonly at: 'sync'; readonly count: number }
  /** The guest's free-page bitmap reaching QEMU (PV). */
  | { readonly at: 'free-page-bitmap' }
  /** Half-way between two moments (e.g. mid bulk stage). */
  | { readonly at: 'between'; readonly a: TourMoment; readonly b: TourMoment };

/** Something drawn on the view to point at what the caption talks about. */
export type TourAnnotation =
  /** On a panel's page map: the pages of a kind, found in the engine's data when the step holds. */
  | { readonly on: 'page-map'; readonly panel: number; readonly label: string; readonly find: PfnFind }
  /** On the charts: a moment of a panel's run. */
  | { readonly on: 'charts'; readonly panel: number; readonly label: string; readonly moment: TourMoment };

/** How an annotation finds its pages. */
export type PfnFind =
  /** The struct-page array at the top of guest RAM (src/engine/guest/workloads.ts BOOT_LAYOUT). */
  | { readonly kind: 'struct-pages' }
  /** The longest stretch of RAM where most pages are in this guest state (engine's cell summaries). */
  | { readonly kind: 'guest'; readonly state: GuestStateId }
  /** The longest stretch of RAM where most pages are in this migration state. */
  | { readonly kind: 'migration'; readonly state: MigrationStateId };

export interface TourStep {
  id: string;
  title: string;
  caption: string;
  presetId: PresetId;
  view: View;
  /** Where the step starts showing the run. */
  from: TourMoment;
  /** Where it pauses and waits for the next key (equal to `from`: it holds still at once). */
  until: TourMoment;
  /** Whose run the moments are read from: index into viewModes(view) (default 0). */
  momentsOf?: number;
  /** Playback speed for the step (simulated ms per wall ms), chosen so the stretch plays over a few seconds. */
  speed: number;
  /** Phase of each panel's simulation at `until`, left to right (viewModes(view)). */
  expect: readonly Phase[];
  annotations: readonly TourAnnotation[];
  /** The closing slide: the published-vs-simulated table instead of a plain caption. */
  summary?: boolean;
}

/**
 * The simulated time of `m` in a run with these events, or null when the run never gets there
 * (e.g. no free-page bitmap in Original). Pure: the session resolves against the panel's
 * timeline, the tour test against a Simulation's events.
 */
export function momentMs(m: TourMoment, events: readonly TimelineMarker[]): number | null {
  switch (m.at) {
    case 'start':
      return 0;
    case 'phase':
      return events.find((e) => e.kind === 'phase' && e.phase === m.phase)?.t ?? null;
    case 'sync':
      return events.find((e) => e.kind === 'sync' && e.count === m.count)?.t ?? null;
    case 'free-page-bitmap':
      return events.find((e) => e.kind === 'free-page-bitmap')?.t ?? null;
    case 'between': {
      const a = momentMs(m.a, events);
      const b = momentMs(m.b, events);
      return a === null || b === null ? null : (a + b) / 2;
    }
    default: {
      const never: never = m;
      return never;
    }
  }
}

const START: TourMoment = { at: 'start' };
const STOP_COPY: TourMoment = { at: 'phase', phase: 'stop-copy' };
const COMPLETED: TourMoment = { at: 'phase', phase: 'completed' };

const OPENING: readonly TourStep[] = [
  {
    id: 'idle-guest',
    title: 'An idle guest, just booted',
    caption:
      'An 8 GiB guest uses about 350 MB: firmware and kernel at the start of RAM (top left), page cache in runs, and the struct-page array at the end of RAM (the bottom rows). The rest has never been touched. QEMU must still send all 2 million pages.',
    presetId: 'rfc-case-1',
    view: single('original'),
    from: START,
    until: START,
    speed: 0.25,
    expect: ['idle'],
    annotations: [{ on: 'page-map', panel: 0, label: 'the struct-page array', find: { kind: 'struct-pages' } }],
  },
  {
    id: 'bulk-scan',
    title: 'The bulk stage reads every page',
    caption:
      'The cursor visits every page. A never-touched page costs only 9 bytes on the wire, but QEMU must read all 4096 bytes to know it is zero: 0.8 µs each, so the migration thread, not the 10 GbE link, sets the pace. It holds in stop-and-copy, the guest paused for the last pages.',
    presetId: 'rfc-case-1',
    view: single('original'),
    from: START,
    // The last sync, the one with the guest paused: the first moment the engine is in stop-and-copy.
    until: { at: 'sync', count: 3 },
    // The bulk stage takes ~1.7 s of simulated time: at 0.25x it plays over about 7 s.
    speed: 0.25,
    expect: ['stop-copy'],
    annotations: [{ on: 'charts', panel: 0, label: 'stop-and-copy', moment: STOP_COPY }],
  },
  {
    id: 'after-hog',
    title: 'After a memory hog: 8 GB of stale free pages',
    caption:
      'A workload touched nearly all RAM and exited. The guest considers those pages free, but they still hold its data: each goes as a full 4104-byte record, 8.3 GB at line rate.',
    presetId: 'rfc-case-2',
    view: single('original'),
    from: START,
    until: { at: 'between', a: { at: 'phase', phase: 'bulk' }, b: STOP_COPY },
    // Half the bulk stage is ~3.4 s of simulated time: at 1x it plays over about 3.5 s.
    speed: 1,
    expect: ['bulk'],
    annotations: [{ on: 'page-map', panel: 0, label: "the hog's stale pages", find: { kind: 'guest', state: 'free-stale' } }],
  },
  {
    id: 'virtqueue',
    title: 'The guest reports its free pages',
    caption:
      'With PV, QEMU asks through the balloon\u2019s free_pages virtqueue. The guest walks its buddy free lists (about 20 ms) and answers with a 256 KiB bitmap, one bit per page. Dirty logging is already on, so pages it reuses later are still sent.',
    presetId: 'rfc-case-2',
    view: single('pv'),
    from: { at: 'phase', phase: 'setup' },
    until: { at: 'free-page-bitmap' },
    // The exchange ends ~108 ms in: at 0.05x the setup plays over about 2.2 s.
    speed: 0.05,
    expect: ['setup'],
    annotations: [],
  },
  {
    id: 'race',
    title: 'PV skips them: 0.43 s instead of 7.2 s',
    caption:
      'Side by side on the same guest and seed: PV drops 2 million free pages from the bitmap before the bulk stage and sends only the 350 MB in use. It is done while the original is still in its bulk stage.',
    presetId: 'rfc-case-2',
    view: DEFAULT_COMPARE,
    from: START,
    until: COMPLETED,
    momentsOf: 1,
    // PV completes at ~0.43 s: at 0.2x the race plays over about 2.1 s.
    speed: 0.2,
    expect: ['bulk', 'completed'],
    annotations: [
      { on: 'page-map', panel: 1, label: 'skipped: free', find: { kind: 'migration', state: 'skipped' } },
      { on: 'charts', panel: 1, label: 'PV: stop-and-copy', moment: STOP_COPY },
    ],
  },
];

/** One step per mode the table gives a tour entry: that mode beside the one it answers. */
function modeStep(mode: (typeof UI_MODES)[number]): TourStep[] {
  const t = MODE_UI[mode].tour;
  if (!t) return [];
  return [
    {
      id: `mode-${mode}`,
      title: t.title,
      caption: t.caption,
      presetId: t.presetId,
      view: { kind: 'compare', a: t.against, b: mode },
      from: START,
      until: COMPLETED,
      momentsOf: 1,
      speed: t.speed,
      expect: t.expect,
      annotations: t.annotation ? [{ on: 'page-map', panel: 1, label: t.annotation.label, find: t.annotation.find }] : [],
    },
  ];
}

const SUMMARY: TourStep = {
  id: 'summary',
  title: 'Published and simulated',
  caption:
    'The RFC measured Original and PV on real hardware in 2016. migviz takes three constants from this table (one per mechanism, the same in every case and mode; see the README) and the rest from hardware facts, then simulates each run page by page.',
  presetId: 'rfc-case-2',
  view: DEFAULT_COMPARE,
  from: COMPLETED,
  until: COMPLETED,
  // Both runs at their end (the Original's, the later one).
  momentsOf: 0,
  speed: 0.25,
  expect: ['completed', 'completed'],
  annotations: [],
  summary: true,
};

export const TOUR: readonly TourStep[] = [...OPENING, ...UI_MODES.flatMap(modeStep), SUMMARY];

/** "3 · After a memory hog…": the step's title as the caption heads it. */
export function stepHeading(i: number): string {
  return `${i + 1} · ${TOUR[i]?.title ?? ''}`;
}
