/**
 * npm run -s screenshots [-- --only NAME]
 *
 * Takes the README's pictures (docs/*.png) from the production build, as a user would see it:
 * `vite preview` and headless Chromium at 1440x900 (headless.ts). Each picture is a link that
 * reproduces the view (the engine is deterministic, so `t=` is an exact moment), plus what a user
 * would do on it (hover a page, open an example, press S), and the text the page must show before
 * the picture is taken, so a page that did not get there fails here instead of landing a wrong
 * picture. Run it after a change that shows on the page, and look at the pictures.
 */
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { EXAMPLE_FILE_NAMES } from '../import';
import { pointOfPfn } from '../protocol';
import { parseFlags, runCli } from './args';
import { collectErrors, VIEWPORT, withBuiltPage } from './headless';

interface Shot {
  /** The picture's name: docs/NAME.png, as the README names it. */
  name: string;
  /** Query string of the link that opens the view. */
  query: string;
  /** Viewport height when it differs from VIEWPORT's (a taller page shows more of it). */
  height?: number;
  /** What the user does once the page has loaded. */
  act?: (page: Page) => Promise<void>;
  /** A page to hold the mouse over once the page is ready, for its tooltip. */
  hover?: number;
  /** Regular expressions the page's text must all match before the picture is taken. */
  ready: string[];
  /** A CSS selector: the picture is of that element alone. */
  element?: string;
}

const SHOTS: Shot[] = [
  {
    // README "Using the visualizer": zoom to single pages and a pinned page with its history.
    name: 'zoomed-pinned',
    query: 'v=1&scenario=rfc-case-1&view=hint&t=200&pages=8192&pin=4118',
    ready: ['pfn 4,118 \\(0x1016\\)', 'sent, version 1'],
    hover: 4118,
  },
  {
    // The race before it ends: no winner named, both clocks said, the charts following the clock.
    name: 'compare-race',
    query: 'v=1&view=compare&t=400',
    ready: ['the result shows when both runs have reached their end', '0\\.400 s / \\d'],
  },
  {
    // README "Import a measured run": the guestperf example over the simulation.
    name: 'import-measured',
    query: 'v=1',
    height: 1100,
    act: async (page) => {
      await page.select('select.examples-select', EXAMPLE_FILE_NAMES.guestperf);
      // biome-ignore lint/performance/useDomNodeTextContent: the text as shown, hidden parts left out
      await page.waitForFunction((name: string) => document.body.innerText.includes(`Imported ${name}`), {}, EXAMPLE_FILE_NAMES.guestperf);
      // To the run's end with the timeline's own key, so the simulated line lies under the measured
      // one; once the timeline knows the end ("completes in 1.5 s").
      // biome-ignore lint/performance/useDomNodeTextContent: the text as shown, hidden parts left out
      await page.waitForFunction(() => /completes in/.test(document.body.innerText));
      await page.focus('input.scrubber');
      await page.keyboard.press('End');
      await page.evaluate('document.activeElement.blur()'); // no focus ring in the picture
    },
    ready: ['\\d\\.\\d{3} s\\s*completed'],
  },
  {
    // README "Sweeps": the default sweep of rfc-case-1, opened with S.
    name: 'sweep-rfc-case-1',
    query: 'v=1&scenario=rfc-case-1',
    act: (page) => page.keyboard.press('s'),
    ready: ['24 / 24 runs in'],
    element: '.sweep-chart',
  },
];

/**
 * Moves the mouse over `pfn` on the page map, for its tooltip: `pointOfPfn`, the page's own
 * mapping, on the layout as the map shows it. The map must be at one page per cell; its header
 * states the cell size ("6.94×6.94 px = 1 page"), the frame the grid's size.
 */
async function hoverPfn(page: Page, pfn: number): Promise<void> {
  const shown = (await page.evaluate(`(() => {
    const frame = document.querySelector('.page-map-frame').getBoundingClientRect();
    const header = document.querySelector('[data-testid=bucketing]').textContent;
    return { left: frame.left, top: frame.top, width: frame.width, height: frame.height, header };
  })()`)) as { left: number; top: number; width: number; height: number; header: string };
  const scale = /([\d.]+)×[\d.]+ px = 1 page\b/.exec(shown.header)?.[1];
  if (!scale) throw new Error(`hover pfn ${pfn}: the map is not at one page per cell (${shown.header})`);
  const s = Number(scale);
  const cols = Math.round(shown.width / s);
  const rows = Math.round(shown.height / s);
  const at = pointOfPfn(pfn, { bucketShift: 0, firstPfn: 0, cells: cols * rows, cols, rows, scale: s });
  if (!at) throw new Error(`hover pfn ${pfn}: not in the window shown`);
  await page.mouse.move(shown.left + at.x, shown.top + at.y);
}

/** After the text is there: the map, virtqueue and charts paint over the next frames. */
const SETTLE_MS = 1000;

async function take(page: Page, base: string, shot: Shot, outDir: string): Promise<string> {
  const errors = collectErrors(page);
  await page.setViewport({ width: VIEWPORT.width, height: shot.height ?? VIEWPORT.height, deviceScaleFactor: 1 });
  await page.goto(`${base}?${shot.query}`, { waitUntil: 'load' });
  // The parts mount in turns and the engines start after them (ARCHITECTURE.md §6): wait for the
  // map's first frame, when its header states the bucketing ("… px = 8 pages") instead of "loading…".
  await page.waitForFunction("/ px = /.test(document.querySelector('[data-testid=bucketing]')?.textContent ?? '')", {
    timeout: 10_000,
  });
  await shot.act?.(page);
  try {
    // And nothing simulating any more: the seek to `t=`, the timeline's pre-run and the pinned
    // page's history are done, so the picture shows the moment settled.
    await page.waitForFunction(
      (res: string[]) => {
        // biome-ignore lint/performance/useDomNodeTextContent: the text as shown, hidden parts left out
        const shown = document.body.innerText;
        return res.every((re) => new RegExp(re).test(shown)) && !/simulating/.test(shown);
      },
      { timeout: 30_000, polling: 200 },
      shot.ready,
    );
  } catch {
    const wanted = [...shot.ready.map((re) => `/${re}/`), 'no "simulating"'].join(' and ');
    throw new Error(`${shot.name}: the page never showed ${wanted} (errors: ${errors.join('; ') || 'none'})`);
  }
  if (shot.hover !== undefined) await hoverPfn(page, shot.hover);
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  if (errors.length) throw new Error(`${shot.name}: the page logged errors: ${errors.join('; ')}`);
  const path = join(outDir, `${shot.name}.png`) as `${string}.png`;
  if (shot.element) {
    const el = await page.$(shot.element);
    if (!el) throw new Error(`${shot.name}: no ${shot.element} on the page`);
    await el.screenshot({ path });
  } else {
    await page.screenshot({ path });
  }
  return path;
}

runCli(() => {
  const flags = parseFlags(process.argv.slice(2), { '--only': { kind: 'choice', choices: SHOTS.map((s) => s.name) } });
  const only = flags['--only'];
  const shots = only === undefined ? SHOTS : SHOTS.filter((s) => s.name === only);
  withBuiltPage(4178, async (browser, base) => {
    for (const shot of shots) {
      // A new context each: no zoom, pin or theme left over from the last picture.
      const context = await browser.createBrowserContext();
      const path = await take(await context.newPage(), base, shot, 'docs');
      await context.close();
      process.stdout.write(`${path}\n`);
    }
  });
});
