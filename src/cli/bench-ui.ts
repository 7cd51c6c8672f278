/**
 * npm run -s bench:ui [-- --json] [-- --runs N] [-- --seconds S] [-- --loads N] [-- --first-visits N]
 *                     [-- --sweep-only | --load-only]
 *
 * The page's budgets (ARCHITECTURE.md §7), measured in headless Chromium (Debian's /usr/bin/chromium,
 * or $CHROMIUM) against the production build served by `vite preview`, at 1440x900:
 * - first contentful paint <= 1 s after load;
 * - while an 8 GiB migration plays at the default speed: p95 frame time <= 17 ms and no
 *   main-thread task over 50 ms (in the single view and in compare);
 * - the same while a convergence run plays (issue 10): the README's 8 GiB stress guest, 4 GiB
 *   written at 400 MiB/s over 1 Gbit/s with auto-converge, at 50x so that its syncs, throttle
 *   steps and convergence charts move (about 400 s of simulated time in 8 s);
 * - the same for idle guests of 128 GiB (single and compare) and 1 TiB (single), issue 12;
 * - production bundle <= 250 KB gzip (JS + CSS loaded by index.html, the worker chunk apart);
 * - zoom (issue 13): from the whole 8 GiB guest to single pages with the keyboard (+, 13 times,
 *   one press per 50 ms) in <= 1 s, every frame <= 33 ms;
 * - scrubbing compare (issue 13): the mouse drags the timeline's thumb back and forth across the
 *   8 GiB race for the measured seconds (every seek re-simulates both runs): p95 frame <= 17 ms,
 *   no main-thread task over 50 ms.
 * - a sweep (issue 15): 3 modes x 8 guest sizes (1-128 GiB) x 1 seed on rfc-case-1, opened with
 *   S from the single view (DEFAULT_SWEEP), in <= 10 s from the key to the last point, with the
 *   page responsive meanwhile (p95 frame <= 17 ms, no main-thread task over 50 ms).
 *   `--sweep-only` measures only this case.
 * - load (issue 13): no main-thread task over 50 ms from the navigation until the default page
 *   has drawn its first frames and its timeline's pre-run is done (LOAD_WINDOW_MS after the load
 *   event; the first frames come about 1 s after navigation), over `--loads` loads (default 12):
 *   it counts the loads that have one, and the longest task of each. The loads are repeat
 *   visits (new tabs of one browser, its cache warm) and, counted apart, `--first-visits` (default
 *   6) first visits (a new browser context each: nothing cached, no code cache).
 *   `--load-only` measures only this case.
 * Each figure is the median over the runs. Run `npm run build` first (the npm script does).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import { parseFlags, runCli } from './args';
import { collectErrors, VIEWPORT, withBuiltPage } from './headless';

interface PlayRun extends Recorded {
  fcpMs: number;
  played: boolean;
  errors: string[];
}

/**
 * Records frame intervals and long tasks once `__bench.recording` is set (after load), and every
 * long task from the navigation on in `loadTasks` (the load case).
 */
const INSTRUMENT = `
  window.__bench = { longTasks: [], loadTasks: [], frames: [], recording: false };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      window.__bench.loadTasks.push({ startMs: e.startTime, ms: e.duration });
      if (window.__bench.recording) window.__bench.longTasks.push(e.duration);
    }
  }).observe({ type: 'longtask', buffered: true });
  let last = 0;
  const tick = (t) => {
    if (last && window.__bench.recording) window.__bench.frames.push(t - last);
    last = t;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
`;

interface Recorded {
  frames: number;
  p50: number;
  p95: number;
  maxFrame: number;
  /** Main-thread tasks over 50 ms. */
  longTasks: number;
  longestTaskMs: number;
}

/** What INSTRUMENT recorded since `recording` was set: frame-time quantiles and long tasks. */
async function recorded(page: Page): Promise<Recorded> {
  const r = (await page.evaluate('({ frames: [...window.__bench.frames], longTasks: [...window.__bench.longTasks] })')) as {
    frames: number[];
    longTasks: number[];
  };
  const f = r.frames.sort((a, b) => a - b);
  const q = (p: number) => (f.length ? f[Math.min(f.length - 1, Math.floor(p * f.length))] : Number.NaN);
  return {
    frames: f.length,
    p50: q(0.5),
    p95: q(0.95),
    maxFrame: q(1),
    longTasks: r.longTasks.filter((d) => d > 50).length,
    longestTaskMs: Math.max(0, ...r.longTasks),
  };
}

/**
 * A new page of the browser or of a context, at the bench's viewport, instrumented (INSTRUMENT,
 * passed as source text: tsx would otherwise wrap functions in helpers the page does not have),
 * loaded, and given `settleMs` to start its workers; console errors and page errors are
 * collected in `errors`.
 */
async function openPage(target: Browser | BrowserContext, url: string, settleMs: number): Promise<{ page: Page; errors: string[] }> {
  const page = await target.newPage();
  await page.setViewport({ ...VIEWPORT, deviceScaleFactor: 1 });
  const errors = collectErrors(page);
  await page.evaluateOnNewDocument(INSTRUMENT);
  await page.goto(url, { waitUntil: 'load' });
  await new Promise((r) => setTimeout(r, settleMs));
  return { page, errors };
}

async function measurePlay(browser: Browser, url: string, seconds: number): Promise<PlayRun> {
  const { page, errors } = await openPage(browser, url, 1500);
  const fcpMs = (await page.evaluate(
    "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN",
  )) as number;
  await page.evaluate('window.__bench.recording = true');
  await page.keyboard.press('Space');
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const r = await recorded(page);
  // The run must have left setup: the page names the phase (bulk, stop-copy, completed...).
  const played = (await page.evaluate("/\\b(bulk|iterate|stop-copy|completed)\\b/.test(document.body.innerText)")) as boolean;
  await page.close();
  return { fcpMs, ...r, played, errors };
}

interface ZoomRun extends Recorded {
  /** From the first + to the frame showing one page per cell, ms. */
  toOnePageMs: number;
  /**
   * From the last + to that frame, ms: the page's own part. The rest is the 13 presses, 50 ms
   * apart, each a round trip to the browser.
   */
  afterLastPressMs: number;
  errors: string[];
}

/** Zooms the map from the whole guest to single pages with + and times it. */
async function measureZoom(browser: Browser, url: string): Promise<ZoomRun> {
  const { page, errors } = await openPage(browser, url, 1500);
  await page.focus('canvas.page-map');
  await page.evaluate('window.__bench.recording = true');
  const t0 = Date.now();
  // 2^21 pages halved 13 times: 256 pages, one per cell.
  let lastPress = t0;
  for (let i = 0; i < 13; i++) {
    lastPress = Date.now();
    await page.keyboard.press('+');
    await new Promise((r) => setTimeout(r, 50));
  }
  await page.waitForFunction("/= 1 page \\(/.test(document.querySelector('[data-testid=bucketing]')?.textContent ?? '')", {
    timeout: 10_000,
    polling: 'raf',
  });
  const toOnePageMs = Date.now() - t0;
  const afterLastPressMs = Date.now() - lastPress;
  await new Promise((r) => setTimeout(r, 300));
  const r = await recorded(page);
  await page.close();
  return { toOnePageMs, afterLastPressMs, ...r, errors };
}

interface ScrubRun extends Recorded {
  /** Drag steps (each moves the scrubber, so each seeks both runs), for the record. */
  moves: number;
  errors: string[];
}

/** Drags the compare view's timeline thumb back and forth for `seconds`, as a speaker scrubbing. */
async function measureScrub(browser: Browser, url: string, seconds: number): Promise<ScrubRun> {
  const { page, errors } = await openPage(browser, url, 2000); // both timelines in: the scrubber spans the race
  const box = await (await page.$('input.scrubber'))?.boundingBox();
  if (!box) throw new Error('no timeline scrubber on the page');
  const y = box.y + box.height / 2;
  const x0 = box.x + 8;
  const x1 = box.x + box.width - 8;
  await page.evaluate('window.__bench.recording = true');
  await page.mouse.move(x0, y);
  await page.mouse.down();
  const end = Date.now() + seconds * 1000;
  let moves = 0;
  // 40 px a step, one step per ~frame pair: a brisk drag there and back.
  for (let dir = 1, x = x0; Date.now() < end; moves++) {
    x += dir * 40;
    if (x >= x1 || x <= x0) dir = -dir;
    await page.mouse.move(Math.min(x1, Math.max(x0, x)), y);
    await new Promise((r) => setTimeout(r, 30));
  }
  await page.mouse.up();
  const r = await recorded(page);
  await page.close();
  return { ...r, moves, errors };
}

/**
 * How long after the load event the load case watches. It was 1.5 s, which ended before some
 * first frames were painted and before the timeline's pre-run; tasks over 50 ms came later too.
 */
const LOAD_WINDOW_MS = 5000;

/** A main-thread task as the long-task observer saw it: start after navigation and length, ms. */
interface LoadTask {
  startMs: number;
  ms: number;
}

interface LoadRun {
  /** Every main-thread task over 50 ms from the navigation to LOAD_WINDOW_MS after load. */
  tasks: LoadTask[];
  /** The JS and CSS files it fetched, as paths under dist ("assets/App-x.js"). */
  files: string[];
  errors: string[];
}

/**
 * How a load finds the browser. `repeat`: a new tab of the one browser, whose HTTP cache (and so
 * V8's code cache for the scripts) earlier loads have filled, as when a speaker reloads the page.
 * `first-visit`: a new browser context each time, with nothing cached, as a first visit.
 */
type LoadKind = 'repeat' | 'first-visit';

/** Loads the default page and returns its long tasks (the page's first render included). */
async function measureLoad(browser: Browser, url: string, kind: LoadKind): Promise<LoadRun> {
  const context = kind === 'first-visit' ? await browser.createBrowserContext() : null;
  const { page, errors } = await openPage(context ?? browser, url, LOAD_WINDOW_MS);
  const tasks = (await page.evaluate('[...window.__bench.loadTasks]')) as LoadTask[];
  const urls = (await page.evaluate("performance.getEntriesByType('resource').map((e) => e.name)")) as string[];
  const files = urls.map((u) => new URL(u).pathname.slice(1)).filter((f) => /^assets\/.+\.(js|css)$/.test(f));
  await page.close();
  await context?.close();
  return { tasks, files, errors };
}

/** The load case's summary over `n` loads: how many had a task over 50 ms, and the longest tasks. */
async function loadCase(browser: Browser, url: string, n: number, kind: LoadKind) {
  const loads: LoadRun[] = [];
  for (let i = 0; i < n; i++) loads.push(await measureLoad(browser, url, kind));
  const longest = loads.map((l) => Math.max(0, ...l.tasks.map((t) => t.ms)));
  return {
    kind,
    loads: n,
    loadsWithTaskOver50Ms: longest.filter((t) => t > 50).length,
    longestTaskMedianMs: round(median(longest)),
    longestTaskMaxMs: round(Math.max(...longest)),
    /** Where they were: each task over 50 ms of each load, in load order (load 1 is the first). */
    tasksOver50Ms: loads.flatMap((l, i) =>
      l.tasks.filter((t) => t.ms > 50).map((t) => ({ load: i + 1, startMs: round(t.startMs), ms: round(t.ms) })),
    ),
    files: [...new Set(loads.flatMap((l) => l.files))].sort(),
    consoleErrors: loads.flatMap((l) => l.errors),
  };
}

const loadLine = (l: Awaited<ReturnType<typeof loadCase>>) =>
  `load of the default page, ${l.kind === 'repeat' ? 'repeat visits (new tabs, warm cache)' : 'first visits (new context each, empty cache)'}: ` +
  `${l.loadsWithTaskOver50Ms} of ${l.loads} loads with a main-thread task over 50 ms (budget 0); ` +
  `longest task per load: median ${l.longestTaskMedianMs} ms, max ${l.longestTaskMaxMs} ms; errors: ${l.consoleErrors.length}` +
  (l.tasksOver50Ms.length
    ? `; tasks over 50 ms (load: ms after navigation, length): ${l.tasksOver50Ms.map((t) => `${t.load}: ${t.startMs}, ${t.ms} ms`).join('; ')}`
    : '') +
  '\n';

interface SweepRun extends Recorded {
  /** From the S key to the last point on the chart, ms (wall clock, the benchmark's). */
  sweepMs: number;
  /** What the page says it took ("24 / 24 runs in 2.8 s"), from the sweep's start. */
  pageSays: string;
  errors: string[];
}

/** Opens the sweep view with S on rfc-case-1 and times the 24 runs of DEFAULT_SWEEP. */
async function measureSweep(browser: Browser, url: string): Promise<SweepRun> {
  const { page, errors } = await openPage(browser, url, 1500);
  await page.evaluate('window.__bench.recording = true');
  const t0 = Date.now();
  await page.keyboard.press('s');
  await page.waitForFunction("/^24 \\/ 24 runs in/.test(document.querySelector('[data-testid=sweep-progress]')?.textContent ?? '')", {
    timeout: 60_000,
    polling: 'raf',
  });
  const sweepMs = Date.now() - t0;
  const pageSays = (await page.evaluate("document.querySelector('[data-testid=sweep-progress]').textContent")) as string;
  await new Promise((r) => setTimeout(r, 300));
  const r = await recorded(page);
  await page.close();
  return { sweepMs, pageSays, ...r, errors };
}

/**
 * Gzip size of what the first view loaded: the JS and CSS files under assets/ that the load case's
 * pages fetched (index.html's own and the chunks its boot imports), the workers apart, and the
 * workers' files on their own.
 */
function bundleGzipKB(dist: string, firstView: string[]): { mainKB: number; workerKB: number } {
  const gz = (file: string) => gzipSync(readFileSync(join(dist, file))).length / 1024;
  const mainKB = firstView.filter((f) => !f.includes('worker')).reduce((s, f) => s + gz(f), 0);
  const workerKB = readdirSync(join(dist, 'assets'))
    .filter((f) => f.includes('worker') && f.endsWith('.js'))
    .reduce((s, f) => s + gz(join('assets', f)), 0);
  return { mainKB: round(mainKB), workerKB: round(workerKB) };
}

const bundleLine = (b: { mainKB: number; workerKB: number }) =>
  `bundle: ${b.mainKB} KB gzip of JS and CSS loaded by the first view (budget 250), workers ${b.workerKB} KB gzip\n`;

const round = (x: number) => Math.round(x * 10) / 10;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

runCli(() => {
  const flags = parseFlags(process.argv.slice(2), {
    '--json': { kind: 'switch' },
    '--runs': { kind: 'integer', min: 1, max: 9 },
    '--seconds': { kind: 'number', min: 2, max: 60 },
    '--sweep-only': { kind: 'switch' },
    '--load-only': { kind: 'switch' },
    '--loads': { kind: 'integer', min: 1, max: 100 },
    '--first-visits': { kind: 'integer', min: 1, max: 100 },
  });
  const runs = Number(flags['--runs'] ?? 3);
  const seconds = Number(flags['--seconds'] ?? 8);
  const loads = Number(flags['--loads'] ?? 12);
  const firstVisits = Number(flags['--first-visits'] ?? 6);
  withBuiltPage(4179, async (browser, base) => {
    if (flags['--load-only']) {
      const load = await loadCase(browser, base, loads, 'repeat');
      const firstVisit = await loadCase(browser, base, firstVisits, 'first-visit');
      const bundle = bundleGzipKB('dist', load.files);
      process.stdout.write(
        flags['--json']
          ? `${JSON.stringify({ viewport: VIEWPORT, bundle, load, firstVisit }, null, 2)}\n`
          : loadLine(load) + loadLine(firstVisit) + bundleLine(bundle),
      );
      return;
    }
    const sweeps: SweepRun[] = [];
    for (let i = 0; i < runs; i++) sweeps.push(await measureSweep(browser, `${base}?scenario=rfc-case-1`));
    const sweep = {
      runs,
      sweepMs: median(sweeps.map((z) => z.sweepMs)),
      pageSays: sweeps.map((z) => z.pageSays),
      frameP95Ms: round(median(sweeps.map((z) => z.p95))),
      frameMaxMs: round(median(sweeps.map((z) => z.maxFrame))),
      longTasksOver50Ms: median(sweeps.map((z) => z.longTasks)),
      longestTaskMs: round(median(sweeps.map((z) => z.longestTaskMs))),
      consoleErrors: sweeps.flatMap((z) => z.errors),
    };
    const sweepLine =
      `sweep rfc-case-1, 3 modes x 8 sizes (1-128 GiB) x 1 seed: ${sweep.sweepMs} ms from S to the last point (budget 10000); ` +
      `frames p95 ${sweep.frameP95Ms} ms (budget 17), max ${sweep.frameMaxMs} ms; tasks > 50 ms: ${sweep.longTasksOver50Ms} ` +
      `(longest ${sweep.longestTaskMs} ms); errors: ${sweep.consoleErrors.length}  [median of ${sweep.runs}; the page said ${sweep.pageSays.join(', ')}]\n`;
    if (flags['--sweep-only']) {
      process.stdout.write(flags['--json'] ? `${JSON.stringify({ viewport: VIEWPORT, sweep }, null, 2)}\n` : sweepLine);
      return;
    }
    const load = await loadCase(browser, base, loads, 'repeat');
    const firstVisit = await loadCase(browser, base, firstVisits, 'first-visit');
    const views = [
      { name: 'rfc-case-2 original (single view)', url: base },
      { name: 'rfc-case-2 compare (two workers)', url: `${base}?view=compare` },
      {
        name: 'stress 8 GiB, auto-converge, 50x (single view)',
        url: `${base}?scenario=rfc-case-1&workload=stress&ws=4&dirty=400&link=1&ac=1&speed=50`,
      },
      // Issue 12: big guests (the engine's bench has them idle: idle 128 GiB, idle 1 TiB).
      { name: 'idle 128 GiB original (single view)', url: `${base}?scenario=rfc-case-1&gib=128` },
      { name: 'idle 128 GiB compare (two workers)', url: `${base}?scenario=rfc-case-1&gib=128&view=compare` },
      { name: 'idle 1 TiB original (single view)', url: `${base}?scenario=rfc-case-1&gib=1024` },
    ];
    const results = [];
    for (const v of views) {
      const all: PlayRun[] = [];
      for (let i = 0; i < runs; i++) all.push(await measurePlay(browser, v.url, seconds));
      results.push({
        view: v.name,
        runs,
        seconds,
        fcpMs: round(median(all.map((a) => a.fcpMs))),
        frameP50Ms: round(median(all.map((a) => a.p50))),
        frameP95Ms: round(median(all.map((a) => a.p95))),
        frameMaxMs: round(median(all.map((a) => a.maxFrame))),
        longTasksOver50Ms: median(all.map((a) => a.longTasks)),
        longestTaskMs: round(median(all.map((a) => a.longestTaskMs))),
        played: all.every((a) => a.played),
        consoleErrors: all.flatMap((a) => a.errors),
      });
    }
    const zooms: ZoomRun[] = [];
    for (let i = 0; i < runs; i++) zooms.push(await measureZoom(browser, base));
    const zoom = {
      runs,
      toOnePageMs: median(zooms.map((z) => z.toOnePageMs)),
      afterLastPressMs: median(zooms.map((z) => z.afterLastPressMs)),
      frameP95Ms: round(median(zooms.map((z) => z.p95))),
      frameMaxMs: round(median(zooms.map((z) => z.maxFrame))),
      longTasksOver50Ms: median(zooms.map((z) => z.longTasks)),
      consoleErrors: zooms.flatMap((z) => z.errors),
    };
    const scrubs: ScrubRun[] = [];
    for (let i = 0; i < runs; i++) scrubs.push(await measureScrub(browser, `${base}?view=compare`, seconds));
    const scrub = {
      runs,
      seconds,
      frameP95Ms: round(median(scrubs.map((z) => z.p95))),
      frameMaxMs: round(median(scrubs.map((z) => z.maxFrame))),
      longTasksOver50Ms: median(scrubs.map((z) => z.longTasks)),
      longestTaskMs: round(median(scrubs.map((z) => z.longestTaskMs))),
      moves: median(scrubs.map((z) => z.moves)),
      consoleErrors: scrubs.flatMap((z) => z.errors),
    };
    const bundle = bundleGzipKB('dist', load.files);
    if (flags['--json']) {
      process.stdout.write(`${JSON.stringify({ viewport: VIEWPORT, bundle, load, firstVisit, results, zoom, scrub, sweep }, null, 2)}\n`);
    } else {
      for (const r of results) {
        process.stdout.write(
          `${r.view}: first paint ${r.fcpMs} ms; frames p50 ${r.frameP50Ms} ms, p95 ${r.frameP95Ms} ms (budget 17), max ${r.frameMaxMs} ms; ` +
            `tasks > 50 ms: ${r.longTasksOver50Ms} (longest ${r.longestTaskMs} ms); console errors: ${r.consoleErrors.length}; ` +
            `${r.played ? 'played' : 'DID NOT PLAY'}  [median of ${r.runs} x ${r.seconds} s]\n`,
        );
      }
      process.stdout.write(
        `zoom 8 GiB -> one page (13 x +): ${zoom.toOnePageMs} ms (budget 1000; ${zoom.afterLastPressMs} ms after the last +); frames p95 ${zoom.frameP95Ms} ms, max ${zoom.frameMaxMs} ms (budget 33); ` +
          `tasks > 50 ms: ${zoom.longTasksOver50Ms}; errors: ${zoom.consoleErrors.length}  [median of ${zoom.runs}]\n`,
      );
      process.stdout.write(
        `scrubbing compare 8 GiB (${scrub.moves} drag steps in ${scrub.seconds} s): frames p95 ${scrub.frameP95Ms} ms (budget 17), ` +
          `max ${scrub.frameMaxMs} ms; tasks > 50 ms: ${scrub.longTasksOver50Ms} (longest ${scrub.longestTaskMs} ms); ` +
          `errors: ${scrub.consoleErrors.length}  [median of ${scrub.runs}]\n`,
      );
      process.stdout.write(sweepLine);
      process.stdout.write(loadLine(load));
      process.stdout.write(loadLine(firstVisit));
      process.stdout.write(bundleLine(bundle));
    }
  });
});
