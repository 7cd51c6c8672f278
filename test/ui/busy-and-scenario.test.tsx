// @vitest-environment jsdom
/**
 * Issue 13, long work: the "simulating… 43 %" indicator with Cancel (driven by the worker's
 * `progress` messages), the confirmation before a guest that risks the tab, and the scenario
 * select's short names.
 */
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EngineClient, EngineListener } from '../../src/client/engine-client';
import { InProcessEngineClient } from '../../src/client/in-process-client';
import { resolveScenario } from '../../src/engine/scenario';
import { Simulation } from '../../src/engine/simulation';
import type { FromWorker, ToWorker } from '../../src/protocol';
import { App } from '../../src/ui/App';
import { busyText, SHOW_AFTER_MS, SILENT_AFTER_MS, silenceText } from '../../src/ui/components/BusyIndicator';
import { RafScheduler } from '../../src/ui/render/raf-scheduler';
import { ENGINE_BYTES_PER_PAGE, engineMemoryBytes, guestLimitGiB } from '../../src/ui/state/scenario-inputs';
import type { Session } from '../../src/ui/state/session';
import { FakeSimulation } from '../worker/fake-simulation';
import { appTestEnvironment, setup } from './app-harness';

appTestEnvironment();
afterEach(() => vi.useRealTimers());

/**
 * An in-process engine that, from a seek on, holds every message back (in order, as a busy worker
 * would) until released, and lets the test speak for the worker.
 */
function heldClient(log: ToWorker[]) {
  const inner = new InProcessEngineClient({ createSimulation: (s) => new FakeSimulation({ ...s, guestGiB: 0.0625 }) });
  const listeners = new Set<EngineListener>();
  inner.subscribe((m) => {
    for (const l of listeners) l(m);
  });
  const held: ToWorker[] = [];
  const client: EngineClient & { emit: (m: FromWorker) => void; release: () => void } = {
    send: (msg, transfer) => {
      if (msg.type !== 'returnBuffer') log.push(msg);
      if (msg.type === 'seek' || held.length > 0) held.push(msg);
      else inner.send(msg, transfer);
    },
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    dispose: () => inner.dispose(),
    emit: (m) => {
      for (const l of listeners) l(m);
    },
    release: () => {
      for (const m of held.splice(0)) inner.send(m);
    },
  };
  return client;
}

describe('long work is visible', () => {
  it('words: what is computed, and the percentage only once the worker reports one', () => {
    expect(busyText({ what: 'seek', since: 0, fraction: null })).toBe('simulating… (simulating to that moment)');
    expect(busyText({ what: 'timeline', since: 0, fraction: 0.437 })).toBe(
      'simulating… 43 % (simulating the whole run for the timeline)',
    );
  });

  it('an engine silent for 3 s while busy is said to be (defect 5): stuck, not working', async () => {
    expect(silenceText(2999)).toBe('');
    expect(silenceText(SILENT_AFTER_MS)).toBe(' · the engine has not answered for 3 s');
    const log: ToWorker[] = [];
    let client: ReturnType<typeof heldClient> | null = null;
    let session: Session | null = null;
    render(
      <App
        createClient={() => {
          client = heldClient(log);
          return client;
        }}
        scheduler={new RafScheduler(() => 0)}
        search=""
        onSession={(s) => {
          session = s;
        }}
      />,
    );
    const s = () => session as unknown as Session;
    await waitFor(() => expect(s().lead.store.getState().timeline).not.toBeNull());
    // Every message from the engine counts as a sign of life.
    expect(performance.now() - s().lead.lastHeardMs).toBeLessThan(1000);
    act(() => s().seek(50));
    await waitFor(() => expect(screen.getByTestId('busy').textContent).toMatch(/^simulating… \(simulating to that moment\) Cancel$/));
    // Nothing heard for 5 s (the held engine answers nothing): within a second the line says so.
    s().lead.lastHeardMs -= 5000;
    await waitFor(() => expect(screen.getByTestId('busy').textContent).toMatch(/the engine has not answered for [5-7] s/), { timeout: 2000 });
    act(() => (client as unknown as ReturnType<typeof heldClient>).release());
    await waitFor(() => expect(screen.queryByTestId('busy')).toBeNull());
  });

  it('a seek that takes a while shows "simulating… 43 %" with Cancel, and goes when the frame comes', async () => {
    const log: ToWorker[] = [];
    let client: ReturnType<typeof heldClient> | null = null;
    let session: Session | null = null;
    const scheduler = new RafScheduler(() => 0);
    render(
      <App
        createClient={() => {
          client = heldClient(log);
          return client;
        }}
        scheduler={scheduler}
        search=""
        onSession={(s) => {
          session = s;
        }}
      />,
    );
    const s = () => session as unknown as Session;
    const c = () => client as unknown as ReturnType<typeof heldClient>;
    await waitFor(() => expect(s().lead.store.getState().timeline).not.toBeNull());
    act(() => s().seek(50));
    expect(s().lead.store.getState().busy).toMatchObject({ what: 'seek', fraction: null });
    // Short work shows nothing...
    expect(screen.queryByTestId('busy')).toBeNull();
    // ...long work does, with the worker's progress when it reports it.
    await new Promise((r) => setTimeout(r, SHOW_AFTER_MS + 50));
    await waitFor(() => expect(screen.getByTestId('busy').textContent).toBe('simulating… (simulating to that moment) Cancel'));
    act(() => c().emit({ type: 'progress', what: 'rebuild', simMs: 21.5, fraction: 0.43 }));
    await waitFor(() => expect(screen.getByTestId('busy').textContent).toMatch(/^simulating… 43 % \(simulating to that moment\)/));
    fireEvent.click(within(screen.getByTestId('busy')).getByRole('button', { name: 'Cancel' }));
    expect(log.at(-1)).toEqual({ type: 'cancel' });
    // The worker finishes (here: it had not seen the cancel yet): the frame clears the indicator.
    act(() => c().release());
    await waitFor(() => expect(screen.queryByTestId('busy')).toBeNull());
    expect(s().lead.store.getState().busy).toBeNull();
    expect(s().lead.live.simTimeMs).toBe(50);
    // A progress of 1 ends the work it reports on.
    act(() => c().emit({ type: 'progress', what: 'timeline', simMs: 100, fraction: 0.5 }));
    expect(s().lead.store.getState().busy).toMatchObject({ what: 'timeline', fraction: 0.5 });
    act(() => c().emit({ type: 'progress', what: 'timeline', simMs: 200, fraction: 1 }));
    expect(s().lead.store.getState().busy).toBeNull();
  });
});

describe('big guests and scenario names', () => {
  it('the memory estimate is the engine\'s own: the largest mode\'s bytes per page per simulation', () => {
    const perPage: number[] = [];
    for (const mode of ['original', 'pv', 'pagemap', 'hint', 'report'] as const) {
      const sim = new Simulation(resolveScenario('rfc-case-2', { guestGiB: 0.25, mode }));
      sim.runToEnd(); // what a mode holds once it acted (pv: the guest's bitmap) counts too
      perPage.push(Math.round((sim.stateBytes() / sim.pageCount) * 1000) / 1000);
    }
    // 8 bits of bitmaps and the free lists' summaries; + pv's free-page bitmap, hint's held map, report's two maps.
    expect(perPage).toEqual([1.008, 1.133, 1.008, 1.133, 1.258]);
    expect(ENGINE_BYTES_PER_PAGE).toBe(Math.ceil(Math.max(...perPage) * 100) / 100);
    // 1024 GiB: (268,435,456 pages x 1.26 B x 2 simulations (run + timeline pre-run) + 64 MiB of
    // checkpoints) x 2 panels
    expect(engineMemoryBytes(1024, 2)).toBe(1_487_132_427);
    expect(engineMemoryBytes(1024, 1)).toBe(743_566_214);
    // What the UI offers without asking: all 1024 GiB in one panel; in two, what fits in 1 GiB
    // less 2 x 64 MiB of checkpoints, at 1,321,206 B per GiB of guest: 711 GiB.
    expect(guestLimitGiB(1)).toBe(1024);
    expect(guestLimitGiB(2)).toBe(711);
  });

  it('asks before a guest that risks the tab, says how much memory, and keeps the old one if told', async () => {
    const { s, sent } = setup('', (sc) => new FakeSimulation({ ...sc, guestGiB: 0.0625 }));
    await waitFor(() => expect(s().lead.store.getState().timeline).not.toBeNull());
    // One panel holds a 1 TiB guest in 709 MiB of engine state: only compare (two panels) asks.
    expect(screen.getByTestId('guest-limit').textContent).toBe('up to 1024 GiB in this tab');
    fireEvent.keyDown(window, { key: 'c' });
    expect(screen.getByTestId('guest-limit').textContent).toBe('up to 711 GiB in this tab');
    const loads = () => sent.filter((m) => m.type === 'load').length;
    const before = loads();
    const input = screen.getByRole('spinbutton', { name: 'Guest GiB' });
    // A number field commits on Enter (or blur): then the size is weighed.
    const type = (value: string) => {
      fireEvent.change(input, { target: { value } });
      fireEvent.keyDown(input, { key: 'Enter' });
    };
    type('1024');
    const ask = screen.getByTestId('confirm-guest');
    expect(ask.textContent).toMatch(/^A 1024 GiB guest takes about 1\.39 GiB of this tab's memory \(1\.26 bytes per page for the run and its timeline, and up to 64\.0 MiB of checkpoints, in each of 2 panels\)/);
    expect(loads()).toBe(before);
    fireEvent.click(within(ask).getByRole('button', { name: 'Keep 8 GiB' }));
    expect(screen.queryByTestId('confirm-guest')).toBeNull();
    expect((input as HTMLInputElement).value).toBe('8');
    type('1024');
    fireEvent.click(within(screen.getByTestId('confirm-guest')).getByRole('button', { name: 'Simulate it' }));
    const load = sent.filter((m) => m.type === 'load').at(-1);
    expect(load?.type === 'load' && load.scenario.guestGiB).toBe(1024);
    // 512 GiB in two panels (645 MiB) needs no question
    type('512');
    expect(screen.queryByTestId('confirm-guest')).toBeNull();
  });

  it('the scenario select has short names; the RFC\'s words are the description', () => {
    setup('');
    const select = screen.getByRole('combobox', { name: 'Scenario' }) as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['Case 1: idle guest just booted', 'Case 2: after a memory hog']);
    expect(select.title).toBe('The guest has run a memory-consuming workload, terminated just before live migration');
    expect(select).toHaveAccessibleDescription('The guest has run a memory-consuming workload, terminated just before live migration');
  });
});
