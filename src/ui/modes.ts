/**
 * What the UI says and shows about each migration mode, in one table: one row per mode, read by
 * the view buttons and compare pickers (Controls), the keys (use-shortcuts.ts) and the ? overlay,
 * link parsing (url-state.ts), the stats panel, the charts and the exports. Adding a mode adds a
 * row here; the `Record<ModeId, …>` type makes a missing row a compile error.
 *
 * `pagemap` and `hint` are not in the RFC's table: pagemap is the host-side alternative from the
 * RFC thread ("why not skip untouched pages without asking the guest?"), hint is what upstream
 * merged instead of the RFC (free page hinting, QEMU 4.0 / Linux 4.20).
 */
import { MODE_IDS } from '../engine/migration/modes';
import type { PresetId } from '../engine/scenario';
import type { ModeId, Phase, QueryMigrate } from '../engine/types';
import type { ChartHue, Theme } from './theme';
import type { PfnFind } from './tour/tour';

/**
 * A mode's step in the tour (src/ui/tour/tour.ts): it plays beside the mode it answers, on one
 * preset, until this mode's run completes, and holds there. Numbers in the caption are the
 * engine's at the preset's seed; the tour test holds the engine to them.
 */
export interface ModeTour {
  title: string;
  caption: string;
  presetId: PresetId;
  /** The mode on the left, the one this mode answers. */
  against: ModeId;
  /** Playback speed, chosen so the run plays over a few seconds. */
  speed: number;
  /** Phases of [against, this mode] when this mode's run completes. */
  expect: readonly [Phase, Phase];
  /** What to point at on this mode's page map when the step holds. */
  annotation?: { label: string; find: PfnFind };
  /** Figures the caption states, checked against the engine by the tour test. */
  facts: { totalTimeMs: number; transferredMiB: number; againstTotalTimeMs: number };
}

/** The numeric keys of query-migrate's `migviz` object (the ones a stats row can show). */
export type MigvizNumberKey = {
  [K in keyof QueryMigrate['migviz']]: QueryMigrate['migviz'][K] extends number ? K : never;
}[keyof QueryMigrate['migviz']];

/** One line of the stats panel: a `migviz` counter of this mode. */
export interface ModeStatRow {
  key: MigvizNumberKey;
  /** Short label shown in the panel. */
  label: string;
  /** What the number counts (the row's tooltip). */
  title: string;
  /** How the value reads: a count of things, or milliseconds. */
  unit: 'count' | 'ms';
}

export interface ModeUi {
  /** How the mode is named on screen, in headings and in exports. */
  label: string;
  /** The key that switches to this mode's single view (lower case; Shift is accepted too). */
  key: string;
  /** One line: what the mode does (the view button's tooltip). */
  description: string;
  /** The ? overlay's line for `key` (and the tour's wording of the mode). */
  shortcut: string;
  /** The hue of this mode's lines when runs are overlaid (src/ui/theme.ts). */
  hue: ChartHue;
  /** Why the balloon's virtqueue is idle in this mode, or null when the mode uses it. */
  vqIdle: string | null;
  /** The mode's own counters, shown after the query-migrate rows every mode has. */
  stats: readonly ModeStatRow[];
  /** Its own tour step, or null when the tour's opening already tells it (Original, PV). */
  tour: ModeTour | null;
}

export const MODE_UI: Readonly<Record<ModeId, ModeUi>> = {
  original: {
    label: 'Original',
    key: 'o',
    description: 'QEMU sends every page',
    shortcut: 'Original view',
    hue: 'vermillion',
    vqIdle: 'No traffic: original QEMU never asks the guest',
    stats: [],
    tour: null,
  },
  pv: {
    label: 'PV',
    key: 'p',
    description: 'the guest reports its free pages, QEMU skips them',
    shortcut: 'PV view',
    hue: 'bluishGreen',
    vqIdle: null,
    stats: [
      {
        key: 'skipped-free-pages',
        label: 'skipped free',
        title: 'pages QEMU dropped from its bitmap because the guest said they were free',
        unit: 'count',
      },
      {
        key: 'free-page-walk-ms',
        label: 'free-list walk',
        title: 'guest time spent walking its free lists to build the bitmap',
        unit: 'ms',
      },
    ],
    tour: null,
  },
  pagemap: {
    label: 'Pagemap',
    key: 'm',
    description:
      'the alternative from the RFC thread: QEMU skips the pages the host never mapped, without asking the guest',
    shortcut: 'Pagemap view (the host-side alternative, not in the RFC)',
    hue: 'reddishPurple',
    vqIdle: 'No traffic: pagemap never asks the guest',
    stats: [
      {
        key: 'skipped-unmapped-pages',
        label: 'skipped unmapped',
        title: 'pages QEMU dropped from its bitmap because the host never mapped them',
        unit: 'count',
      },
    ],
    tour: {
      title: 'Pagemap: the counter-argument from the RFC thread',
      caption:
        'Why ask the guest? QEMU could skip the pages the host never mapped. On the idle guest that works; after the hog the host has mapped nearly every page, so pagemap skips only 3 % of them and takes 7.2 s, against PV\u2019s 0.43 s.',
      presetId: 'rfc-case-2',
      against: 'pv',
      // 7.2 s of simulated time at 1x: about 7 s.
      speed: 1,
      expect: ['completed', 'completed'],
      annotation: { label: 'skipped: never mapped', find: { kind: 'migration', state: 'skipped' } },
      facts: { totalTimeMs: 7220, transferredMiB: 7965, againstTotalTimeMs: 429 },
    },
  },
  hint: {
    label: 'Hinting',
    key: 'h',
    description: 'what upstream merged instead (QEMU 4.0): the guest streams free 4 MiB blocks after every sync',
    shortcut: 'Hinting view (upstream free page hinting, after the RFC)',
    hue: 'blue',
    vqIdle: null,
    stats: [
      {
        key: 'hinted-pages',
        label: 'hinted',
        title: 'pages QEMU dropped from its bitmap because the guest hinted their 4 MiB block',
        unit: 'count',
      },
      { key: 'hint-rounds', label: 'hint rounds', title: 'hinting rounds, one per sync with the guest running', unit: 'count' },
    ],
    tour: {
      title: 'Hinting: what upstream merged (QEMU 4.0, Linux 4.20)',
      caption:
        'Instead of one bitmap, the guest streams its free 4 MiB blocks to QEMU after every sync. Only whole 4 MiB blocks are hinted, and the kernel allocations made during the hog split some: 0.74 s and 728 MiB here, against PV\u2019s 0.43 s and 353 MiB.',
      presetId: 'rfc-case-2',
      against: 'pv',
      // 0.86 s of simulated time at 0.25x: about 3.4 s.
      speed: 0.25,
      expect: ['completed', 'completed'],
      annotation: { label: 'skipped: hinted free blocks', find: { kind: 'migration', state: 'skipped' } },
      facts: { totalTimeMs: 741, transferredMiB: 728, againstTotalTimeMs: 429 },
    },
  },
  report: {
    label: 'Reporting',
    key: 'e',
    description:
      'free page reporting (Linux 5.7, QEMU 5.1): the host discards the free blocks the guest reports, so they go as zero pages; every page is still scanned',
    shortcut: 'Reporting view (free page reporting, not a migration feature)',
    hue: 'orange',
    vqIdle: null,
    stats: [
      {
        key: 'reported-pages',
        label: 'reported',
        title: 'pages the guest reported free and the host discarded (they read as zero), before and during the migration',
        unit: 'count',
      },
      { key: 'report-passes', label: 'report passes', title: 'page-reporting passes of the guest, one every 2 s while there is work', unit: 'count' },
    ],
    tour: {
      title: 'Reporting: free page reporting is not a migration feature',
      caption:
        'Since Linux 5.7 and QEMU 5.1 the guest reports free 2 and 4 MiB blocks a couple of seconds after they were freed, and the host discards them, so they go as zero pages. Nothing tells migration to skip a page: every page is still read, and the run takes 7.14 s against the Original\u2019s 7.23 s (this guest migrates right after the hog: given 30 s to settle, it would take 1.9 s).',
      presetId: 'rfc-case-2',
      against: 'original',
      // 7.2 s of simulated time at 1x: about 7 s.
      speed: 1,
      expect: ['stop-copy', 'completed'],
      annotation: { label: 'discarded: reads as zero', find: { kind: 'guest', state: 'discarded' } },
      facts: { totalTimeMs: 7143, transferredMiB: 7866, againstTotalTimeMs: 7232 },
    },
  },
};

/** Every mode, in the order of the engine's list (the order of buttons, pickers and keys). */
export const UI_MODES: readonly ModeId[] = MODE_IDS;

/**
 * A mode id from text (a link, a picker), or null. An own-property check: names every object
 * inherits (`toString`, `__proto__`, `constructor`) are not modes.
 */
export function parseModeId(text: string): ModeId | null {
  return Object.hasOwn(MODE_UI, text) ? (text as ModeId) : null;
}

export function modeLabel(mode: ModeId): string {
  return MODE_UI[mode].label;
}

export function modeColor(t: Theme, mode: ModeId): string {
  return t.chart.hue[MODE_UI[mode].hue];
}

/** The mode whose key this is (case-insensitive), or null. */
export function modeOfKey(key: string): ModeId | null {
  const k = key.toLowerCase();
  return UI_MODES.find((m) => MODE_UI[m].key === k) ?? null;
}
