/**
 * Every colour the UI uses, in one object: CSS variables, the page-map palette, charts and the
 * virtqueue view all read from here, so a light theme (issue 5) is one more object.
 *
 * Page-map encoding (two states per page, both readable, colour-blind safe):
 *   hue     = guest state, Okabe-Ito families: never touched -> grey, in use -> blue, free with
 *             stale data -> orange (blue/orange stay apart for every common colour-vision type),
 *             held while hinted -> bluish green, discarded by the host after reporting -> vermillion
 *   light   = migration state: to send -> dark, sent -> bright
 *   pattern = skipped -> dark checkerboard over the background ("left out");
 *             dirtied again -> bright checkerboard with reddish purple ("must go again")
 */
import type { GuestStateId } from '../engine/model/page-state';

/** One hue family per guest state (src/engine/model/page-state.ts). */
export type GuestFamily = GuestStateId;

export type ThemeName = 'dark' | 'light';

/** Okabe-Ito hues a mode's runs can be drawn in (dark: sky blue for `blue`, light: blue). */
export type ChartHue = 'vermillion' | 'bluishGreen' | 'reddishPurple' | 'blue' | 'orange';

export interface Theme {
  readonly name: ThemeName;
  readonly css: {
    readonly bg: string;
    readonly panel: string;
    readonly border: string;
    readonly text: string;
    readonly muted: string;
    readonly accent: string;
    readonly danger: string;
    readonly ok: string;
  };
  readonly pageMap: {
    readonly background: string;
    readonly families: Readonly<Record<GuestFamily, { readonly pending: string; readonly sent: string }>>;
    /** Second colour of the "dirtied again" checkerboard. */
    readonly redirtied: string;
    readonly cursor: string;
    /** Ring drawn under the cursor colour so it stands out on any cell. */
    readonly cursorOutline: string;
  };
  readonly chart: {
    readonly throughput: string;
    readonly transferred: string;
    readonly remaining: string;
    readonly sync: string;
    readonly round: string;
    readonly stopCopy: string;
    readonly grid: string;
    readonly axis: string;
    /**
     * Okabe-Ito hues for runs overlaid in compare; each mode names its hue in src/ui/modes.ts.
     * `orange` is not taken yet: it is there for the next mode.
     */
    readonly hue: Readonly<Record<ChartHue, string>>;
  };
  readonly vq: {
    readonly free: string;
    readonly avail: string;
    readonly device: string;
    readonly used: string;
    readonly kick: string;
    readonly interrupt: string;
    readonly token: string;
    readonly box: string;
  };
}

export const darkTheme: Theme = {
  name: 'dark',
  css: {
    bg: '#0e1115',
    panel: '#161b21',
    border: '#2a313a',
    text: '#e6e9ed',
    muted: '#98a2ae',
    accent: '#56b4e9',
    danger: '#f0937a',
    ok: '#5ccfa8',
  },
  pageMap: {
    background: '#0e1115',
    families: {
      zero: { pending: '#4b515a', sent: '#b9bfc8' },
      used: { pending: '#124f80', sent: '#56b4e9' },
      'free-stale': { pending: '#7d5606', sent: '#f0b13c' },
      held: { pending: '#0b5a45', sent: '#2fc09a' },
      discarded: { pending: '#6b2f06', sent: '#e5752e' },
    },
    redirtied: '#cc79a7',
    cursor: '#f0e442',
    cursorOutline: '#000000',
  },
  chart: {
    throughput: '#56b4e9',
    transferred: '#f0b13c',
    remaining: '#cc79a7',
    sync: '#6b7480',
    round: '#98a2ae',
    stopCopy: '#f0e442',
    grid: '#222930',
    axis: '#98a2ae',
    hue: { vermillion: '#f08a4b', bluishGreen: '#2fc09a', reddishPurple: '#cc79a7', blue: '#56b4e9', orange: '#e69f00' },
  },
  vq: {
    free: '#2a313a',
    avail: '#56b4e9',
    device: '#f0b13c',
    used: '#5ccfa8',
    kick: '#f0e442',
    interrupt: '#cc79a7',
    token: '#e6e9ed',
    box: '#1d242c',
  },
};

/**
 * The light theme keeps every hue of the dark one (same Okabe-Ito families, so the encoding and
 * its colour-blind safety do not change) and flips lightness: on white, "to send" is a pale tint
 * and "sent" the saturated colour, so sending still reads as "the page fills in".
 */
export const lightTheme: Theme = {
  name: 'light',
  css: {
    bg: '#f4f5f7',
    panel: '#ffffff',
    border: '#d3d8de',
    text: '#1b1f24',
    muted: '#5b6570',
    accent: '#0072b2',
    danger: '#b8410e',
    ok: '#00785a',
  },
  pageMap: {
    background: '#ffffff',
    families: {
      zero: { pending: '#dfe2e6', sent: '#7d848e' },
      used: { pending: '#b9dcf3', sent: '#0072b2' },
      'free-stale': { pending: '#f6dcaa', sent: '#d18b00' },
      held: { pending: '#bfe8da', sent: '#009e73' },
      discarded: { pending: '#f5cdb3', sent: '#d55e00' },
    },
    redirtied: '#cc79a7',
    cursor: '#1b1f24',
    cursorOutline: '#ffffff',
  },
  chart: {
    throughput: '#0072b2',
    transferred: '#c07f00',
    remaining: '#b0508a',
    sync: '#8a939e',
    round: '#5b6570',
    stopCopy: '#b8860b',
    grid: '#e6e9ed',
    axis: '#5b6570',
    // On white the Okabe-Ito hues are darkened for contrast (orange: #E69F00 at 3/4 lightness).
    hue: { vermillion: '#d55e00', bluishGreen: '#008a66', reddishPurple: '#a3477f', blue: '#0072b2', orange: '#ad7700' },
  },
  vq: {
    free: '#e3e6ea',
    avail: '#56b4e9',
    device: '#e69f00',
    used: '#3fbf98',
    kick: '#b8860b',
    interrupt: '#cc79a7',
    token: '#c9d1da',
    box: '#f4f5f7',
  },
};

export const THEMES: Readonly<Record<ThemeName, Theme>> = { dark: darkTheme, light: lightTheme };

/** What the user chose: follow the operating system, or a fixed theme. */
export type ThemePref = 'system' | 'dark' | 'light';

/** The theme button cycles system -> dark -> light -> system. */
export function nextThemePref(p: ThemePref): ThemePref {
  switch (p) {
    case 'system':
      return 'dark';
    case 'dark':
      return 'light';
    case 'light':
      return 'system';
    default: {
      const never: never = p;
      return never;
    }
  }
}

export function resolveTheme(pref: ThemePref, systemDark: boolean): Theme {
  if (pref === 'system') return systemDark ? darkTheme : lightTheme;
  return THEMES[pref];
}

const STORAGE_KEY = 'migviz.theme';

/** The saved preference; 'system' when nothing (valid) is saved or storage is unavailable. */
export function loadThemePref(): ThemePref {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return v === 'dark' || v === 'light' || v === 'system' ? v : 'system';
  } catch {
    return 'system'; // storage disabled (privacy mode, sandboxed iframe): just do not remember
  }
}

export function saveThemePref(p: ThemePref): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, p);
  } catch {
    // not persisted; the choice still applies to this page
  }
}
