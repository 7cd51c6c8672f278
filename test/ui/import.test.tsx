// @vitest-environment jsdom
/**
 * Import → overlay, through the real App on the real engine: a guestperf report opened with
 * Open… (or dropped on the page) loads the matching scenario, lists what was assumed, draws the
 * measured run on the charts beside the simulation, and puts its totals with the error in the
 * stats; a bad file changes nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/engine/simulation';
import { buildExport } from '../../src/ui/export/export-actions';
import { appTestEnvironment, SMALL, setup } from './app-harness';

const GUESTPERF = readFileSync(join(import.meta.dirname, '../../public/examples/guestperf-example.json'), 'utf8');

appTestEnvironment();

const upload = async (name: string, text: string) => {
  const user = userEvent.setup({ applyAccept: false });
  await user.upload(screen.getByLabelText('Scenario or measured run file') as HTMLInputElement, new File([text], name));
};

describe('import a measured run', () => {
  it('Open… loads the matching scenario, lists the assumptions, overlays the run and states its error', async () => {
    const { s, svc, sentTo, flush } = setup(`?scenario=rfc-case-1&view=pv&${SMALL}`, (sc) => new Simulation(sc));
    await upload('guestperf-example.json', GUESTPERF);
    const notice = await screen.findByTestId('measured-notice');
    expect(notice).toHaveTextContent('Imported guestperf-example.json (guestperf report, 6 samples, completed)');
    expect(within(notice).getByTestId('measured-assumed').textContent).toContain('link 10 Gbit/s: not in a guestperf report; kept from the scenario on screen');
    expect(within(notice).getByTestId('measured-stated').textContent).toContain('dirty rate 256 MiB/s: guest_timings');
    // The scenario the file states, then Original mode (the single view follows it).
    const load = sentTo(0, 'load').at(-1);
    expect(load?.type === 'load' && [load.scenario.guestGiB, load.scenario.workload, load.scenario.dirtyMiBs, load.scenario.downtimeMs]).toEqual([
      1.5, 'stress', 256, 500,
    ]);
    expect(sentTo(0, 'setMode').at(-1)).toMatchObject({ mode: 'original' });
    expect(screen.getByRole('button', { name: 'Original' })).toHaveAttribute('aria-pressed', 'true');
    expect(s().measured?.run.samples).toHaveLength(6);

    // The charts: the measured line on each pane, a dot per sample (throughput has no first point).
    await new Promise((r) => setTimeout(r, 80));
    flush();
    const charts = screen.getByTestId('charts');
    expect(charts.querySelectorAll('path.chart-line[data-run="measured"]')).toHaveLength(3);
    expect(charts.querySelectorAll('circle.chart-point[data-run="measured"]')).toHaveLength(6 + 6 + 5);
    expect(charts.querySelectorAll('path.chart-guide[data-run="measured"]')).toHaveLength(0);
    expect(screen.getByTestId('measured-key')).toHaveTextContent('Measured (guestperf-example.json)');

    // The stats: measured, simulated (the whole run, from the timeline) and the error.
    const totals = screen.getByTestId('measured-totals');
    await waitFor(() => expect(within(totals).getByText('total-time').closest('tr')?.textContent).toMatch(/^total-time1476 ms\d+ ms[±+−]\d+\.\d %$/));
    const row = (k: string) => [...(within(totals).getByText(k).closest('tr')?.querySelectorAll('td') ?? [])].map((c) => c.textContent);
    expect(row('total-time')[0]).toBe('1476 ms');
    expect(row('downtime')[0]).toBe('337 ms');
    expect(row('transferred')[0]).toBe('1.51 GiB');
    // The example was made by this engine from the same scenario: no error.
    expect(row('total-time')[2]).toBe('±0.0 %');
    expect(row('transferred')[2]).toBe('±0.0 %');
    expect(within(totals).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['', 'measured', 'Original', 'error']);

    // The exported chart names the measured line in its caption and legend.
    const svg = (await buildExport(svc(), 'charts-svg')).text ?? '';
    expect(svg).toContain('<title>Original · Measured (guestperf-example.json)</title>');
    expect(svg).toMatch(/<text class="export-legend"[^>]*>Measured \(guestperf-example\.json\)<\/text>/);

    // Remove: the notice, the line and the totals go; the scenario stays.
    fireEvent.click(screen.getByRole('button', { name: 'Remove the measured run' }));
    expect(screen.queryByTestId('measured-notice')).toBeNull();
    expect(screen.queryByTestId('measured-totals')).toBeNull();
    await new Promise((r) => setTimeout(r, 80));
    flush();
    expect(screen.getByTestId('charts').querySelectorAll('[data-run="measured"]')).toHaveLength(0);
    expect(s().lead.store.getState().scenario.guestGiB).toBe(1.5);
  });

  it('in compare, each side gets its error against the measured run only once the race has ended', async () => {
    const { s } = setup(`?view=compare&${SMALL}`, (sc) => new Simulation(sc));
    await upload('guestperf-example.json', GUESTPERF);
    await screen.findByTestId('measured-notice');
    const [a, b] = s().panels;
    await waitFor(() => expect(a.store.getState().timeline?.scenario.guestGiB === 1.5 && b.store.getState().timeline?.scenario.guestGiB === 1.5).toBe(true), {
      timeout: 4000,
    });
    const cells = () => [...(within(screen.getByTestId('measured-totals')).getByText('total-time').closest('tr')?.querySelectorAll('td') ?? [])].map((c) => c.textContent);
    const errors = () => [cells()[2], cells()[4]];
    // Before the race ends: the measured figure, and the simulated ones wait.
    expect(cells()).toEqual(['1476 ms', 'at the end', '–', 'at the end', '–']);
    act(() => s().seek(10_000));
    await waitFor(() => expect(a.live.done && b.live.done).toBe(true), { timeout: 4000 });
    // Original is the run the example was made from; PV skips the free pages and is faster.
    await waitFor(() => expect(errors()[0]).toBe('±0.0 %'));
    expect(errors()[1]).toMatch(/^−\d+\.\d %$/);
  });

  it('a measured run longer than both simulations widens the whole-race axis to its end', async () => {
    const { s, flush } = setup(`?view=compare&${SMALL}`, (sc) => new Simulation(sc));
    const reply = (status: string, t: number, transferred: number, remaining: number) =>
      JSON.stringify({ return: { status, 'total-time': t, downtime: 40, ram: { transferred, remaining, total: 2 ** 26 } } });
    await upload('slow.jsonl', [reply('active', 1000, 2e7, 5e7), reply('active', 2000, 5e7, 2e7), reply('completed', 3000, 7e7, 0)].join('\n'));
    await screen.findByTestId('measured-notice');
    const [a, b] = s().panels;
    await waitFor(() => expect(a.store.getState().timeline && b.store.getState().timeline).toBeTruthy());
    expect(a.store.getState().timeline?.endMs).toBeLessThan(500);
    fireEvent.change(screen.getByTestId('race-axis'), { target: { value: 'whole' } });
    await new Promise((r) => setTimeout(r, 80));
    flush();
    const ticks = [...screen.getByTestId('charts').querySelectorAll('.chart-throughput .chart-x .tick text')].map((t) => t.textContent);
    expect(ticks.at(-1)).toBe('3 s');
  });

  it('a bad file says what is wrong (format, field) and nothing on screen changes', async () => {
    const { sentTo } = setup(`?${SMALL}`, (sc) => new Simulation(sc));
    await upload('guestperf-example.json', GUESTPERF);
    await screen.findByTestId('measured-notice');
    const loads = sentTo(0, 'load').length;
    const bad = JSON.parse(GUESTPERF) as { hardware: Record<string, unknown> };
    delete bad.hardware.mem;
    await upload('broken.json', JSON.stringify(bad));
    await waitFor(() => expect(screen.getByTestId('file-notice')).toHaveTextContent('broken.json (guestperf report) hardware: field "mem" is missing'));
    await upload('broken.jsonl', '{"status": "active", "total-time": 5, "ram": {"transferred": 1, "remaining": 2}}\n{"status": ');
    await waitFor(() => expect(screen.getByTestId('file-notice')).toHaveTextContent(/broken\.jsonl line 2: not JSON/));
    expect(sentTo(0, 'load')).toHaveLength(loads);
    // The run imported before is still the one on screen.
    expect(screen.getByTestId('measured-notice')).toHaveTextContent('Imported guestperf-example.json');
  });

  it('Examples… fetches an example file next to the page and imports it; a failed fetch is a file notice', async () => {
    const QM = readFileSync(join(import.meta.dirname, '../../public/examples/query-migrate-example.jsonl'), 'utf8');
    const asked: string[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (url: string) => {
      asked.push(url);
      return url === 'examples/query-migrate-example.jsonl' ? new Response(QM) : new Response('', { status: 404 });
    }) as typeof fetch;
    try {
      setup(`?${SMALL}`, (sc) => new Simulation(sc));
      const pick = screen.getByRole('combobox', { name: 'Open an example measured run' });
      expect([...pick.querySelectorAll('option')].map((o) => o.textContent)).toEqual([
        'Examples…',
        'guestperf report (example, simulated)',
        'query-migrate log (example, simulated)',
      ]);
      fireEvent.change(pick, { target: { value: 'query-migrate-example.jsonl' } });
      await waitFor(() =>
        expect(screen.getByTestId('measured-notice')).toHaveTextContent('Imported query-migrate-example.jsonl (query-migrate log, 73 samples, completed)'),
      );
      fireEvent.change(pick, { target: { value: 'guestperf-example.json' } });
      await waitFor(() => expect(screen.getByTestId('file-notice')).toHaveTextContent('guestperf-example.json could not be fetched (HTTP 404)'));
      expect(screen.getByTestId('measured-notice')).toHaveTextContent('query-migrate-example.jsonl');
      expect(asked).toEqual(['examples/query-migrate-example.jsonl', 'examples/guestperf-example.json']);
    } finally {
      globalThis.fetch = realFetch;
    }
  });

  it('a file dropped on the page is imported as Open… would; a scenario file dropped replaces the measured run', async () => {
    const { root, s } = setup(`?${SMALL}`, (sc) => new Simulation(sc));
    const drop = (file: File) => act(() => fireEvent.drop(root(), { dataTransfer: { files: [file], types: ['Files'] } }));
    drop(new File([GUESTPERF], 'dropped.json'));
    await waitFor(() => expect(screen.getByTestId('measured-notice')).toHaveTextContent('Imported dropped.json'));
    drop(new File(['{"scenario": "rfc-case-1", "guestGiB": 0.125}'], 'scenario.json'));
    await waitFor(() => expect(screen.queryByTestId('measured-notice')).toBeNull());
    expect(s().measured).toBeNull();
    expect(s().lead.store.getState().scenario.guestGiB).toBe(0.125);
  });
});
