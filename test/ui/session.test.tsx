// @vitest-environment jsdom
/**
 * Issue 5 in the app: links, compare, tour, presentation, shortcuts, themes, exports and the
 * announcer, through the real App on in-process engines (the fake simulation, or the real
 * engine on small guests).
 */
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { GUEST_FREE_STALE, MIG_PENDING, pageCode } from '../../src/engine/model/page-state';
import { Simulation } from '../../src/engine/simulation';
import { buildExport, composePageMaps } from '../../src/ui/export/export-actions';
import { MODE_UI, UI_MODES } from '../../src/ui/modes';
import { buildPageMapLut } from '../../src/ui/render/page-map-painter';
import { darkTheme, lightTheme, projectorTheme } from '../../src/ui/theme';
import { pfnRangeBox, structPageRange } from '../../src/ui/tour/annotations';
import { TOUR } from '../../src/ui/tour/tour';
import { FakeSimulation } from '../worker/fake-simulation';
import { appTestEnvironment, SMALL, setup } from './app-harness';
import { words } from './canvas-fake';

const canvasFake = appTestEnvironment();

/** Type into a number field and leave it: the field commits on blur. */
function commit(field: HTMLElement, value: string): void {
  fireEvent.change(field, { target: { value } });
  fireEvent.blur(field);
}

describe('shareable links', () => {
  it('a link opens that view, scenario and seed; changing view and seed rewrites the URL', async () => {
    const user = userEvent.setup();
    const { s, clients, sentTo } = setup(`?v=1&scenario=rfc-case-1&view=compare&seed=7&${SMALL}`);
    expect(screen.getByRole('button', { name: 'Compare' })).toHaveAttribute('aria-pressed', 'true');
    expect(clients).toHaveLength(2);
    const loads = [0, 1].map((i) => sentTo(i, 'load')[0]);
    expect(loads.map((m) => m.type === 'load' && [m.scenario.id, m.scenario.mode, m.scenario.seed, m.scenario.guestGiB])).toEqual([
      ['rfc-case-1', 'original', 7, 0.0625],
      ['rfc-case-1', 'pv', 7, 0.0625],
    ]);
    expect(s().search()).toBe('?v=1&scenario=rfc-case-1&view=compare&gib=0.0625&seed=7');

    await user.click(screen.getByRole('button', { name: 'PV' }));
    await waitFor(() => expect(window.location.search).toBe('?v=1&scenario=rfc-case-1&view=pv&gib=0.0625&seed=7'));
    commit(screen.getByRole('spinbutton', { name: 'Seed' }), '9');
    await waitFor(() => expect(new URLSearchParams(window.location.search).get('seed')).toBe('9'));
    // The default view is the plain address.
    commit(screen.getByRole('spinbutton', { name: 'Seed' }), '1');
    commit(screen.getByRole('spinbutton', { name: 'Guest GiB' }), '8');
    fireEvent.change(screen.getByRole('combobox', { name: 'Scenario' }), { target: { value: 'rfc-case-2' } });
    fireEvent.keyDown(window, { key: 'o' });
    await waitFor(() => expect(window.location.search).toBe(''));
  });

  it('M switches to the pagemap alternative: the engine runs that mode, the link says so, the virtqueue says why it is idle', async () => {
    const { sentTo, flush } = setup(`?${SMALL}`);
    fireEvent.keyDown(window, { key: 'm' });
    expect(screen.getByRole('button', { name: 'Pagemap' })).toHaveAttribute('aria-pressed', 'true');
    expect(sentTo(0, 'setMode').at(-1)).toEqual({ type: 'setMode', mode: 'pagemap' });
    await waitFor(() => expect(new URLSearchParams(window.location.search).get('view')).toBe('pagemap'));
    await waitFor(() => {
      flush();
      expect(document.querySelector('.vq-idle')?.textContent).toBe('No traffic: pagemap never asks the guest');
    });
  });

  it('a link with a time cursor and autoplay seeks there and plays', async () => {
    const { sentTo, s } = setup(`?${SMALL}&t=42&play=1&speed=0.5`);
    const msgs = sentTo(0).map((m) => m.type);
    // The timeline is asked for later, after a frame of the loaded run (panel-timeline.test.ts).
    expect(msgs).toEqual(['setSpeed', 'load', 'seek', 'play']);
    expect(sentTo(0, 'seek')[0]).toEqual({ type: 'seek', simMs: 42 });
    expect(sentTo(0, 'setSpeed')[0]).toEqual({ type: 'setSpeed', simMsPerWallMs: 0.5 });
    await waitFor(() => expect(s().playing).toBe(true));
    act(() => s().pause());
  });

  it('a bad link shows what was wrong, uses the defaults for those fields and the page still works', async () => {
    const user = userEvent.setup();
    const { sentTo, s } = setup('?v=1&view=sideways&seed=-3&gib=abc&t=5&bogus=1');
    const notice = screen.getByTestId('url-notice');
    expect(notice).toHaveAttribute('role', 'alert');
    const items = within(notice)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(items).toHaveLength(4);
    expect(items.join('\n')).toMatch(/unknown link field "bogus"/);
    expect(items.join('\n')).toMatch(/view must be one of original, pv, pagemap, hint, report, compare, sweep \(got "sideways"\)/);
    expect(items.join('\n')).toMatch(/seed must be from 0 to 4294967295 \(got "-3"\)/);
    expect(items.join('\n')).toMatch(/gib \(guest size, GiB\) must be a decimal number/);
    // Defaults for the bad fields, the good one (t) still applies.
    expect(screen.getByRole('button', { name: 'Original' })).toHaveAttribute('aria-pressed', 'true');
    const load = sentTo(0, 'load')[0];
    expect(load.type === 'load' && [load.scenario.seed, load.scenario.guestGiB]).toEqual([1, 8]);
    expect(sentTo(0, 'seek')[0]).toEqual({ type: 'seek', simMs: 5 });
    // Dismissible, and the page works.
    await user.click(screen.getByRole('button', { name: 'Dismiss link notice' }));
    expect(screen.queryByTestId('url-notice')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Play' }));
    expect(screen.getByRole('button', { name: 'Pause' })).toBeInTheDocument();
    act(() => s().pause());
  });
});

describe('compare', () => {
  it('runs two independent simulations that play, pause and seek together', async () => {
    const { s, clients, sentTo, flush } = setup(`?${SMALL}`);
    fireEvent.keyDown(window, { key: 'c' });
    expect(clients).toHaveLength(2);
    const [a, b] = s().panels;
    expect(a).not.toBe(b);
    expect(a.store).not.toBe(b.store);
    expect(a.live).not.toBe(b.live);
    expect([a.store.getState().mode, b.store.getState().mode]).toEqual(['original', 'pv']);
    expect(screen.getByTestId('compare-col-a')).toHaveAttribute('data-mode', 'original');
    expect(screen.getByTestId('compare-col-b')).toHaveAttribute('data-mode', 'pv');
    expect(screen.getAllByRole('img', { name: 'balloon virtqueue' })).toHaveLength(2);

    act(() => s().seek(30));
    expect(sentTo(0, 'seek').at(-1)).toEqual({ type: 'seek', simMs: 30 });
    expect(sentTo(1, 'seek').at(-1)).toEqual({ type: 'seek', simMs: 30 });
    await waitFor(() => expect([a.live.simTimeMs, b.live.simTimeMs]).toEqual([30, 30]));
    // Different modes, different results: the fake PV skips the free 3/4 of the guest.
    expect(a.live.stats?.migviz['skipped-free-pages']).toBe(0);
    expect(b.live.stats?.migviz['skipped-free-pages']).toBe(12288);
    expect(b.live.cursor).toBeGreaterThan(a.live.cursor); // PV's scan skips the free pages

    // Play starts both (once both engines have caught up), Pause stops both. Slowly: the fake PV
    // finishes 21 ms after t=30, and a busy machine must not let it finish before the Pause.
    act(() => s().setSpeed(0.01));
    fireEvent.keyDown(window, { key: ' ' });
    await waitFor(() => expect(sentTo(0, 'play')).toHaveLength(1));
    expect(sentTo(1, 'play')).toHaveLength(1);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Pause' })).toBeInTheDocument());
    fireEvent.keyDown(window, { key: ' ' });
    expect(sentTo(0, 'pause')).toHaveLength(1);
    expect(sentTo(1, 'pause')).toHaveLength(1);
    await waitFor(() => expect(a.store.getState().playing || b.store.getState().playing).toBe(false));
    // Each stopped on its own clock; the Session lines them up on one moment, unless a run has
    // reached its end meanwhile (on a busy machine the fake PV run can: it stays at its end).
    await waitFor(() => {
      if (b.live.done) expect(a.live.simTimeMs).toBeGreaterThanOrEqual(b.live.simTimeMs);
      else expect(b.live.simTimeMs).toBe(a.live.simTimeMs);
    });
    flush();

    // Leaving compare disposes the PV engine; the lead panel switches mode in place.
    fireEvent.keyDown(window, { key: 'p' });
    expect(s().panels).toHaveLength(1);
    expect(s().panels[0]).toBe(a);
    expect(a.store.getState().mode).toBe('pv');
    clients[1].send({ type: 'reset' });
    expect(sentTo(1).at(-1)).toEqual({ type: 'reset' }); // logged, but the disposed client drops it
  });

  it('summary, overlaid charts and the RFC results panel (real engine)', async () => {
    const { s, flush } = setup('?v=1&view=compare&gib=0.25&scenario=rfc-case-1', (sc) => new Simulation(sc));
    const [a, b] = s().panels;
    await waitFor(() => expect(a.store.getState().timeline && b.store.getState().timeline).toBeTruthy());
    // The engine knows the result, but the race has not been run: no winner named anywhere.
    expect(screen.getByTestId('compare-summary').textContent).toBe(
      'PV vs Original: the result shows when both runs have reached their end',
    );
    expect(document.body.textContent).not.toMatch(/faster|slower|less on the wire|more on the wire|saved/);
    act(() => s().seek(100_000));
    await waitFor(() => expect(screen.getByTestId('compare-summary').textContent).toMatch(/^PV vs Original: .* s vs .* s, .*× faster, .* less on the wire$/));
    const fa = a.store.getState().timeline?.final;
    const fb = b.store.getState().timeline?.final;
    expect(fa && fb && fb['total-time'] < fa['total-time']).toBe(true);
    // Not an RFC testbed scenario (0.25 GiB): no published numbers to compare with.
    expect(screen.queryByTestId('results')).toBeNull();
    // The legend is the compact one (two lines: 3 guest hues, 4 migration looks, the cursor).
    const legend = within(screen.getByRole('region', { name: 'Page map legend' }));
    expect(legend.getAllByTestId(/^swatch-guest-/)).toHaveLength(3);
    expect(legend.getAllByTestId(/^swatch-mig-/)).toHaveLength(4);
    expect(legend.getByTestId('swatch-mig-2')).toHaveAttribute('title', 'in use · skipped');
    act(() => s().seek(100_000));
    await waitFor(() => expect(a.live.done && b.live.done).toBe(true));
    await new Promise((r) => setTimeout(r, 80)); // chart throttle
    flush();
    const charts = screen.getByTestId('charts');
    expect(charts.querySelectorAll('.chart-throughput path.chart-line')).toHaveLength(2);
    expect([...charts.querySelectorAll('.chart-throughput path.chart-line')].map((p) => p.getAttribute('data-run'))).toEqual([
      'original',
      'pv',
    ]);
    expect(charts.querySelector('.chart-transferred .chart-readout')?.textContent).toMatch(/^Original .* · PV .* GiB$/);
  });

  it('an RFC preset gets the published numbers beside the simulated ones, with the error in %', async () => {
    const { s } = setup('?v=1&view=compare', (sc) => new Simulation(sc));
    // The simulated totals name the race's winner: they show once both runs have reached their end.
    await waitFor(() => expect(s().panels.every((p) => p.live.epoch > 0)).toBe(true), { timeout: 4000 });
    act(() => s().seek(10_000));
    await waitFor(() => expect(s().panels.every((p) => p.live.done)).toBe(true), { timeout: 4000 });
    const table = await screen.findByTestId('results', {}, { timeout: 4000 });
    await waitFor(() => expect(within(table).queryByText('…')).toBeNull(), { timeout: 4000 });
    const rows = within(table).getAllByRole('row');
    expect(rows.map((r) => r.querySelector('th')?.textContent)).toEqual([
      '',
      'Original total-time',
      'Original transferred',
      'PV total-time',
      'PV transferred',
    ]);
    expect(rows[1].textContent).toMatch(/7,436 ms/);
    expect(rows[3].textContent).toMatch(/552 ms/);
    const errors = [...table.querySelectorAll('tbody td:nth-of-type(3)')].map((td) => Number(td.textContent?.replace(/[^\d.]/g, '')));
    expect(errors).toHaveLength(4);
    // Original time, bytes; PV time (the one RFC cell the evidence-based constants miss), bytes.
    expect(errors).toEqual([2.7, 0.1, 22.4, 0.1]);
    expect(s().panels).toHaveLength(2);
  }, 15_000);
});

describe('compare any two modes', () => {
  const headings = () =>
    ['compare-col-a', 'compare-col-b'].map((id) => within(screen.getByTestId(id)).getAllByRole('heading', { level: 2 })[0].textContent);

  it('a link picks both sides; each column is headed by its mode, the pickers and the charts say the pair', async () => {
    const { s, sentTo, flush } = setup(`?${SMALL}&view=compare&a=hint&b=pagemap`);
    expect(screen.queryByTestId('url-notice')).toBeNull();
    expect(s().panels.map((p) => p.store.getState().mode)).toEqual(['hint', 'pagemap']);
    const loads = [0, 1].map((i) => sentTo(i, 'load')[0]);
    expect(loads.map((m) => m.type === 'load' && m.scenario.mode)).toEqual(['hint', 'pagemap']);
    expect(headings()).toEqual(['Hinting', 'Pagemap']);
    expect(screen.getByRole('combobox', { name: 'Left' })).toHaveValue('hint');
    expect(screen.getByRole('combobox', { name: 'Right' })).toHaveValue('pagemap');
    expect(screen.getByRole('group', { name: 'Compare Hinting vs Pagemap' })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Charts over simulated time' })).toHaveTextContent(/Hinting\s+Pagemap\s+now/);
    // Hinting holds free blocks: the shared legend shows that fourth guest state (Original vs PV: 3).
    const legend = within(screen.getByRole('region', { name: 'Page map legend' }));
    expect(legend.getAllByTestId(/^swatch-guest-/)).toHaveLength(4);
    expect(legend.getByTestId('swatch-guest-3').getAttribute('title')).toMatch(/held/);
    // Hinting uses the balloon's queue; pagemap says why it does not.
    await waitFor(() => {
      flush();
      expect(screen.getByTestId('compare-col-b').querySelector('.vq-idle')?.textContent).toBe('No traffic: pagemap never asks the guest');
    });
    expect(within(screen.getByTestId('compare-col-a')).queryByText(/^No traffic/)).toBeNull();
  });

  it('the pickers switch one side in place, swap when given the other side\'s mode, and rewrite the link', async () => {
    const { s, sentTo, clients } = setup(`?${SMALL}&view=compare`);
    const [a, b] = s().panels;
    fireEvent.change(screen.getByRole('combobox', { name: 'Right' }), { target: { value: 'hint' } });
    expect(s().store.getState().view).toEqual({ kind: 'compare', a: 'original', b: 'hint' });
    expect(s().panels).toEqual([a, b]); // the same two engines, no new worker
    expect(clients).toHaveLength(2);
    expect(sentTo(1, 'setMode').at(-1)).toEqual({ type: 'setMode', mode: 'hint' });
    expect(sentTo(0, 'setMode')).toHaveLength(0);
    expect(headings()).toEqual(['Original', 'Hinting']);
    await waitFor(() => expect(window.location.search).toBe('?v=1&view=compare&a=original&b=hint&gib=0.0625'));

    fireEvent.change(screen.getByRole('combobox', { name: 'Left' }), { target: { value: 'hint' } });
    expect(s().store.getState().view).toEqual({ kind: 'compare', a: 'hint', b: 'original' });
    expect(headings()).toEqual(['Hinting', 'Original']);
    expect(screen.getByTestId('announcer')).toHaveTextContent('Compare view: Hinting vs Original');

    // Leaving and coming back with C shows the last pair again.
    fireEvent.keyDown(window, { key: 'p' });
    expect(s().panels).toHaveLength(1);
    fireEvent.keyDown(window, { key: 'c' });
    expect(s().store.getState().view).toEqual({ kind: 'compare', a: 'hint', b: 'original' });
  });

  it('a bad pair in the link gets a notice and the default pair: the same mode twice, __proto__', () => {
    setup(`?${SMALL}&view=compare&a=pv&b=pv`);
    expect(within(screen.getByTestId('url-notice')).getByRole('listitem')).toHaveTextContent(
      'a and b must be two different modes (got both "pv"); comparing Original vs PV',
    );
    expect(headings()).toEqual(['Original', 'PV']);
    cleanup();
    setup(`?${SMALL}&view=compare&a=__proto__`);
    expect(within(screen.getByTestId('url-notice')).getByRole('listitem')).toHaveTextContent(
      'a (left mode of view=compare) must be one of original, pv, pagemap, hint, report (got "__proto__"); comparing Original vs PV',
    );
    expect(headings()).toEqual(['Original', 'PV']);
  });

  it('published numbers only for the side the RFC measured (PV vs Hinting: PV rows only)', async () => {
    const { s } = setup('?v=1&view=compare&a=pv&b=hint', (sc) => new Simulation(sc));
    const table = await screen.findByTestId('results', {}, { timeout: 4000 });
    await waitFor(() => expect(within(table).queryByText('…')).toBeNull(), { timeout: 8000 });
    // Before the race is run, the simulated totals wait for its end.
    expect(within(table).getAllByText('at the end')).toHaveLength(2);
    act(() => s().seek(100_000));
    await waitFor(() => expect(within(table).queryByText('…')).toBeNull(), { timeout: 8000 });
    const rows = within(table).getAllByRole('row');
    expect(rows.map((r) => r.querySelector('th')?.textContent)).toEqual(['', 'PV total-time', 'PV transferred']);
    expect(rows[1].textContent).toMatch(/552 ms/);
    await waitFor(() => expect(screen.getByTestId('compare-summary').textContent).toMatch(/^Hinting vs PV: .* s vs .* s, /));
  }, 15_000);

  it('an engine error in one panel shows on that panel and the other still plays (issue 9, defect 4)', async () => {
    const { s, sentTo } = setup(`?${SMALL}&view=compare`, (sc) => {
      if (sc.mode === 'pv') throw new Error('out of guest memory');
      return new FakeSimulation(sc);
    });
    await within(screen.getByTestId('compare-col-b')).findByText('out of guest memory');
    expect(within(screen.getByTestId('compare-col-a')).queryByText('The simulation stopped:')).toBeNull();
    fireEvent.keyDown(window, { key: ' ' });
    await waitFor(() => expect(sentTo(0, 'play')).toHaveLength(1));
    expect(sentTo(1, 'play')).toHaveLength(0);
    expect(screen.getByTestId('announcer')).toHaveTextContent('Playing Original only: PV stopped with an error');
    await waitFor(() => expect(s().panels[0].store.getState().playing).toBe(true));
    act(() => s().pause());
  });

  it('when both engines failed, Play says why neither plays', async () => {
    const { sentTo } = setup(`?${SMALL}&view=compare`, () => {
      throw new Error('out of guest memory');
    });
    await waitFor(() => expect(screen.getAllByText('out of guest memory')).toHaveLength(2));
    fireEvent.keyDown(window, { key: ' ' });
    expect(screen.getByTestId('announcer')).toHaveTextContent(
      'Cannot play: Original and PV stopped with an error (Restart is on each panel)',
    );
    await new Promise((r) => setTimeout(r, 20));
    expect([...sentTo(0, 'play'), ...sentTo(1, 'play')]).toHaveLength(0);
  });
});

describe('stats panel', () => {
  it("shows the rows every mode has, then the mode's own counters from its table row", async () => {
    const { s } = setup(`?${SMALL}&view=pv&t=100000`);
    await waitFor(() => expect(s().lead.live.done).toBe(true));
    const terms = () => within(screen.getByTestId('stats')).getAllByRole('term').map((t) => t.textContent);
    const common = ['status', 'total-time', 'setup-time', 'downtime', 'transferred', 'remaining', 'duplicate', 'normal', 'mbps', 'dirty-sync-count', 'rounds'];
    await waitFor(() => expect(terms()).toEqual([...common, 'skipped free', 'free-list walk']));
    // The fake PV skips the free 3/4 of the 16384-page guest.
    const row = within(screen.getByTestId('stats')).getByText('skipped free').parentElement as HTMLElement;
    expect(row).toHaveAttribute('title', `migviz.skipped-free-pages: ${MODE_UI.pv.stats[0].title}`);
    await waitFor(() => expect(row.querySelector('dd')?.textContent).toBe('12,288'));
    fireEvent.keyDown(window, { key: 'h' });
    await waitFor(() => expect(terms()).toEqual([...common, 'hinted', 'hint rounds']));
    fireEvent.keyDown(window, { key: 'o' });
    await waitFor(() => expect(terms()).toEqual(common));
  });
});

describe('exports name their mode', () => {
  for (const mode of UI_MODES) {
    it(`${mode}: file name, page-map caption, chart caption, CSV and JSON`, async () => {
      const { s, svc, flush } = setup(`?${SMALL}&view=${mode}&t=40`);
      await waitFor(() => expect(s().lead.live.simTimeMs).toBe(40));
      flush();
      const label = MODE_UI[mode].label;
      canvasFake().texts.length = 0;
      composePageMaps(svc());
      expect(canvasFake().texts).toEqual([`${label} · 0.040 s`]);
      const svg = await buildExport(svc(), 'charts-svg');
      expect(svg.name).toBe(`migviz-rfc-case-2-${mode}-seed1-t40ms-charts.svg`);
      const doc = new DOMParser().parseFromString(svg.text ?? '', 'image/svg+xml');
      expect(doc.querySelector('title')?.textContent).toBe(label);
      expect(doc.querySelector('.export-caption')?.textContent).toBe(label);
      // The chart explains itself on a slide: its legend and the scenario and moment.
      expect([...doc.querySelectorAll('.export-legend')].map((t) => t.textContent)).toEqual(['bitmap sync', 'new round', 'stop-and-copy']);
      expect(doc.querySelector('.export-subtitle')?.textContent).toBe('rfc-case-2 · seed 1 · at 0.040 s');
      const rows = (await buildExport(svc(), 'series-csv')).text?.trim().split('\n').slice(1) ?? [];
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(r.split(',')[0]).toBe(mode);
      expect((await buildExport(svc(), 'stats-csv')).text?.split('\n')[1].split(',')[0]).toBe(mode);
      expect(JSON.parse((await buildExport(svc(), 'stats-json')).text ?? '').migviz.mode).toBe(mode);
    });
  }

  it('compare: each page map captioned with its own mode, the chart with the pair', async () => {
    const { s, svc, flush } = setup(`?${SMALL}&view=compare&a=hint&b=pagemap&t=40`);
    await waitFor(() => expect(s().panels.map((p) => p.live.simTimeMs)).toEqual([40, 40]));
    flush();
    canvasFake().texts.length = 0;
    composePageMaps(svc());
    expect(canvasFake().texts).toEqual(['Hinting · 0.040 s', 'Pagemap · 0.040 s']);
    const svg = await buildExport(svc(), 'charts-svg');
    expect(svg.name).toBe('migviz-rfc-case-2-compare-hint-pagemap-seed1-t40ms-charts.svg');
    expect(svg.text).toContain('<title>Hinting vs Pagemap</title>');
    const doc = new DOMParser().parseFromString(svg.text ?? '', 'image/svg+xml');
    const keys = [...doc.querySelectorAll('.export-legend-key')];
    expect(keys.map((k) => k.textContent)).toEqual(['Hinting', 'Pagemap', 'sync', 'round', 'stop-and-copy']);
    // Each mode's key in its chart colour, as its lines.
    expect(keys[0].querySelector('line')?.getAttribute('stroke')).toBe(darkTheme.chart.hue.blue);
    expect(keys[1].querySelector('line')?.getAttribute('stroke')).toBe(darkTheme.chart.hue.reddishPurple);
    const stats = JSON.parse((await buildExport(svc(), 'stats-json')).text ?? '');
    expect(Object.keys(stats)).toEqual(['hint', 'pagemap']);
  });
});

describe('timeline', () => {
  it('shows phase markers from the engine and seeks, coalescing a drag into the latest position', async () => {
    const { sentTo } = setup(`?${SMALL}`);
    const row = screen.getByTestId('timeline-original');
    await waitFor(() => expect(row.textContent).toMatch(/setup.*bulk.*done/));
    const scrubber = screen.getByRole('slider', { name: 'Simulated time' });
    expect(Number(scrubber.getAttribute('max'))).toBe(174); // the fake: 10 ms setup + 16384/100 ms
    const before = sentTo(0, 'seek').length;
    for (const v of [10, 20, 30, 40, 50]) fireEvent.change(scrubber, { target: { value: String(v) } });
    // One re-simulation at a time: the first runs, the rest wait and only the latest follows.
    expect(sentTo(0, 'seek').slice(before)).toEqual([{ type: 'seek', simMs: 10 }]);
    await waitFor(() => expect(sentTo(0, 'seek').slice(before)).toEqual([{ type: 'seek', simMs: 10 }, { type: 'seek', simMs: 50 }]));
  });

  it('ArrowLeft steps back by re-simulating; on the focused scrubber arrows stay native', async () => {
    const { sentTo, s } = setup(`?${SMALL}&t=100`);
    await waitFor(() => expect(s().timeMs()).toBe(100));
    fireEvent.keyDown(window, { key: 'ArrowLeft' });
    expect(sentTo(0, 'seek').at(-1)).toEqual({ type: 'seek', simMs: 37.5 });
    const n = sentTo(0).length;
    fireEvent.keyDown(screen.getByRole('slider', { name: 'Simulated time' }), { key: 'ArrowLeft' });
    expect(sentTo(0).length).toBe(n);
  });
});

describe('tour and keys', () => {
  it('PageDown / "." / PageUp walk the tour: scenario, view, caption; each step plays to its engine moment', async () => {
    const { s, sentTo } = setup('', (sc) => new Simulation(sc));
    const lead = () => s().lead.store.getState();
    fireEvent.keyDown(window, { key: 'PageDown' });
    // The tour comes in its own chunk: the first key acts once it is in; later keys at once.
    expect(await screen.findByTestId('tour-caption')).toHaveTextContent(`1 · ${TOUR[0].title}`);
    expect(lead().scenario).toMatchObject({ id: 'rfc-case-1', mode: 'original', guestGiB: 8 });
    // The first step holds still at once, at time 0.
    expect(sentTo(0, 'seek').at(-1)).toEqual({ type: 'seek', simMs: 0 });
    expect(s().store.getState().tourHeld).toBe(true);
    // The struct-page array is pointed at where the map draws the highest pfns.
    await waitFor(() => expect(document.querySelector('[data-label="the struct-page array"]')).not.toBeNull());
    const layout = lead().snapshot.layout;
    const box = layout && pfnRangeBox(structPageRange(lead().snapshot.pageCount), layout);
    expect(box).not.toBeNull();
    expect(document.querySelector('[data-label="the struct-page array"]')?.getAttribute('data-box')).toBe(
      `${box?.x},${box?.y},${box?.w},${box?.h}`,
    );
    expect((box?.y ?? 0) + (box?.h ?? 0)).toBeCloseTo((layout?.rows ?? 0) * (layout?.scale ?? 0), 6);
    fireEvent.keyDown(window, { key: '.' });
    expect(screen.getByTestId('tour-caption')).toHaveTextContent(`2 · ${TOUR[1].title}`);
    expect(s().store.getState().tourHeld).toBe(false);
    // Once the engine's timeline is in, the step starts at 0 and plays towards its moment.
    await waitFor(() => expect(lead().playing).toBe(true));
    expect(sentTo(0).filter((m) => m.type === 'seek' || m.type === 'play').slice(-2)).toEqual([
      { type: 'seek', simMs: 0 },
      { type: 'play' },
    ]);
    fireEvent.keyDown(window, { key: 'PageDown' });
    fireEvent.keyDown(window, { key: 'PageDown' });
    expect(lead().scenario).toMatchObject({ id: 'rfc-case-2', mode: 'pv' });
    expect(lead().speed).toBe(0.05);
    fireEvent.keyDown(window, { key: 'PageUp' });
    expect(screen.getByTestId('tour-caption')).toHaveTextContent(`3 · ${TOUR[2].title}`);
    expect(s().panels).toHaveLength(1);
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByTestId('tour-caption')).toBeNull();
    // Leaving the tour ends the wait: nothing seeks behind the speaker's back later.
    act(() => s().pause());
    const seeks = sentTo(0, 'seek').length;
    await new Promise((r) => setTimeout(r, 50));
    expect(sentTo(0, 'seek')).toHaveLength(seeks);
  });

  it('a step that plays stops exactly at its moment and waits (the race: PV completes at 428.6 ms)', async () => {
    const { s, sentTo, flush } = setup('', (sc) => new Simulation(sc));
    const race = TOUR.findIndex((t) => t.id === 'race');
    await act(() => s().goToStep(race));
    expect(screen.getByRole('button', { name: 'Compare' })).toHaveAttribute('aria-pressed', 'true');
    // Paint as a browser would until the step has reached its moment.
    for (let i = 0; i < 600 && !s().store.getState().tourHeld; i++) {
      flush();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(s().store.getState().tourHeld).toBe(true);
    const pvDone = s().panels[1].store.getState().timeline?.markers.find((m) => m.kind === 'phase' && m.phase === 'completed');
    expect(pvDone?.t).toBeCloseTo(428.6, 1);
    // Both engines were sent to that very moment, and nothing plays on.
    for (const c of [0, 1]) await waitFor(() => expect(sentTo(c, 'seek').at(-1)).toEqual({ type: 'seek', simMs: pvDone?.t }));
    expect(s().playing).toBe(false);
    await waitFor(() => expect(s().panels[1].live.done).toBe(true));
    expect(s().panels[0].live.phase).toBe('bulk');
    // Annotations, placed from the engine's data: PV's skipped pages on its map (found in its
    // cell summaries), and PV's stop-and-copy on the charts at the engine's time for it.
    const pvCol = screen.getByTestId('compare-col-b');
    await waitFor(() => expect(pvCol.querySelector('[data-label="skipped: free"]')).not.toBeNull());
    expect(screen.getByTestId('compare-col-a').querySelector('[data-testid="map-annotations"]')).toBeNull();
    const pvStop = s().panels[1].store.getState().timeline?.markers.find((m) => m.kind === 'phase' && m.phase === 'stop-copy');
    const mark = screen.getByTestId('chart-annotation');
    expect(Number(mark.dataset.t)).toBe(pvStop?.t);
    expect(mark).toHaveTextContent(`PV: stop-and-copy · ${((pvStop?.t ?? 0) / 1000).toFixed(3)} s`);
    // The next key moves on, and the annotations go with the step.
    fireEvent.keyDown(window, { key: 'PageDown' });
    expect(screen.getByTestId('tour-caption')).toHaveTextContent(TOUR[race + 1].title);
    expect(screen.queryByTestId('chart-annotation')).toBeNull();
    act(() => s().endTour());
  }, 20_000);

  it('? opens the shortcut list, Escape closes it; C compares, F presents', async () => {
    const { root } = setup(`?${SMALL}`);
    fireEvent.keyDown(window, { key: '?' });
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    for (const k of ['Space', '→', '←', 'R', 'O', 'P', 'C', 'F', 'PageDown', '.', 'PageUp', '?', 'Esc']) {
      // ← and → are also listed for the focused page map
      expect(within(dialog).getAllByText(k, { selector: 'kbd' }).length).toBe(k === '←' || k === '→' ? 2 : 1);
    }
    for (const k of ['+', '−', '↑', '↓', '0']) expect(within(dialog).getByText(k, { selector: 'kbd' })).toBeInTheDocument();
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.keyDown(window, { key: 'C' });
    expect(screen.getByRole('button', { name: 'Compare' })).toHaveAttribute('aria-pressed', 'true');
    fireEvent.keyDown(window, { key: 'f' });
    expect(root()).toHaveClass('presenting');
    expect(screen.getByRole('button', { name: 'Present' })).toHaveAttribute('aria-pressed', 'true');
    await waitFor(() => expect(window.location.search).toMatch(/view=compare.*present=1/));
    fireEvent.keyDown(window, { key: 'F' });
    expect(root()).not.toHaveClass('presenting');
  });

  it('presentation hides the controls until the pointer moves, and again after a quiet while', async () => {
    const { root } = setup(`?${SMALL}&present=1`);
    expect(root()).toHaveClass('presenting');
    expect(root()).not.toHaveClass('chrome-visible');
    fireEvent.pointerMove(root());
    expect(root()).toHaveClass('chrome-visible');
    await waitFor(() => expect(root()).not.toHaveClass('chrome-visible'));
  });
});

describe('themes', () => {
  it('cycles system → dark → light → projector → system, remembers it, and recolours the page map', async () => {
    const user = userEvent.setup();
    const { root, flush, s } = setup(`?${SMALL}`);
    await waitFor(() => expect(s().lead.live.epoch).toBe(1));
    flush();
    const pending = (t: typeof darkTheme) => buildPageMapLut(t)[pageCode(MIG_PENDING, GUEST_FREE_STALE) * 2];
    // The last frame drawn, each time it is asked.
    const has = (colour: number) => {
      const last = canvasFake().puts.at(-1);
      if (!last) throw new Error('nothing drawn');
      return words(last).includes(colour);
    };
    // jsdom has no matchMedia: "system" resolves to dark.
    expect(screen.getByRole('button', { name: 'Theme: System' })).toBeInTheDocument();
    expect(has(pending(darkTheme))).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Theme: System' }));
    expect(screen.getByRole('button', { name: 'Theme: Dark' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Theme: Dark' }));
    expect(root()).toHaveClass('theme-light');
    expect(localStorage.getItem('migviz.theme')).toBe('light');
    // Repainted at once from the same cells, with the light palette (no new frame needed).
    expect(has(pending(lightTheme))).toBe(true);
    expect(has(pending(darkTheme))).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Theme: Light' }));
    expect(root()).toHaveClass('theme-projector');
    expect(localStorage.getItem('migviz.theme')).toBe('projector');
    expect(has(pending(projectorTheme))).toBe(true);
    // Projector-safe: black ground, white text.
    expect(root().style.getPropertyValue('--bg')).toBe('#000000');
    expect(root().style.getPropertyValue('--text')).toBe('#ffffff');
    await user.click(screen.getByRole('button', { name: 'Theme: Projector' }));
    expect(screen.getByRole('button', { name: 'Theme: System' })).toBeInTheDocument();
    expect(root()).toHaveClass('theme-dark');
  });

  it('opens with the remembered theme, and works when storage throws', () => {
    localStorage.setItem('migviz.theme', 'light');
    const first = setup(`?${SMALL}`);
    expect(first.root()).toHaveClass('theme-light');
    first.unmount();
    const orig = Storage.prototype.getItem;
    Storage.prototype.getItem = () => {
      throw new Error('denied');
    };
    try {
      const { root } = setup(`?${SMALL}`);
      expect(root()).toHaveClass('theme-dark');
    } finally {
      Storage.prototype.getItem = orig;
    }
  });
});

describe('announcer', () => {
  it('says play/pause, phase changes, views and tour steps politely', async () => {
    const { s } = setup(`?${SMALL}`);
    const region = screen.getByTestId('announcer');
    expect(region).toHaveAttribute('aria-live', 'polite');
    fireEvent.keyDown(window, { key: ' ' });
    expect(region).toHaveTextContent('Playing');
    fireEvent.keyDown(window, { key: ' ' });
    expect(region.textContent).toMatch(/^Paused at \d+\.\d{3} s$/);
    act(() => s().lead.runToEnd());
    await waitFor(() => expect(region).toHaveTextContent('completed, verified'));
    fireEvent.keyDown(window, { key: 'c' });
    expect(region).toHaveTextContent('Compare view');
    fireEvent.keyDown(window, { key: 'PageDown' });
    await waitFor(() => expect(region).toHaveTextContent(`Tour step 1 of ${TOUR.length}: ${TOUR[0].title}`));
  });
});

describe('exports', () => {
  it('series and stats as CSV and JSON, charts as a well-formed SVG (compare, real engine)', async () => {
    const { s, svc, flush } = setup('?v=1&view=compare&gib=0.125&scenario=rfc-case-1&t=100000', (sc) => new Simulation(sc));
    await waitFor(() => expect(s().panels.every((p) => p.live.done && p.store.getState().timeline)).toBe(true));
    flush();

    const csv = await buildExport(svc(), 'series-csv');
    expect(csv.name).toMatch(/^migviz-rfc-case-1-compare-original-pv-seed1-t\d+ms-series\.csv$/);
    const lines = (csv.text ?? '').trim().split('\n');
    expect(lines[0]).toBe('mode,t_ms,transferred_bytes,remaining_bytes,throughput_MBps');
    const rows = lines.slice(1).map((l) => l.split(','));
    for (const r of rows) expect(r).toHaveLength(5);
    expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(['original', 'pv']));
    expect(rows.length).toBe(s().panels.reduce((n, p) => n + p.live.series.length, 0));

    const sj = JSON.parse((await buildExport(svc(), 'series-json')).text ?? '');
    expect(Object.keys(sj)).toEqual(['original', 'pv']);
    expect(sj.pv.t_ms.length).toBe(sj.pv.transferred_bytes.length);

    const stats = JSON.parse((await buildExport(svc(), 'stats-json')).text ?? '');
    for (const mode of ['original', 'pv']) {
      expect(stats[mode]).toMatchObject({ status: 'completed', migviz: { mode } });
      for (const k of ['total-time', 'setup-time', 'downtime', 'expected-downtime']) expect(typeof stats[mode][k]).toBe('number');
      for (const k of ['transferred', 'remaining', 'total', 'duplicate', 'normal', 'normal-bytes', 'mbps', 'dirty-sync-count']) {
        expect(typeof stats[mode].ram[k]).toBe('number');
      }
    }
    const statsCsv = (await buildExport(svc(), 'stats-csv')).text?.trim().split('\n') ?? [];
    expect(statsCsv).toHaveLength(3);
    expect(statsCsv[1].startsWith('original,completed,')).toBe(true);

    const svg = await buildExport(svc(), 'charts-svg');
    expect(svg.type).toBe('image/svg+xml');
    const doc = new DOMParser().parseFromString(svg.text ?? '', 'image/svg+xml');
    expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
    expect(doc.documentElement.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(doc.querySelectorAll('path.chart-line')).toHaveLength(6); // 3 panes x 2 runs
    expect(doc.querySelector('style')?.textContent).toMatch(/\.chart-axis text \{ fill: #/);
  });

  it('single view: stats JSON is one query-migrate object', async () => {
    const { s, svc } = setup(`?${SMALL}&view=pv`);
    await waitFor(() => expect(s().lead.store.getState().timeline).not.toBeNull());
    const q = JSON.parse((await buildExport(svc(), 'stats-json')).text ?? '');
    expect(q.status).toBe('completed');
    expect(q.migviz.mode).toBe('pv');
    expect(q.ram['page-size']).toBe(4096);
  });

  it('the Export menu lists every export and closes on Escape', async () => {
    const user = userEvent.setup();
    setup(`?${SMALL}`);
    await user.click(screen.getByRole('button', { name: 'Export ▾' }));
    const menu = screen.getByRole('menu', { name: 'Export' });
    expect(within(menu).getAllByRole('menuitem').map((b) => b.textContent)).toEqual([
      'Page map (PNG)',
      'Charts (SVG)',
      'Charts (PNG)',
      'Time series (CSV)',
      'Time series (JSON)',
      'Final stats (CSV)',
      'Final stats (JSON, query-migrate)',
      'Scenario (JSON, opens again with Open…)',
      'Clip (WebM)…',
    ]);
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByRole('menu')).toBeNull();
  });
});

describe('scenario files', () => {
  const upload = async (user: ReturnType<typeof userEvent.setup>, name: string, text: string) => {
    const input = screen.getByLabelText('Scenario or measured run file') as HTMLInputElement;
    await user.upload(input, new File([text], name, { type: 'application/json' }));
  };

  it('Open… loads a scenario file into every panel and switches to its mode; Export writes one that opens again', async () => {
    const user = userEvent.setup({ applyAccept: false });
    const { svc, sentTo } = setup(`?${SMALL}`);
    await upload(user, 'case.json', JSON.stringify({ scenario: 'rfc-case-1', mode: 'pv', guestGiB: 0.125, seed: 42 }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'PV' })).toHaveAttribute('aria-pressed', 'true'));
    const load = sentTo(0, 'load').at(-1);
    expect(load?.type === 'load' && [load.scenario.id, load.scenario.guestGiB, load.scenario.seed]).toEqual(['rfc-case-1', 0.125, 42]);
    expect(screen.queryByTestId('file-notice')).toBeNull();
    const file = await buildExport(svc(), 'scenario-json');
    expect(file.name).toMatch(/-scenario\.json$/);
    expect(JSON.parse(file.text ?? '')).toMatchObject({ scenario: 'rfc-case-1', mode: 'pv', guestGiB: 0.125, seed: 42 });
  });

  it('a bad scenario file says what is wrong and changes nothing', async () => {
    const user = userEvent.setup({ applyAccept: false });
    const { sentTo } = setup(`?${SMALL}`);
    const loadsBefore = sentTo(0, 'load').length;
    await upload(user, 'bad.json', '{"guestGiB": 5000, "colour": "red"}');
    const notice = await screen.findByTestId('file-notice');
    expect(notice).toHaveTextContent('bad.json: unknown field "colour"');
    expect(sentTo(0, 'load')).toHaveLength(loadsBefore);
    await upload(user, 'worse.json', '{"guestGiB": ');
    await waitFor(() => expect(screen.getByTestId('file-notice')).toHaveTextContent('worse.json is not valid JSON'));
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss file notice' }));
    expect(screen.queryByTestId('file-notice')).toBeNull();
    // The page still works.
    fireEvent.keyDown(window, { key: 'p' });
    expect(screen.getByRole('button', { name: 'PV' })).toHaveAttribute('aria-pressed', 'true');
  });

  it('a file over 1 MiB is refused without reading it; a byte order mark and duplicate keys are handled (issue 9)', async () => {
    const user = userEvent.setup({ applyAccept: false });
    const { sentTo } = setup(`?${SMALL}`);
    const loadsBefore = sentTo(0, 'load').length;
    await upload(user, 'huge.json', `{"mode": "pv"${' '.repeat(1 << 20)}}`);
    const notice = await screen.findByTestId('file-notice');
    expect(notice).toHaveTextContent('huge.json is larger than 1 MiB; a scenario file needs a few hundred bytes');
    await upload(user, 'dup.json', '{"seed": 1, "seed": 2}');
    await waitFor(() => expect(screen.getByTestId('file-notice')).toHaveTextContent('dup.json: field "seed" given more than once'));
    expect(sentTo(0, 'load')).toHaveLength(loadsBefore);
    await upload(user, 'bom.json', '\uFEFF{"scenario": "rfc-case-1", "guestGiB": 0.125, "seed": 5}');
    await waitFor(() => expect(screen.queryByTestId('file-notice')).toBeNull());
    const load = sentTo(0, 'load').at(-1);
    expect(load?.type === 'load' && [load.scenario.id, load.scenario.seed]).toEqual(['rfc-case-1', 5]);
  });
});

describe('convergence you can see', () => {
  it('the verdict stands next to Play before anyone plays, from the engine\'s whole-run simulation', async () => {
    setup('?scenario=rfc-case-1&gib=0.25', (sc) => new Simulation(sc));
    await waitFor(() => expect(screen.getByTestId('verdict').textContent).toBe('completes in 0.2 s'));
    expect(screen.getByRole('button', { name: 'Play' })).toBeInTheDocument();
  });

  it('a guest that cannot converge: the verdict gives both rates; with auto-converge, the throttle and the time', async () => {
    const busy = 'scenario=rfc-case-1&workload=stress&gib=0.5&ws=0.25&dirty=400&link=1';
    setup(`?${busy}`, (sc) => new Simulation(sc));
    await waitFor(() => expect(screen.getByTestId('verdict').textContent).toBe('will not converge: dirty rate 117.5 MB/s ≥ 117.5 MB/s sent'), {
      timeout: 4000,
    });
    expect(screen.getByTestId('verdict').getAttribute('title')).toMatch(/^not converging: dirty rate 117.5 MB\/s ≥ 117.5 MB\/s sent over the last 5 syncs/);
    expect(within(screen.getByTestId('stats')).queryByText('max-cpu-throttle')).toBeNull();
    cleanup();
    setup(`?${busy}&ac=1`, (sc) => new Simulation(sc));
    await waitFor(() => expect(screen.getByTestId('verdict').textContent).toBe('auto-converge throttles to 80 %, completes in 32 s'), {
      timeout: 4000,
    });
    // With auto-converge, the stats have the throttle rows (nothing throttled yet at time 0).
    const stats = within(screen.getByTestId('stats'));
    await waitFor(() => expect(stats.getByText('max-cpu-throttle').nextElementSibling?.textContent).toBe('0 %'));
    expect(stats.getByText('cpu-throttle-percentage').nextElementSibling?.textContent).toBe('–');
    // The convergence charts have their throttle pane.
    expect([...screen.getByTestId('convergence-charts').querySelectorAll('.chart-title')].map((t) => t.textContent)).toEqual([
      'Dirty (dashed) vs sent (MB/s)',
      'Dirty / sent',
      'CPU throttle (%)',
    ]);
  });

  it('in compare the verdict names problems only, never a time', async () => {
    setup('?scenario=rfc-case-1&view=compare&workload=stress&gib=0.5&ws=0.25&dirty=400&link=1', (sc) => new Simulation(sc));
    await waitFor(() => expect(screen.getByTestId('verdict').textContent).toMatch(/^Original: will not converge: dirty rate [\d.]+ MB\/s ≥ [\d.]+ MB\/s sent · PV: will not converge: dirty rate [\d.]+ MB\/s ≥ [\d.]+ MB\/s sent$/), {
      timeout: 6000,
    });
    // The headline states each side's outcome and calls neither faster.
    const headline = screen.getByTestId('compare-summary').textContent ?? '';
    expect(headline).toMatch(/^Original does not converge \(dirty rate [\d.]+ MB\/s ≥ [\d.]+ MB\/s sent\) · PV does not converge \(dirty rate [\d.]+ MB\/s ≥ [\d.]+ MB\/s sent\)$/);
    // The whole reasons are its tooltip.
    expect(screen.getByTestId('compare-summary').getAttribute('title')).toMatch(/^not converging: dirty rate .* downtime allows\nnot converging: /);
    expect(headline).not.toMatch(/faster|slower/);
  });
});

describe('the convergence panel', () => {
  it('starts closed for an idle guest (no frame time spent) and opens with a click; open by itself for stress', async () => {
    const user = userEvent.setup();
    setup(`?${SMALL}`);
    const panel = screen.getByTestId('convergence-panel') as HTMLDetailsElement;
    expect(panel.open).toBe(false);
    expect(screen.queryByTestId('convergence-charts')).toBeNull();
    await user.click(within(panel).getByText('Convergence'));
    expect(panel.open).toBe(true);
    expect([...screen.getByTestId('convergence-charts').querySelectorAll('.chart-title')].map((t) => t.textContent)).toEqual([
      'Dirty (dashed) vs sent (MB/s)',
      'Dirty / sent',
    ]);
    cleanup();
    setup(`?${SMALL}&workload=stress&ws=0.03125`);
    expect((screen.getByTestId('convergence-panel') as HTMLDetailsElement).open).toBe(true);
  });
});

describe('the link carries the workload and auto-converge', () => {
  it('choosing stress, a dirty rate and auto-converge in the controls writes workload, dirty and ac', async () => {
    const user = userEvent.setup();
    setup(`?${SMALL}`);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Workload' }), 'stress');
    // 1 GiB is the preset's working set but does not fit in a 64 MiB guest: marked, nothing loads.
    expect(screen.getByRole('alert').textContent).toBe('working set (1 GiB) must not exceed the guest size (0.0625 GiB).');
    const ws = screen.getByRole('spinbutton', { name: 'Working set GiB' });
    expect(ws).toHaveAttribute('aria-invalid', 'true');
    commit(ws, '0.03125');
    commit(screen.getByRole('spinbutton', { name: 'Dirty MiB/s' }), '400');
    await user.click(screen.getByRole('checkbox', { name: 'Auto-converge' }));
    await waitFor(() => expect(window.location.search).toBe('?v=1&gib=0.0625&workload=stress&ws=0.03125&dirty=400&ac=1'));
  });
});
