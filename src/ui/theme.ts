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

export type ThemeName = 'dark' | 'light' | 'projector';

/** Okabe-Ito hues a mode's runs can be drawn in (dark: sky blue for `blue`, light: blue). */
export type ChartHue = 'vermillion' | 'bluishGreen' | 'reddishPurple' | 'blue' | 'orange';

export interface Theme {
  readonly name: ThemeName;
  /** The CSS color-scheme for form controls and scrollbars. */
  readonly scheme: 'dark' | 'light';
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
  scheme: 'dark',
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
  scheme: 'light',
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

/**
 * For projectors, which wash out pale tints and dark greys alike: pure black ground, white text,
 * and every page-map state at full strength. The hue families stay the Okabe-Ito ones (the
 * encoding and its colour-blind safety do not change); only lightness moves apart: "to send" is
 * the hue at about half lightness, "sent" the hue at full saturation, and "never touched" is a
 * mid grey that stays visible on black (the dark theme's #4b515a disappears on a projector).
 * Chart lines are 100 % saturated hues so they survive a bright room.
 */
export const projectorTheme: Theme = {
  name: 'projector',
  scheme: 'dark',
  css: {
    bg: '#000000',
    panel: '#000000',
    border: '#8a8a8a',
    text: '#ffffff',
    muted: '#d6d6d6',
    accent: '#56b4e9',
    danger: '#ff8c69',
    ok: '#4ff0b8',
  },
  pageMap: {
    background: '#000000',
    families: {
      zero: { pending: '#6e6e6e', sent: '#e0e0e0' },
      used: { pending: '#1f6fb0', sent: '#6cc8ff' },
      'free-stale': { pending: '#a06d00', sent: '#ffc233' },
      held: { pending: '#00795a', sent: '#3ef0b8' },
      discarded: { pending: '#9a3b00', sent: '#ff7a2e' },
    },
    redirtied: '#ff8fd0',
    cursor: '#fff200',
    cursorOutline: '#000000',
  },
  chart: {
    throughput: '#6cc8ff',
    transferred: '#ffc233',
    remaining: '#ff8fd0',
    sync: '#b0b0b0',
    round: '#d6d6d6',
    stopCopy: '#fff200',
    grid: '#3a3a3a',
    axis: '#ffffff',
    hue: { vermillion: '#ff7a3d', bluishGreen: '#3ef0b8', reddishPurple: '#ff8fd0', blue: '#6cc8ff', orange: '#ffb000' },
  },
  vq: {
    free: '#4a4a4a',
    avail: '#6cc8ff',
    device: '#ffc233',
    used: '#3ef0b8',
    kick: '#fff200',
    interrupt: '#ff8fd0',
    token: '#ffffff',
    box: '#1a1a1a',
  },
};

export const THEMES: Readonly<Record<ThemeName, Theme>> = { dark: darkTheme, light: lightTheme, projector: projectorTheme };

/** What the user chose: follow the operating system, or a fixed theme. */
export type ThemePref = 'system' | ThemeName;

/** The theme button cycles system -> dark -> light -> projector -> system. */
export function nextThemePref(p: ThemePref): ThemePref {
  switch (p) {
    case 'system':
      return 'dark';
    case 'dark':
      return 'light';
    case 'light':
      return 'projector';
    case 'projector':
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
    return v === 'system' || (v !== null && v !== undefined && Object.hasOwn(THEMES, v)) ? (v as ThemePref) : 'system';
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
