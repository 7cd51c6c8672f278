/**
 * A small, deterministic stand-in for the engine's Simulation (same contract as
 * src/engine/simulation.ts) so host/client/UI tests do not depend on the real model's numbers.
 *
 * Model: every 4th page is in use, the rest free with stale data. Setup takes 10 ms; in pv mode
 * the balloon traffic happens at 2..6 ms and the free pages are skipped. The scan cursor then
 * sends 100 pages per simulated ms; done when it reaches the end.
 */
import type { CellSummary, PageInfo, Phase, QueryMigrate, Scenario, SimEvent, VirtqueueSnapshot } from '../../src/engine/types';
import {
  CELL_OUTSIDE,
  GUEST_FREE_STALE,
  GUEST_USED,
  MIG_PENDING,
  MIG_SENT,
  MIG_SKIPPED,
  pageCode,
} from '../../src/engine/model/page-state';
import type { SimulationLike } from '../../src/worker/sim-host';
import { AUTO_CONVERGE_DEFAULTS, STRESS_DEFAULTS } from '../../src/engine/scenario';

export const FAKE_PAGES_PER_MS = 100;
export const FAKE_SETUP_MS = 10;

export class FakeSimulation implements SimulationLike {
  readonly pageCount: number;
  clockMs = 0;
  phase: Phase = 'setup';
  round = 1;
  cursor = 0;
  done = false;
  readonly events: SimEvent[] = [];
  readonly series = {
    t: new Float64Array(4096),
    transferred: new Float64Array(4096),
    remaining: new Float64Array(4096),
    threshold: new Float64Array(4096),
    dirtyRate: new Float64Array(4096),
    sendRate: new Float64Array(4096),
    throttle: new Float64Array(4096),
    length: 0,
    generation: 0,
  };
  private readonly mig: Uint8Array;
  private transferred = 0;
  private vqDesc = new Uint8Array(8);
  private vqBuffers = 0;
  private kicks = 0;
  private interrupts = 0;
  private skipped = 0;
  /** Pages still MIG_PENDING (kept as a count: the host's timeline probe runs whole fakes). */
  private pending: number;
  stepCalls = 0;

  constructor(readonly scenario: Scenario) {
    if (!(scenario.guestGiB > 0)) throw new Error('guestGiB must be positive');
    this.pageCount = Math.round(scenario.guestGiB * 262144);
    this.mig = new Uint8Array(this.pageCount); // all MIG_PENDING
    this.pending = this.pageCount;
    this.events.push({ t: 0, kind: 'phase', phase: 'setup' });
  }

  private guest(pfn: number): number {
    return pfn % 4 === 0 ? GUEST_USED : GUEST_FREE_STALE;
  }

  step(untilMs: number): void {
    this.stepCalls++;
    while (!this.done && this.clockMs < untilMs) this.tickOneMs();
  }

  runToEnd(): QueryMigrate {
    while (!this.done) this.tickOneMs();
    return this.stats();
  }

  private vq(t: number, kind: 'add' | 'kick' | 'pop' | 'push' | 'interrupt' | 'reclaim', head: number, bytes: number) {
    this.events.push({
      t,
      kind: 'vq',
      vq: { t, queue: 'free-page', kind, head, descriptors: head < 0 ? 0 : 1, bytes, label: 'bitmap' },
    });
  }

  private tickOneMs(): void {
    const t = this.clockMs + 1;
    const pv = this.scenario.mode === 'pv';
    if (pv && t === 2) {
      this.events.push({ t, kind: 'free-page-request' });
      this.vq(t, 'add', 0, 4096);
      this.vqDesc[0] = 1;
      this.vq(t, 'kick', -1, 0);
      this.kicks++;
    }
    if (pv && t === 3) {
      this.vq(t, 'pop', 0, 4096);
      this.vqDesc[0] = 2;
    }
    if (pv && t === 4) {
      this.vq(t, 'push', 0, 4096);
      this.vqDesc[0] = 3;
      this.vq(t, 'interrupt', -1, 0);
      this.interrupts++;
      this.vqBuffers++;
    }
    if (pv && t === 5) {
      this.vq(t, 'reclaim', 0, 4096);
      this.vqDesc[0] = 0;
      for (let p = 0; p < this.pageCount; p++) {
        if (this.guest(p) === GUEST_FREE_STALE) {
          this.mig[p] = MIG_SKIPPED;
          this.skipped++;
          this.pending--;
        }
      }
      this.events.push({ t, kind: 'free-page-bitmap', freePages: this.skipped, walkMs: 1 });
    }
    if (t === FAKE_SETUP_MS) {
      this.phase = 'bulk';
      this.events.push({ t, kind: 'phase', phase: 'bulk' });
      this.events.push({ t, kind: 'sync', count: 1, newDirty: 0, remaining: this.pageCount - this.skipped });
    }
    if (t > FAKE_SETUP_MS) {
      for (let n = 0; n < FAKE_PAGES_PER_MS && this.cursor < this.pageCount; this.cursor++) {
        if (this.mig[this.cursor] === MIG_PENDING) {
          this.mig[this.cursor] = MIG_SENT;
          this.pending--;
          this.transferred += 4104;
          n++;
        }
      }
      if (this.cursor >= this.pageCount) {
        this.phase = 'completed';
        this.done = true;
        this.events.push({ t, kind: 'phase', phase: 'completed' });
      }
    }
    this.clockMs = t;
    const s = this.series;
    if (s.length < s.t.length) {
      s.t[s.length] = t;
      s.transferred[s.length] = this.transferred;
      s.remaining[s.length] = this.remainingPages() * 4096;
      s.length++;
    }
  }

  private remainingPages(): number {
    return this.pending;
  }

  stats(): QueryMigrate {
    const status = this.done ? 'completed' : 'active';
    return {
      status,
      'total-time': this.clockMs,
      'setup-time': FAKE_SETUP_MS,
      downtime: this.done ? 1 : 0,
      'expected-downtime': 0,
      ram: {
        transferred: this.transferred,
        remaining: 0,
        total: this.pageCount * 4096,
        duplicate: 0,
        normal: this.transferred / 4104,
        'normal-bytes': (this.transferred / 4104) * 4096,
        'dirty-pages-rate': 0,
        mbps: 0,
        'dirty-sync-count': 1,
        'page-size': 4096,
        'pages-per-second': 0,
      },
      migviz: {
        mode: this.scenario.mode,
        scenario: this.scenario.id,
        seed: this.scenario.seed,
        'skipped-pages': this.skipped,
        'skipped-unmapped-pages': 0,
        'hinted-pages': 0,
        'hint-rounds': 0,
        'reported-pages': 0,
        'report-passes': 0,
        'skipped-free-pages': this.skipped,
        rounds: 1,
        'virtqueue-buffers': this.vqBuffers,
        'virtqueue-bytes': this.vqBuffers * 4096,
        kicks: this.kicks,
        interrupts: this.interrupts,
        'free-page-walk-ms': this.scenario.mode === 'pv' ? 1 : 0,
        'failure-reason': '',
        outcome: this.done ? 'completed' : '',
        'max-cpu-throttle-percentage': 0,
        'working-set-pages': 0,
      },
      verification: { ok: this.done, 'pages-checked': this.done ? this.pageCount : 0, mismatches: 0, 'first-mismatch': -1 },
    };
  }

  virtqueue(): VirtqueueSnapshot {
    return {
      name: 'free-page',
      size: this.vqDesc.length,
      numFree: this.vqDesc.filter((d) => d === 0).length,
      descState: this.vqDesc.slice(),
      availIdx: this.vqBuffers,
      usedIdx: this.vqBuffers,
      lastAvailIdx: this.vqBuffers,
      lastUsedIdx: this.vqBuffers,
      buffers: this.vqBuffers,
      bytes: this.vqBuffers * 4096,
      kicks: this.kicks,
      interrupts: this.interrupts,
    };
  }

  renderPageMap(out: Uint8Array, bucketShift: number, firstPfn = 0, pages = this.pageCount - firstPfn): void {
    const cells = Math.ceil(Math.min(pages, this.pageCount - firstPfn) / 2 ** bucketShift);
    for (let c = 0; c < out.length; c++) {
      if (c >= cells) {
        out[c] = CELL_OUTSIDE;
        continue;
      }
      const p = firstPfn + (c << bucketShift); // first page stands for the bucket (good enough for a fake)
      out[c] = pageCode(this.mig[p], this.guest(p));
    }
  }

  pageInfo(pfn: number): PageInfo {
    const m = this.mig[pfn];
    return {
      pfn,
      guest: this.guest(pfn) === GUEST_USED ? 'used' : 'free-stale',
      migration: m === MIG_SENT ? 'sent' : m === MIG_SKIPPED ? 'skipped' : 'pending',
      received: m === MIG_SENT,
      changedSinceSent: m !== MIG_SENT,
      freeBlockOrder: this.guest(pfn) === GUEST_USED ? -1 : 0,
    };
  }

  cellSummary(firstPfn: number, pages: number): CellSummary {
    const end = Math.min(this.pageCount, firstPfn + Math.max(1, Math.floor(pages)));
    const byCode = new Array<number>(16).fill(0);
    for (let p = firstPfn; p < end; p++) byCode[pageCode(this.mig[p], this.guest(p))]++;
    return { firstPfn, pages: end - firstPfn, byCode };
  }
}

export function fakeScenario(over: Partial<Scenario> = {}): Scenario {
  return {
    id: 'rfc-case-2',
    mode: 'original',
    guestGiB: 1 / 64, // 4096 pages
    workload: 'after-hog',
    linkGbps: 10,
    maxBandwidthMiBs: 10000,
    downtimeMs: 300,
    profile: 'rfc-2016',
    seed: 1,
    settleMs: 0,
    ...STRESS_DEFAULTS,
    hogPercent: 97,
    ...AUTO_CONVERGE_DEFAULTS,
    ...over,
  };
}
