/**
 * Every colour the UI uses, in one object: CSS variables, the page-map palette, charts and the
 * virtqueue view all read from here, so a light theme (issue 5) is one more object.
 *
 * Page-map encoding (two states per page, both readable, colour-blind safe):
 *   hue     = guest state, Okabe-Ito families: never touched -> grey, in use -> blue, free with
 *             stale data -> orange (blue/orange stay apart for every common colour-vision type)
 *   light   = migration state: to send -> dark, sent -> bright
 *   pattern = skipped as free -> dark checkerboard over the background ("left out");
 *             dirtied again -> bright checkerboard with reddish purple ("must go again")
 */
export type GuestFamily = 'zero' | 'used' | 'freeStale';

export interface Theme {
  readonly name: string;
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
      freeStale: { pending: '#7d5606', sent: '#f0b13c' },
    },
    redirtied: '#cc79a7',
    cursor: '#f0e442',
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
