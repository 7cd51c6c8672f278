// @vitest-environment jsdom
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, } from 'vitest';
import { InProcessEngineClient } from '../../src/client/in-process-client';
import type { EngineClient } from '../../src/client/engine-client';
import { MIG_SKIPPED, MIG_SENT, pageCode, GUEST_FREE_STALE } from '../../src/engine/model/page-state';
import { Simulation } from '../../src/engine/simulation';
import type { Scenario } from '../../src/engine/types';
import type { ToWorker } from '../../src/protocol';
import { App } from '../../src/ui/App';
import { buildPageMapLut } from '../../src/ui/render/page-map-painter';
import type { PanelController } from '../../src/ui/state/panel-controller';
import { darkTheme } from '../../src/ui/theme';
import { FakeSimulation, fakeScenario } from '../worker/fake-simulation';
import { appTestEnvironment, manualScheduler } from './app-harness';
import { words } from './canvas-fake';

/** Renders the app on an in-process engine and records what it sends. */
function setup(createSimulation: (s: Scenario) => FakeSimulation | Simulation = (s) => new FakeSimulation(s)) {
  const sent: ToWorker[] = [];
  const clients: InProcessEngineClient[] = [];
  const createClient = (): EngineClient => {
    const c = new InProcessEngineClient({ createSimulation });
    clients.push(c);
    const send = c.send.bind(c);
    c.send = (msg, transfer) => {
      // Buffer hand-backs follow painting and timeline queries follow loads, not user actions:
      // keep them out of the log.
      if (msg.type !== 'returnBuffer' && msg.type !== 'timeline') sent.push(msg);
      send(msg, transfer);
    };
    return c;
  };
  const { scheduler, flush } = manualScheduler();
  let controller: PanelController | null = null;
  const utils = render(<App createClient={createClient} scheduler={scheduler} onController={(c) => (controller = c)} />);
  const ctl = () => controller as unknown as PanelController;
  const types = () => sent.map((m) => m.type);
  return { ...utils, sent, types, clients, flush, ctl };
}

// A blank page per test: the app writes its link into the address (debounced), and a test must
// not open the last one's.
const canvasFake = appTestEnvironment();
/** The page map's last frame drawn. */
function lastPut() {
  const last = canvasFake().puts.at(-1);
  if (!last) throw new Error('nothing drawn');
  return last;
}

describe('App controls', () => {
  it('loads paused on rfc-case-2 in original mode', async () => {
    const { types, ctl } = setup();
    expect(screen.getByRole('button', { name: 'Play' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Original' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByRole('button', { name: 'PV' })).toHaveAttribute('aria-pressed', 'false');
    const select = screen.getByRole('combobox', { name: 'Scenario' }) as HTMLSelectElement;
    expect(select.value).toBe('rfc-case-2');
    expect(within(select).getByRole('option', { selected: true }).textContent).toBe('Case 2: after a memory hog');
    expect(types()).toEqual(['setSpeed', 'load']);
    expect(ctl().store.getState().scenario).toMatchObject({ id: 'rfc-case-2', mode: 'original', guestGiB: 8 });
    // The first frame arrives and the bucketing is said on screen.
    await waitFor(() => expect(screen.getByTestId('bucketing').textContent).toMatch(/2,097,152 pages · 1.31×1.31 px = 8 pages/));
  });

  it('Play/Pause is one toggle button, also on Space; keys are ignored while typing', async () => {
    const user = userEvent.setup();
    const { sent, ctl } = setup();
    await user.click(screen.getByRole('button', { name: 'Play' }));
    expect(screen.getByRole('button', { name: 'Pause' })).toBeInTheDocument();
    expect(sent.at(-1)).toEqual({ type: 'play' });
    expect(ctl().store.getState().playing).toBe(true);
    fireEvent.keyDown(window, { key: ' ' });
    expect(screen.getByRole('button', { name: 'Play' })).toBeInTheDocument();
    expect(sent.at(-1)).toEqual({ type: 'pause' });
    const seed = screen.getByRole('spinbutton', { name: 'Seed' });
    fireEvent.keyDown(seed, { key: ' ' });
    fireEvent.keyDown(seed, { key: 'p' });
    expect(sent.at(-1)).toEqual({ type: 'pause' });
    expect(ctl().store.getState().mode).toBe('original');
  });

  it('a frame already in flight cannot undo a Play (frames carry an ack count)', async () => {
    const { ctl } = setup();
    act(() => ctl().setInput('guestGiB', '0.0625')); // the fake engine is slow on big guests
    await waitFor(() => expect(ctl().live.pageCount).toBe(16384));
    const epoch = ctl().live.epoch;
    act(() => {
      ctl().runToEnd(); // its frame says done + not playing...
      ctl().play(); // ...but arrives after this Play, which restarts the run
    });
    await waitFor(() => expect(ctl().live.epoch).toBe(epoch + 1));
    await new Promise((r) => setTimeout(r, 50));
    expect(ctl().store.getState().playing).toBe(true);
    expect(screen.getByRole('button', { name: 'Pause' })).toBeInTheDocument();
    act(() => ctl().pause());
  });

  it('mode buttons and O/P keys switch the mode in the store and the engine', async () => {
    const user = userEvent.setup();
    const { sent, ctl } = setup();
    await user.click(screen.getByRole('button', { name: 'PV' }));
    expect(screen.getByRole('button', { name: 'PV' })).toHaveAttribute('aria-pressed', 'true');
    expect(sent.at(-1)).toEqual({ type: 'setMode', mode: 'pv' });
    expect(ctl().store.getState().scenario.mode).toBe('pv');
    fireEvent.keyDown(window, { key: 'o' });
    expect(screen.getByRole('button', { name: 'Original' })).toHaveAttribute('aria-pressed', 'true');
    expect(sent.at(-1)).toEqual({ type: 'setMode', mode: 'original' });
  });

  it('Step advances the clock; ArrowLeft steps back by re-simulating (seek); R resets', async () => {
    const user = userEvent.setup();
    const { sent, flush } = setup();
    await user.click(screen.getByRole('button', { name: 'Step' }));
    expect(sent.at(-1)).toEqual({ type: 'step' });
    // default speed 0.25x: one step = 62.5 simulated ms (the fake engine ticks whole ms)
    await waitFor(() => {
      flush();
      expect(screen.getByTestId('sim-clock').textContent).toBe('0.063 s');
    });
    fireEvent.keyDown(window, { key: 'ArrowLeft' });
    expect(sent.at(-1)).toEqual({ type: 'seek', simMs: 0.5 });
    fireEvent.keyDown(window, { key: 'ArrowRight' });
    expect(sent.at(-1)).toEqual({ type: 'step' });
    fireEvent.keyDown(window, { key: 'r' });
    expect(sent.at(-1)).toEqual({ type: 'reset' });
    await waitFor(() => {
      flush();
      expect(screen.getByTestId('sim-clock').textContent).toBe('0.000 s');
    });
  });

  it('the speed slider walks a log ladder from 0.01x to max', () => {
    const { sent } = setup();
    const slider = screen.getByRole('slider', { name: /Speed/ });
    fireEvent.change(slider, { target: { value: '0' } });
    expect(sent.at(-1)).toEqual({ type: 'setSpeed', simMsPerWallMs: 0.01 });
    expect(screen.getByText('0.01×')).toBeInTheDocument();
    fireEvent.change(slider, { target: { value: '13' } });
    expect(sent.at(-1)).toEqual({ type: 'setSpeed', simMsPerWallMs: Number.POSITIVE_INFINITY });
    expect(screen.getByText('max')).toBeInTheDocument();
  });

  it('rejects bad scenario inputs with a message and keeps the running scenario', () => {
    const { sent, ctl } = setup();
    const guest = screen.getByRole('spinbutton', { name: 'Guest GiB' });
    const link = screen.getByRole('spinbutton', { name: 'Link Gbit/s' });
    const before = sent.length;
    fireEvent.change(guest, { target: { value: '0' } });
    fireEvent.keyDown(guest, { key: 'Enter' });
    expect(screen.getByRole('alert').textContent).toBe('guest size (GiB) must be from 0.0625 to 1024.');
    // Only the bad field is marked, and its message is tied to it.
    expect(guest).toHaveAttribute('aria-invalid', 'true');
    expect(guest).toHaveAccessibleDescription('guest size (GiB) must be from 0.0625 to 1024.');
    // The message describes the field; its name stays its label.
    expect(screen.getByRole('spinbutton', { name: 'Guest GiB' })).toBe(guest);
    expect(link).not.toHaveAttribute('aria-invalid');
    fireEvent.change(guest, { target: { value: '' } });
    fireEvent.blur(guest);
    expect(screen.getByRole('alert').textContent).toBe('Guest size (GiB) must be a number.');
    expect(sent.length).toBe(before); // nothing reached the engine
    expect(ctl().store.getState().scenario.guestGiB).toBe(8);
    fireEvent.change(guest, { target: { value: '2' } });
    fireEvent.blur(guest);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(guest).not.toHaveAttribute('aria-invalid');
    expect(sent.at(-1)).toMatchObject({ type: 'load', scenario: { guestGiB: 2, mode: 'original', id: 'rfc-case-2' } });
  });

  it('the trust badge says how far to trust the run; the Testbed picker switches profile and keeps it', () => {
    const { sent, ctl } = setup();
    expect(screen.getByTestId('trust').textContent).toBe('predicted: RFC 2016 testbed, 8 GiB, published 7436 ms');
    fireEvent.change(screen.getByRole('combobox', { name: 'Testbed' }), { target: { value: 'wang-2018' } });
    // The testbed brings migrate_set_speed 100G, migrate_set_downtime 2 and its loopback link.
    expect(sent.at(-1)).toMatchObject({
      type: 'load',
      scenario: { id: 'rfc-case-2', profile: 'wang-2018', downtimeMs: 2000, maxBandwidthMiBs: 102400, linkGbps: 40 },
    });
    expect(screen.getByTestId('trust').textContent).toBe(
      'extrapolated: workload after-hog never measured (measured: idle-boot, kernel-compile)',
    );
    // Editing a field keeps the testbed; so does another preset.
    const guest = screen.getByRole('spinbutton', { name: 'Guest GiB' });
    fireEvent.change(guest, { target: { value: '16' } });
    fireEvent.keyDown(guest, { key: 'Enter' });
    expect(ctl().store.getState().scenario).toMatchObject({ profile: 'wang-2018', guestGiB: 16, downtimeMs: 2000 });
    fireEvent.change(screen.getByRole('combobox', { name: 'Scenario' }), { target: { value: 'rfc-case-1' } });
    expect(sent.at(-1)).toMatchObject({ type: 'load', scenario: { id: 'rfc-case-1', profile: 'wang-2018', downtimeMs: 2000 } });
    fireEvent.click(screen.getByRole('button', { name: 'PV' }));
    expect(screen.getByTestId('trust').textContent).toBe('mechanism only: no published measurement of pv on the Wang 2018 testbed');
  });

  it('a number field commits on Enter or blur: typing 0.125 loads one guest, not five', async () => {
    const user = userEvent.setup();
    const { sent } = setup();
    const guest = screen.getByRole('spinbutton', { name: 'Guest GiB' });
    const loads = () => sent.filter((m) => m.type === 'load');
    expect(loads()).toHaveLength(1); // the page's own first load
    await user.clear(guest);
    // 0, 0.1 and 0.12 on the way: no load for each (0 would even be rejected), no mark either.
    await user.type(guest, '0.125');
    expect(guest).toHaveValue(0.125);
    expect(guest).not.toHaveAttribute('aria-invalid');
    expect(loads()).toHaveLength(1); // nothing while typing
    await user.keyboard('{Enter}');
    expect(loads()).toHaveLength(2);
    expect(loads()[1]).toMatchObject({ scenario: { guestGiB: 0.125 } });
    // Blur after Enter commits nothing more; Escape drops an uncommitted draft.
    await user.tab();
    expect(loads()).toHaveLength(2);
    await user.clear(guest);
    await user.type(guest, '3{Escape}');
    expect(guest).toHaveValue(0.125);
    await user.tab();
    expect(loads()).toHaveLength(2);
  });

  it('the workload, stress parameters and auto-converge are in the controls and load at once', async () => {
    const user = userEvent.setup();
    const { sent } = setup();
    const workload = screen.getByRole('combobox', { name: 'Workload' }) as HTMLSelectElement;
    // The loaded workload is named on screen.
    expect(within(workload).getByRole('option', { selected: true }).textContent).toBe('memory hog just exited');
    expect(screen.queryByRole('spinbutton', { name: 'Dirty MiB/s' })).toBeNull();
    await user.selectOptions(workload, 'stress');
    expect(sent.at(-1)).toMatchObject({ type: 'load', scenario: { workload: 'stress', workingSetGiB: 1, dirtyMiBs: 100, pattern: 'random' } });
    const summary = screen.getByTestId('qemu-fields').querySelector('summary') as HTMLElement;
    expect(summary.textContent).toBe('1 GiB at 100 MiB/s random · downtime 300 ms · max-bandwidth 1192 MiB/s · auto-converge off');
    await user.click(summary);
    const dirty = screen.getByRole('spinbutton', { name: 'Dirty MiB/s' });
    await user.clear(dirty);
    await user.type(dirty, '400{Enter}');
    expect(sent.at(-1)).toMatchObject({ type: 'load', scenario: { workload: 'stress', dirtyMiBs: 400 } });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Pattern' }), 'sequential');
    expect(sent.at(-1)).toMatchObject({ type: 'load', scenario: { pattern: 'sequential' } });
    await user.click(screen.getByRole('checkbox', { name: 'Auto-converge' }));
    expect(sent.at(-1)).toMatchObject({ type: 'load', scenario: { autoConverge: true, cpuThrottleInitial: 20, cpuThrottleIncrement: 10, maxCpuThrottle: 99 } });
    // A rule between two fields marks the one that must give way: max below initial.
    const max = screen.getByRole('spinbutton', { name: 'max %' });
    const initial = screen.getByRole('spinbutton', { name: 'initial %' });
    const before = sent.length;
    await user.clear(max);
    await user.type(max, '10{Enter}');
    expect(max).toHaveAttribute('aria-invalid', 'true');
    expect(initial).not.toHaveAttribute('aria-invalid');
    expect(screen.getByRole('alert').textContent).toBe('max-cpu-throttle (10 %) must be at least cpu-throttle-initial (20 %).');
    expect(sent.length).toBe(before);
    // A working set larger than the guest marks the working set, not the guest size.
    await user.clear(max);
    await user.type(max, '60{Enter}');
    expect(sent.at(-1)).toMatchObject({ type: 'load', scenario: { maxCpuThrottle: 60 } });
    const ws = screen.getByRole('spinbutton', { name: 'Working set GiB' });
    await user.clear(ws);
    await user.type(ws, '9{Enter}');
    expect(ws).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('spinbutton', { name: 'Guest GiB' })).not.toHaveAttribute('aria-invalid');
    expect(screen.getByRole('alert').textContent).toBe('working set (9 GiB) must not exceed the guest size (8 GiB).');
  });

  it('changing the preset loads it with the preset values in the inputs', () => {
    const { sent } = setup();
    fireEvent.change(screen.getByRole('combobox', { name: 'Scenario' }), { target: { value: 'rfc-case-1' } });
    expect(sent.at(-1)).toMatchObject({ type: 'load', scenario: { id: 'rfc-case-1', workload: 'idle-boot' } });
    expect(screen.getByRole('spinbutton', { name: 'Guest GiB' })).toHaveValue(8);
  });

  it('shows an engine error with Restart, and Restart brings up a fresh engine', async () => {
    let fail = true;
    const user = userEvent.setup();
    const { clients, types } = setup((s) => {
      if (fail) throw new Error('out of guest memory');
      return new FakeSimulation(s);
    });
    const alert = await screen.findByText('out of guest memory');
    expect(alert.closest('[role="alert"]')).toHaveTextContent('The simulation stopped');
    // The rest of the page still works
    await user.click(screen.getByRole('button', { name: 'PV' }));
    expect(screen.getByRole('button', { name: 'PV' })).toHaveAttribute('aria-pressed', 'true');
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Restart' }));
    expect(clients).toHaveLength(2);
    expect(types().slice(-2)).toEqual(['setSpeed', 'load']);
    await waitFor(() => expect(screen.queryByText('out of guest memory')).toBeNull());
    await waitFor(() => expect(screen.getByTestId('bucketing').textContent).toMatch(/pages/));
  });
});

describe('page-map tooltip', () => {
  it('on a bucketed map, counts the pages of the cell under the pointer by state', async () => {
    const { flush, ctl } = setup();
    await waitFor(() => expect(ctl().live.layout).not.toBeNull());
    flush();
    const l = ctl().live.layout as NonNullable<PanelController['live']['layout']>;
    expect(l).toMatchObject({ bucketShift: 3, cols: 609, scale: 1.3125 }); // 8 pages per cell, 800x600
    // jsdom lays nothing out: the canvas sits at (0, 0) and client = canvas CSS pixels.
    const cv = screen.getByLabelText(/^page map:/);
    fireEvent.pointerMove(cv, { clientX: 5, clientY: 3 }); // cell (3, 2) = 2 * 609 + 3
    const first = (2 * 609 + 3) * 8;
    expect(ctl().store.getState().hoverPfn).toBe(first);
    const tip = await screen.findByRole('tooltip');
    // The fake: every 4th page in use, the rest free with stale data; nothing sent at time 0.
    await waitFor(() =>
      expect(tip).toHaveTextContent(
        `pfn ${first}–${first + 7} (8 pages)8 pages: 6 free (stale), to send; 2 in use, to send.`,
      ),
    );
    fireEvent.pointerLeave(cv);
    expect(screen.queryByRole('tooltip')).toBeNull();
  });

  it('on a map of one page per cell, details the page (where the destination stands, free block)', async () => {
    const { flush, ctl } = setup();
    await waitFor(() => expect(ctl().live.layout).not.toBeNull());
    act(() => ctl().setScenario(fakeScenario())); // 4096 pages: one per cell in 800x600
    await waitFor(() => expect(ctl().live.layout?.bucketShift).toBe(0));
    flush();
    const l = ctl().live.layout as NonNullable<PanelController['live']['layout']>;
    const cv = screen.getByLabelText(/^page map:/);
    fireEvent.pointerMove(cv, { clientX: l.scale * 2 + 1, clientY: 1 }); // pfn 2: free, stale
    const tip = await screen.findByRole('tooltip');
    await waitFor(() => expect(tip).toHaveTextContent('pfn 2 (0x2)'));
    await waitFor(() => expect(tip).toHaveTextContent(/free, stale data.*to send.*destination.*not received yet.*order 0/));
  });
});

describe('mode toggle changes what is drawn (real engine)', () => {
  it('original sends the free pages; PV skips them and the virtqueue carries traffic', async () => {
    const { flush, ctl } = setup((s) => new Simulation(s));
    await waitFor(() => expect(ctl().live.epoch).toBe(1));
    act(() => ctl().runToEnd());
    await waitFor(() => expect(ctl().live.done).toBe(true));
    flush();
    const lut = buildPageMapLut(darkTheme);
    const skippedColour = lut[pageCode(MIG_SKIPPED, GUEST_FREE_STALE) * 2];
    const sentColour = lut[pageCode(MIG_SENT, GUEST_FREE_STALE) * 2];
    const count = (px: Uint32Array, c: number) => px.reduce((n, v) => n + (v === c ? 1 : 0), 0);
    const original = words(lastPut());
    expect(count(original, skippedColour)).toBe(0);
    expect(count(original, sentColour)).toBeGreaterThan(original.length * 0.8);
    expect(screen.getByTestId('virtqueue').querySelector('.vq-idle')?.getAttribute('display')).toBeNull();

    fireEvent.keyDown(window, { key: 'p' });
    await waitFor(() => expect(ctl().live.stats?.migviz.mode).toBe('pv'));
    flush();
    const pv = words(lastPut());
    // ~96% of the guest is free after the memory hog: skipped, drawn as a checkerboard
    expect(count(pv, skippedColour)).toBeGreaterThan(pv.length * 0.4);
    expect(count(pv, sentColour)).toBe(0);
    const vq = screen.getByTestId('virtqueue');
    expect(vq.querySelector('.vq-idle')?.getAttribute('display')).toBe('none');
    await waitFor(() => expect(screen.getByTestId('verification').textContent).toMatch(/✓ verified/));
    expect(Number(screen.getByTestId('vq-counters').querySelector('div:nth-child(3) dd')?.textContent)).toBeGreaterThan(1);
  });
});
