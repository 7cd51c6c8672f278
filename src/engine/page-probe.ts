/**
 * PageProbe: the history of one page, recorded while a simulation runs (SimulationOptions.probe).
 * The UI asks for it on demand (pin a page): the engine is deterministic, so re-simulating the
 * scenario with a probe on that pfn gives its exact history without keeping per-page counters or
 * event logs for every page of every run. The engine keeps no write version and no send count
 * per page (2 bits say whether the destination is behind and whether it ever received the page);
 * the counts exist only for the watched page (PageWatch), which the write and send paths update.
 * The Simulation hands the probe the page's state after each of its steps; the probe records what
 * changed. Without a probe the Simulation does none of this.
 */
import { GUEST_STATES, guestOf, MIG_PENDING, MIG_REDIRTIED, MIG_SKIPPED, migrationOf } from './model/page-state';
import type { PageHistory, PageHistoryEvent } from './types';

/** Counts for one page, kept by GuestMemory (writes) and the migration thread (sends). */
export class PageWatch {
  /** Page writes so far: the page's version (0 = never written). */
  writes = 0;
  /** Times the migration thread sent the page. */
  sends = 0;
  /** The version the destination received last (writes at the last send). */
  received = 0;
  constructor(readonly pfn: number) {}
}

export class PageProbe {
  readonly events: PageHistoryEvent[] = [];
  start: PageHistory['start'] | null = null;
  /** Attach to GuestMemory.watch before the guest's memory is built, so versions count from 0. */
  readonly watch: PageWatch;
  private code = -1;
  private version = -1;
  private sends = 0;

  constructor(readonly pfn: number) {
    this.watch = new PageWatch(pfn);
  }

  /** The page's state after a step that ended at `t`: its page-map code (model/page-state). */
  observe(t: number, code: number): void {
    const { writes: version, sends, received } = this.watch;
    if (this.code < 0) {
      // The first look: the page as the guest's memory took shape (its starting point).
      this.code = code;
      this.version = version;
      this.sends = sends;
      this.start = { t, guest: GUEST_STATES[guestOf(code)].id, version };
      return;
    }
    if (version !== this.version) {
      this.events.push({ t, kind: 'written', count: version - this.version, version });
      this.version = version;
    }
    const was = this.code;
    if (guestOf(code) !== guestOf(was)) {
      this.events.push({ t, kind: 'guest', from: GUEST_STATES[guestOf(was)].id, to: GUEST_STATES[guestOf(code)].id });
    }
    const resent = sends > this.sends;
    // A unit sends a page at most once; the version is the one the destination now holds.
    for (let i = this.sends; i < sends; i++) this.events.push({ t, kind: 'sent', version: received });
    this.sends = sends;
    const m = migrationOf(code);
    const mw = migrationOf(was);
    if (m === MIG_SKIPPED && mw === MIG_PENDING) this.events.push({ t, kind: 'skipped' });
    // Marked again after a send (also when sent and written again within one step).
    if (m === MIG_REDIRTIED && (mw !== MIG_REDIRTIED || resent)) this.events.push({ t, kind: 'dirtied' });
    this.code = code;
  }
}
