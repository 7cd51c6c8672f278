/**
 * One time cursor over every panel on screen. Each worker paces itself by its own wall clock,
 * so this re-aligns them whenever it matters: Play waits until every engine has answered
 * everything (then all start in the same task), Pause seeks them to the later of their times.
 *
 * A panel whose engine failed (its error is on its panel, with Restart) is left out: the others
 * still play, and Play says which panel cannot. Waiting for it would wait forever, since a failed
 * engine answers nothing (issue 9, defect 4).
 */
import { stepSizeMs } from '../../protocol';
import { formatClock } from '../format';
import { modeLabel } from '../modes';
import type { PanelController } from './panel-controller';

export interface PlaybackDeps {
  /** The panels on screen now (the view may change while a Play waits). */
  panels: () => readonly PanelController[];
  announce: (text: string) => void;
}

export class PlaybackSync {
  /** Bumped by every action that moves or stops the clock: a Play still waiting is cancelled. */
  private playToken = 0;

  constructor(private readonly deps: PlaybackDeps) {}

  private get panels(): readonly PanelController[] {
    return this.deps.panels();
  }

  /** The time on screen: the latest of the panels (a finished run stops at its end). */
  timeMs(): number {
    let t = 0;
    for (const p of this.panels) t = Math.max(t, p.live.simTimeMs);
    return t;
  }

  get playing(): boolean {
    return this.panels.some((p) => p.store.getState().playing);
  }

  togglePlay(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  play(): void {
    const panels = this.panels;
    const healthy = panels.filter((p) => !p.failed);
    const failed = panels.filter((p) => p.failed);
    const names = (ps: readonly PanelController[]) => ps.map((p) => modeLabel(p.store.getState().mode)).join(' and ');
    if (healthy.length === 0) {
      const who = panels.length > 1 ? `${names(failed)} stopped with an error (Restart is on each panel)` : 'the simulation stopped with an error (Restart is on the panel)';
      this.deps.announce(`Cannot play: ${who}`);
      return;
    }
    this.deps.announce(failed.length > 0 ? `Playing ${names(healthy)} only: ${names(failed)} stopped with an error` : 'Playing');
    if (panels.length === 1) {
      panels[0].play();
      return;
    }
    const token = ++this.playToken;
    // Every engine must have caught up with every earlier message (a seek takes a
    // re-simulation) so that their playback clocks start together.
    void Promise.all(healthy.map((p) => p.settled())).then(async () => {
      // The view changed, or a seek or pause came after: those decide what plays.
      if (!samePanels(this.panels, panels) || token !== this.playToken) return;
      const alive = healthy.filter((p) => !p.failed);
      let running = alive.filter((p) => !p.live.done);
      if (running.length === 0) {
        // Play at the end replays the whole race from the start.
        for (const p of alive) p.seek(0);
        await Promise.all(alive.map((p) => p.settled()));
        if (token !== this.playToken) return;
        running = alive.filter((p) => !p.failed);
      }
      for (const p of running) p.play();
    });
  }

  pause(): void {
    this.playToken++;
    const panels = this.panels;
    for (const p of panels) p.pause();
    this.deps.announce(`Paused at ${formatClock(this.timeMs())}`);
    if (panels.length < 2) return;
    void Promise.all(panels.map((p) => p.settled())).then(() => {
      // Each worker stopped at its own moment; line the unfinished ones up on the later one.
      const running = panels.filter((p) => !p.live.done && !p.failed);
      if (running.length < 2) return;
      const t = Math.max(...running.map((p) => p.live.simTimeMs));
      if (running.some((p) => Math.abs(p.live.simTimeMs - t) > 1e-6)) for (const p of running) p.seek(t);
    });
  }

  step(): void {
    this.playToken++;
    for (const p of this.panels) p.step();
  }

  stepBack(): void {
    const lead = this.panels[0];
    if (!lead) return;
    this.seek(Math.max(0, this.timeMs() - stepSizeMs(lead.store.getState().speed)));
  }

  /** Every panel to exactly `simMs`, paused (drags coalesce per panel). */
  seek(simMs: number): void {
    this.playToken++;
    for (const p of this.panels) p.seek(simMs);
  }

  reset(): void {
    this.playToken++;
    for (const p of this.panels) p.reset();
  }

  setSpeed(speed: number): void {
    for (const p of this.panels) p.setSpeed(speed);
  }
}

function samePanels(a: readonly PanelController[], b: readonly PanelController[]): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}
