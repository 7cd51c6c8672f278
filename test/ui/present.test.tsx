// @vitest-environment jsdom
/**
 * Issue 14 in the app: the presentation stage's clock, phase and numbers, the embed view, the ?
 * dialog's focus trap, slider keys, `t=` while playing, and a failed export on screen.
 */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/engine/simulation';
import { appTestEnvironment, SMALL, setup } from './app-harness';

appTestEnvironment();

describe('the presentation stage', () => {
  it('always shows the clock, the phase and total time, transferred and verification', async () => {
    const { s, flush } = setup(`?${SMALL}&present=1`, (sc) => new Simulation(sc));
    const hud = screen.getByTestId('stage-hud');
    expect(within(hud).getByTestId('hud-clock')).toHaveTextContent('0.000 s');
    expect(within(hud).getByTestId('hud-phase')).toHaveTextContent('not started');
    act(() => s().lead.runToEnd());
    await waitFor(() => expect(s().lead.live.done).toBe(true));
    flush();
    await waitFor(() => expect(within(hud).getByTestId('hud-phase')).toHaveTextContent('completed'));
    const final = s().lead.live.stats;
    expect(final).not.toBeNull();
    // The clock reads the run's end, the numbers are the run's final query-migrate.
    expect(within(hud).getByTestId('hud-clock').textContent).toBe(`${(s().timeMs() / 1000).toFixed(3)} s`);
    expect(hud).toHaveTextContent(/total time\s*\d/);
    expect(hud).toHaveTextContent(/transferred\s*\d+(\.\d)? MiB/);
    const checked = final?.verification['pages-checked'] ?? -1;
    expect(checked).toBeGreaterThan(0);
    expect(within(hud).getByTestId('verification')).toHaveTextContent(`✓ verified: ${checked.toLocaleString('en-US')} pages match the source`);
  });

  it('is not there outside presentation mode; compare shows one line per run, named by mode', () => {
    setup(`?${SMALL}`);
    expect(screen.queryByTestId('stage-hud')).toBeNull();
    fireEvent.keyDown(window, { key: 'c' });
    fireEvent.keyDown(window, { key: 'f' });
    const hud = screen.getByTestId('stage-hud');
    expect(within(hud).getByTestId('hud-run-original')).toHaveTextContent(/^Original not started/);
    expect(within(hud).getByTestId('hud-run-pv')).toHaveTextContent(/^PV not started/);
  });

  it('hides the hover tooltip together with the controls (the rule the stylesheet applies)', async () => {
    const { root } = setup(`?${SMALL}&present=1`);
    // jsdom applies no stylesheet: check the classes the rule keys on.
    expect(root()).toHaveClass('presenting');
    expect(root()).not.toHaveClass('chrome-visible');
    const css = await import('node:fs').then((fs) => fs.readFileSync('src/ui/styles.css', 'utf8'));
    expect(css).toContain('.presenting:not(.chrome-visible) .tooltip { display: none; }');
  });
});

describe('embed=1', () => {
  it('shows the view and its clock, and none of the page actions; keys still drive it', async () => {
    const { s, container } = setup(`?${SMALL}&embed=1`);
    for (const name of ['Tour', 'Copy link', 'Open…', 'Export ▾', 'Theme: System', 'Present', 'Keyboard shortcuts', 'Play']) {
      expect(screen.queryByRole('button', { name })).toBeNull();
    }
    expect(container.querySelector('header.app-head')).toBeNull();
    expect(container.querySelector('canvas.page-map')).not.toBeNull();
    expect(screen.getByTestId('charts')).toBeInTheDocument();
    expect(screen.getByTestId('hud-clock')).toBeInTheDocument();
    expect(screen.queryByTestId('stats')).toBeNull();
    fireEvent.keyDown(window, { key: ' ' });
    expect(s().playing).toBe(true);
    fireEvent.keyDown(window, { key: ' ' });
    fireEvent.keyDown(window, { key: 'PageDown' });
    await waitFor(() => expect(s().store.getState().tourStep).toBe(0));
    expect(await screen.findByTestId('tour-caption')).toBeInTheDocument();
    // Nothing opens over the view: no shortcut list, no presentation mode.
    fireEvent.keyDown(window, { key: '?' });
    fireEvent.keyDown(window, { key: 'f' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(s().store.getState().presenting).toBe(false);
  });
});

describe('input details', () => {
  it('the ? dialog takes the focus, keeps Tab inside, keys do not act behind it, and gives the focus back', async () => {
    const user = userEvent.setup();
    const { s } = setup(`?${SMALL}`);
    // The tour's chunk is in (as after a hover on Tour): a tour key would act at once.
    await s().loadTour();
    const opener = screen.getByRole('button', { name: 'Keyboard shortcuts' });
    await user.click(opener);
    const dialog = screen.getByRole('dialog');
    const close = within(dialog).getByRole('button', { name: 'Close' });
    expect(close).toHaveFocus();
    await user.tab();
    expect(close).toHaveFocus();
    await user.tab({ shift: true });
    expect(close).toHaveFocus();
    // PageDown, → and a mode key do nothing behind the dialog (Space would press its button).
    await user.keyboard('{PageDown}');
    await user.keyboard('{ArrowRight}');
    await user.keyboard('p');
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(s().lead.store.getState().snapshot.simTimeMs).toBe(0);
    expect(s().store.getState().tourStep).toBeNull();
    expect(s().store.getState().view).toEqual({ kind: 'single', mode: 'original' });
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(opener).toHaveFocus();
  });

  it('PageDown and PageUp on a focused slider move the slider, not the tour', async () => {
    const { s } = setup(`?${SMALL}`);
    // The tour's chunk is in (as after a hover on Tour): a tour key would act at once.
    await s().loadTour();
    const slider = screen.getByRole('slider', { name: 'Simulated time' });
    slider.focus();
    fireEvent.keyDown(slider, { key: 'PageDown' });
    fireEvent.keyDown(slider, { key: 'PageUp' });
    expect(s().store.getState().tourStep).toBeNull();
    // Off the slider, PageDown is the clicker's "next".
    fireEvent.keyDown(document.body, { key: 'PageDown' });
    expect(s().store.getState().tourStep).toBe(0);
  });

  it("the address bar's t= follows the run while it plays, at most once per interval", async () => {
    const writes: string[] = [];
    const { s, flush } = setup(`?${SMALL}`, (sc) => new Simulation(sc), {
      urlDebounceMs: 5,
      urlPlayingIntervalMs: 30,
      chromeHideMs: 40,
      writeUrl: (q) => writes.push(q),
    });
    act(() => s().setSpeed(0.05));
    act(() => s().play());
    const playingWrites = () => writes.filter((w) => /[?&]t=\d/.test(w) && w.includes('play=1'));
    // Paint as a browser would (the engine waits for painted buffers before it moves on).
    for (let i = 0; i < 200 && playingWrites().length < 3; i++) {
      flush();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(playingWrites().length).toBeGreaterThanOrEqual(3);
    const ts = writes.flatMap((w) => {
      const m = /[?&]t=([\d.]+)/.exec(w);
      return m && w.includes('play=1') ? [Number(m[1])] : [];
    });
    // Moving forward, not stuck at the moment Play was pressed.
    expect(ts.at(-1)).toBeGreaterThan(ts[0]);
    act(() => s().pause());
  });

  it('a failed export is shown on screen, not only announced', async () => {
    const user = userEvent.setup();
    const { svc } = setup(`?${SMALL}`);
    // The registry has no charts (as when a view unmounted mid-click): the export must fail.
    svc().exports.chartsSvg = () => null;
    await user.click(screen.getByRole('button', { name: 'Export ▾' }));
    await user.click(screen.getByRole('menuitem', { name: 'Charts (SVG)' }));
    const notice = await screen.findByTestId('export-notice');
    expect(notice).toHaveTextContent('The export failed; nothing was downloaded:no charts on screen');
    await user.click(within(notice).getByRole('button', { name: 'Dismiss export notice' }));
    expect(screen.queryByTestId('export-notice')).toBeNull();
  });
});
