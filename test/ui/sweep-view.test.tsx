// @vitest-environment jsdom
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inProcessSweepWorker } from '../../src/client/in-process-sweep-worker';
import { sweepPoolSize } from '../../src/client/sweep-workers';
import { Simulation } from '../../src/engine/simulation';
import type { QueryMigrate, Scenario } from '../../src/engine/types';
import { ResultCache, type SweepWorker, SweepPool } from '../../src/sweep';
import { buildExport } from '../../src/ui/export/export-actions';
import { DEFAULT_SWEEP } from '../../src/ui/view';
import { setup } from './app-harness';

/** The sweep pool on the test's own thread, running the real engine (small guests). */
const realPool = (run?: (s: Scenario) => QueryMigrate) => () => new SweepPool(() => inProcessSweepWorker(run), 2, new ResultCache());
const knobs = (createSweepPool: () => SweepPool) => ({ urlDebounceMs: 5, chromeHideMs: 40, createSweepPool });
const SWEEP = '?v=1&scenario=rfc-case-1&view=sweep&x=guest-gib&values=0.0625,0.125&modes=original,pv';

describe('sweep view', () => {
  it('fills the chart as runs finish: one line per mode, a point per value, the progress count', async () => {
    const { container, s } = setup(SWEEP, undefined, knobs(realPool()));
    await waitFor(() => expect(screen.getByTestId('sweep-progress').textContent).toMatch(/^4 \/ 4 runs in \d+\.\d s$/), { timeout: 20_000 });
    const lines = [...container.querySelectorAll('.sweep-line')].map((g) => g.getAttribute('data-mode'));
    expect(lines).toEqual(['original', 'pv']);
    expect(container.querySelectorAll('.sweep-point')).toHaveLength(4);
    // Each point says the engine's number for its run.
    const pv = new Simulation({ ...s().lead.store.getState().scenario, guestGiB: 0.125, mode: 'pv' }).runToEnd();
    const label = screen.getByRole('button', { name: new RegExp(`^PV at guest-gib 0\\.125: ${Number(pv['total-time'].toPrecision(4))} ms`) });
    expect(label).toBeTruthy();
    // Going back to a sweep already shown is instant: every result comes from the cache.
    const v = s().store.getState().view;
    if (v.kind !== 'sweep') throw new Error('not the sweep view');
    act(() => s().setSweep({ ...v.sweep, values: '0.0625' }));
    expect(screen.getByTestId('sweep-progress').textContent).toMatch(/^2 \/ 2 runs/);
    act(() => s().setSweep(v.sweep));
    expect(screen.getByTestId('sweep-progress').textContent).toMatch(/^4 \/ 4 runs in 0\.0 s$/);
    // x is the default parameter: the link leaves it out.
    expect(s().search()).toBe('?v=1&scenario=rfc-case-1&view=sweep&values=0.0625,0.125&modes=original,pv');
  }, 30_000);

  it('a click on a point opens its run in the single view at its end', async () => {
    const { s, sentTo } = setup(SWEEP, undefined, knobs(realPool()));
    await waitFor(() => expect(screen.getByTestId('sweep-progress').textContent).toMatch(/^4 \/ 4/), { timeout: 20_000 });
    fireEvent.click(screen.getByRole('button', { name: /^PV at guest-gib 0\.125:/ }));
    expect(s().store.getState().view).toEqual({ kind: 'single', mode: 'pv' });
    expect(s().lead.store.getState().scenario).toMatchObject({ guestGiB: 0.125, mode: 'pv', id: 'rfc-case-1' });
    const msgs = sentTo(0).map((m) => m.type);
    expect(msgs.slice(-2)).toEqual(['load', 'runToEnd']);
    await waitFor(() => expect(sentTo(0).at(-1)?.type).toBe('timeline'));
  }, 30_000);

  it('a failed run is a mark with its reason, never a number', async () => {
    const run = (sc: Scenario): QueryMigrate => {
      const q = new Simulation(sc).runToEnd();
      if (sc.mode !== 'pv' || sc.guestGiB !== 0.125) return q;
      return { ...q, status: 'failed', migviz: { ...q.migviz, outcome: 'not-converging', 'failure-reason': 'the guest dirties memory faster than it is sent' } };
    };
    const { container } = setup(SWEEP, undefined, knobs(realPool(run)));
    await waitFor(() => expect(screen.getByTestId('sweep-progress').textContent).toMatch(/^4 \/ 4/), { timeout: 20_000 });
    expect(container.querySelectorAll('.sweep-point')).toHaveLength(3);
    const failed = container.querySelectorAll('.sweep-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0].getAttribute('aria-label')).toBe(
      'PV at guest-gib 0.125: no total time (ms): not-converging: the guest dirties memory faster than it is sent',
    );
  }, 30_000);

  it('Cancel stops the sweep; a changed setting starts the new one and drops the outdated runs', async () => {
    const started: Scenario[] = [];
    const terminated: number[] = [];
    const pool = () =>
      new SweepPool(
        () => {
          const id = terminated.length + started.length;
          const w: SweepWorker = {
            run: (sc) => {
              started.push(sc);
              return new Promise(() => {});
            },
            terminate: () => terminated.push(id),
          };
          return w;
        },
        1,
      );
    const { s } = setup(SWEEP, undefined, knobs(pool));
    await waitFor(() => expect(screen.getByTestId('sweep-progress').textContent).toBe('0 / 4 runs'));
    expect(started.map((x) => `${x.guestGiB}/${x.mode}`)).toEqual(['0.0625/original']);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByTestId('sweep-progress').textContent).toBe('0 / 4 runs (cancelled)');
    expect(terminated).toHaveLength(1);
    // Back on, then another value list: the first sweep's waiting runs never start.
    fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    const v = s().store.getState().view;
    if (v.kind !== 'sweep') throw new Error('not the sweep view');
    act(() => s().setSweep({ ...v.sweep, values: '0.25' }));
    await waitFor(() => expect(screen.getByTestId('sweep-progress').textContent).toBe('0 / 2 runs'));
    expect(started.map((x) => `${x.guestGiB}/${x.mode}`)).toEqual(['0.0625/original', '0.0625/original', '0.25/original']);
    expect(s().search()).toContain('values=0.25');
  });

  it('bad values say so and run nothing', async () => {
    setup('?view=sweep&values=1,9999', undefined, knobs(realPool()));
    // The link's values are refused with a notice and the default list runs instead; typing one is refused in place.
    expect(screen.getByText(/values: value 9999 is out of range: guest-gib takes numbers from 0\.0625 to 1024/)).toBeTruthy();
    const input = screen.getByRole('textbox', { name: 'values' });
    fireEvent.change(input, { target: { value: '2:1:1' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(await screen.findByText('values "2:1:1": steps must be an integer from 2 to 100')).toBeTruthy();
    expect(screen.queryByTestId('sweep-progress')).toBeNull();
  });

  it('exports the points as CSV and JSON and the chart as SVG with title and legend', async () => {
    const { svc } = setup(SWEEP, undefined, knobs(realPool()));
    await waitFor(() => expect(screen.getByTestId('sweep-progress').textContent).toMatch(/^4 \/ 4/), { timeout: 20_000 });
    const src = svc();
    const csv = await buildExport({ session: src.session, exports: src.exports }, 'sweep-csv');
    expect(csv.name).toBe('migviz-rfc-case-1-sweep-guest-gib-total-time-seed1.csv');
    const rows = (csv.text ?? '').trim().split('\n');
    expect(rows[0]).toBe('guest-gib,mode,seeds,total time (ms) median,total time (ms) min,total time (ms) max,failed');
    expect(rows.slice(1).map((r) => r.split(',').slice(0, 3).join(','))).toEqual([
      '0.0625,original,1', '0.125,original,1', '0.0625,pv,1', '0.125,pv,1',
    ]);
    const json = JSON.parse((await buildExport({ session: src.session, exports: src.exports }, 'sweep-json')).text ?? '');
    expect(json).toMatchObject({ title: 'total time vs guest size', x: 'guest-gib', values: '0.0625,0.125', seeds: 1 });
    expect(json.points).toHaveLength(4);
    const svg = await buildExport({ session: src.session, exports: src.exports }, 'sweep-svg');
    expect(svg.text).toContain('<title>total time vs guest size</title>');
    expect(svg.text).toContain('>Original</text>');
    expect(svg.text).toContain('>PV</text>');
  }, 30_000);
});

describe('the Sweep button and key S', () => {
  it('open the sweep with the last settings; a mode key goes back to the single view and stops the sweep', async () => {
    // Workers that never answer: this test is about the view, not the runs (1 to 128 GiB).
    const idle = () => new SweepPool(() => ({ run: () => new Promise(() => {}), terminate: () => {} }), 1);
    const { s } = setup('?scenario=rfc-case-1&gib=0.0625', undefined, knobs(idle));
    fireEvent.keyDown(window, { key: 's' });
    expect(s().store.getState().view).toEqual({ kind: 'sweep', sweep: DEFAULT_SWEEP });
    expect(screen.getByRole('button', { name: 'Sweep' }).getAttribute('aria-pressed')).toBe('true');
    // No clock in a sweep: no Play, no timeline, and Space plays nothing behind it.
    expect(screen.queryByRole('button', { name: /^Play/ })).toBeNull();
    fireEvent.keyDown(window, { key: ' ' });
    expect(s().playing).toBe(false);
    // The sweep view comes in its own chunk: its first render is a tick later.
    await screen.findByTestId('sweep-progress');
    const sweep = s().sweep;
    if (!sweep) throw new Error('the sweep view made no controller');
    const seeds3 = { ...DEFAULT_SWEEP, seeds: 3 };
    act(() => s().setSweep(seeds3));
    expect(sweep.state.running).toBe(true);
    fireEvent.keyDown(window, { key: 'p' });
    expect(s().store.getState().view).toEqual({ kind: 'single', mode: 'pv' });
    // Leaving stopped the sweep; S brings the same one back and resumes it.
    expect(sweep.state).toMatchObject({ running: false, cancelled: true });
    fireEvent.keyDown(window, { key: 'S' });
    expect(s().store.getState().view).toEqual({ kind: 'sweep', sweep: seeds3 });
    expect(sweep.state).toMatchObject({ running: true, total: 72 });
  });
});

describe('sweepPoolSize', () => {
  it('keeps a core for the page: cores − 1, at least 1', () => {
    expect(sweepPoolSize(8)).toBe(7);
    expect(sweepPoolSize(2)).toBe(1);
    expect(sweepPoolSize(1)).toBe(1);
    expect(sweepPoolSize(undefined)).toBe(1);
  });
  it('an imported run falls on the sweep as a measured point, where its scenario is the base', async () => {
    // The example log (rfc-case-2, Original, 8 GiB; made by the simulation, not a measurement).
    const log = readFileSync(join(import.meta.dirname, '../../public/examples/query-migrate-example.jsonl'), 'utf8');
    const { s, container } = setup('?v=1&scenario=rfc-case-2&view=sweep&values=4,8&modes=original', undefined, knobs(realPool()));
    await act(() => s().openFile(log, 'query-migrate-example.jsonl'));
    await waitFor(() => expect(screen.getByTestId('sweep-progress').textContent).toMatch(/^2 \/ 2/), { timeout: 20_000 });
    const run = s().measured?.run;
    if (!run?.totalTimeMs) throw new Error('the example did not import');
    const point = container.querySelector('.sweep-measured');
    expect(point?.getAttribute('aria-label')).toBe(`Measured: query-migrate-example.jsonl, ${Number(run.totalTimeMs.toPrecision(4))} ms`);
    // A sweep of another link is another scenario: the run does not fall on it.
    const v = s().store.getState().view;
    if (v.kind !== 'sweep') throw new Error('not the sweep view');
    act(() => s().setSweep({ ...v.sweep, param: 'link-gbps', values: '1,5' }));
    expect(container.querySelector('.sweep-measured')).toBeNull();
  }, 30_000);
});
