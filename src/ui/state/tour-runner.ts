/**
 * TourRunner: walks the tour (src/ui/tour/tour.ts) for the Session. A step shows its preset and
 * view, plays its stretch of the run from one engine moment to another (read from the run's
 * timeline once the engine has sent it) and holds there until the next key press; the user
 * taking the controls ends the wait.
 */
import type { TimelineMarker, TimelineMessage } from '../../protocol';
import type { RafScheduler } from '../render/raf-scheduler';
import { momentMs, TOUR, type TourMoment, type TourStep } from '../tour/tour';
import type { AppStore } from './app-state';
import type { PanelController } from './panel-controller';
import type { PlaybackSync } from './playback-sync';

/** What the tour needs of the Session. */
export interface TourHost {
  readonly store: AppStore;
  readonly scheduler: RafScheduler;
  readonly playback: PlaybackSync;
  /** The panels on screen, the lead first. */
  panels(): readonly PanelController[];
  /** The shared clock, simulated ms. */
  timeMs(): number;
  /** Puts the step's preset and view on screen. */
  show(step: TourStep): void;
  announce(text: string): void;
}

export class TourRunner {
  /** Removes the frame check of a step playing to its moment, or null. */
  private hold: (() => void) | null = null;
  /** Bumped by every step change: a step still waiting for its timeline gives up. */
  private token = 0;

  constructor(private readonly host: TourHost) {}

  next(): void {
    const i = this.host.store.getState().tourStep;
    this.goTo(i === null ? 0 : Math.min(TOUR.length - 1, i + 1));
  }

  prev(): void {
    const i = this.host.store.getState().tourStep;
    this.goTo(i === null ? 0 : Math.max(0, i - 1));
  }

  /** Show step `i`, play its stretch and hold at its moment. */
  goTo(i: number): void {
    const step = TOUR[i];
    if (!step) return;
    const h = this.host;
    this.cancelHold();
    const token = ++this.token;
    h.store.setState({ tourStep: i, tourHeld: false, overlay: 'none' });
    h.show(step);
    h.playback.setSpeed(step.speed);
    h.announce(`Tour step ${i + 1} of ${TOUR.length}: ${step.title}`);
    const go = (events: readonly TimelineMarker[]) => {
      if (token !== this.token) return; // the speaker has moved on
      const from = momentMs(step.from, events) ?? 0;
      const until = Math.max(from, momentMs(step.until, events) ?? from);
      h.playback.seek(from);
      if (until > from) this.playUntil(until, token);
      else h.store.setState({ tourHeld: true });
    };
    if (isStart(step.from) && isStart(step.until)) {
      go([]);
      return;
    }
    const panels = h.panels();
    const panel = panels[step.momentsOf ?? 0] ?? panels[0];
    void timelineOf(panel).then((t) => go(t.markers));
  }

  /** Stop waiting for a step's moment (the user took the controls, or the step changed). */
  cancelHold(): void {
    this.hold?.();
    this.hold = null;
  }

  end(): void {
    this.cancelHold();
    this.token++;
    this.host.store.setState({ tourStep: null, tourHeld: false });
  }

  /** For dispose: forget any step still waiting, without touching the store. */
  stop(): void {
    this.cancelHold();
    this.token++;
  }

  /**
   * Play, and stop exactly at `untilMs`: checked every frame, then a seek to `untilMs` (the
   * engine re-simulates deterministically, so the screen shows that very moment, not the frame
   * that happened to pass it).
   */
  private playUntil(untilMs: number, token: number): void {
    const h = this.host;
    h.playback.play();
    this.hold = h.scheduler.add(() => {
      if (token !== this.token) return;
      if (h.timeMs() < untilMs && h.panels().some((p) => !p.live.done && !p.failed)) return;
      this.cancelHold();
      h.playback.seek(untilMs);
      h.store.setState({ tourHeld: true });
    });
  }
}

function isStart(m: TourMoment): boolean {
  return m.at === 'start';
}

/** The panel's timeline of its current scenario: now, or when the engine sends it. */
function timelineOf(p: PanelController): Promise<TimelineMessage> {
  const now = p.store.getState().timeline;
  if (now) return Promise.resolve(now);
  return new Promise((resolve) => {
    const unsub = p.store.subscribe((s) => {
      if (!s.timeline) return;
      unsub();
      resolve(s.timeline);
    });
  });
}
