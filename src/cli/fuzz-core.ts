/**
 * The checks `npm run fuzz` runs on one random scenario, kept apart from the worker threads in
 * fuzz.ts so tests can call them. Everything goes through the engine's public API
 * (`new Simulation(scenario)`), as the CLI, the worker and the UI use it.
 */
import {
  GUEST_HELD,
  GUEST_USED,
  guestOf,
  LIMITS,
  MODE_IDS,
  PROFILES,
  type QueryMigrate,
  resolveScenario,
  type Scenario,
  SCENARIO_PRESETS,
  Simulation,
  type SimulationOptions,
  WORKLOAD_IDS,
} from '../engine/index';
import { Rng } from '../engine/rng';

/**
 * Guest sizes the fuzzer draws from: the engine's smallest, up to 2 GiB (bigger guests test the
 * same code with more pages and cost time, not coverage). Every other field spans its full LIMITS.
 */
export const FUZZ_GUEST_GIB = { min: LIMITS.guestGiB.min, max: 2 } as const;

/** What became of one scenario. The first two are normal; every other one is a bug. */
export type Outcome =
  | 'completed'
  | 'failed' // did not converge by the engine's cap: a valid result, with a reason
  | 'threw'
  | 'verification' // completed, but a page in use differs on the destination
  | 'pages-checked' // the verification did not check exactly the pages in use
  | 'no-reason' // failed without saying why
  | 'nondeterministic' // a same-seed rerun gave other stats
  | 'slicing' // stepping in slices gave other stats than one runToEnd
  | 'timeout'; // took longer than the per-scenario budget (fuzz.ts): a hang

export const OUTCOMES: readonly Outcome[] = [
  'completed',
  'failed',
  'threw',
  'verification',
  'pages-checked',
  'no-reason',
  'nondeterministic',
  'slicing',
  'timeout',
];

export const isProblem = (o: Outcome): boolean => o !== 'completed' && o !== 'failed';

export interface Case {
  index: number;
  scenario: Scenario;
  /**
   * Step sizes of the sliced run as fractions of the run's length (cycled): from 1/10,000 (many
   * steps inside one unit of work) to a half. Relative, so a 600 s capped run takes at most
   * 10,000 step() calls like a 50 ms one.
   */
  sliceFractions: number[];
}

export interface CaseResult {
  index: number;
  outcome: Outcome;
  /** What differed, for problems. */
  detail: string;
}

/** A value drawn log-uniformly from [min, max], rounded to 4 significant digits and clamped. */
function logUniform(rng: Rng, min: number, max: number): number {
  const v = Number((min * (max / min) ** rng.next()).toPrecision(4));
  return Math.min(max, Math.max(min, v));
}

/** The `index`-th scenario of the run seeded `seed` (any worker can make any case). */
export function makeCase(seed: number, index: number): Case {
  // Mixing the index in with the golden-ratio constant gives well-separated sfc32 seeds.
  const rng = new Rng((seed ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0);
  const L = LIMITS;
  const guestGiB = logUniform(rng, FUZZ_GUEST_GIB.min, FUZZ_GUEST_GIB.max);
  const profiles = Object.keys(PROFILES);
  const scenario = resolveScenario('rfc-case-1', {
    mode: MODE_IDS[rng.int(MODE_IDS.length)],
    workload: WORKLOAD_IDS[rng.int(WORKLOAD_IDS.length)],
    guestGiB,
    linkGbps: logUniform(rng, L.linkGbps.min, L.linkGbps.max),
    maxBandwidthMiBs: logUniform(rng, L.maxBandwidthMiBs.min, L.maxBandwidthMiBs.max),
    downtimeMs: logUniform(rng, L.downtimeMs.min, L.downtimeMs.max),
    seed: rng.int(2 ** 32),
    // The stress writer's knobs (its working set must fit the guest), auto-converge, the time
    // the guest settled before the migration, and the testbed.
    workingSetGiB: Math.max(LIMITS.workingSetGiB.min, guestGiB * (0.01 + 0.9 * rng.next())),
    dirtyMiBs: logUniform(rng, 1, 4096),
    pattern: rng.next() < 0.5 ? 'random' : 'sequential',
    autoConverge: rng.next() < 0.3,
    settleMs: rng.next() < 0.5 ? 0 : logUniform(rng, 1, 40_000),
    profile: profiles[rng.int(profiles.length)],
    // Drawn last, so every earlier draw (and every case number a report names) stays as it was.
    hogPercent: rng.next() < 0.5 ? SCENARIO_PRESETS['rfc-case-2'].hogPercent : L.hogPercent.max * rng.next(),
  });
  const sliceFractions = Array.from({ length: 1 + rng.int(6) }, () => logUniform(rng, 1e-4, 0.5));
  return { index, scenario, sliceFractions };
}

/**
 * Pages in use at the end, from the page map at one page per cell (guest state used or held):
 * a different code path from the verification's word-at-a-time walk of the free bitmap.
 */
function inUsePages(sim: Simulation): number {
  const cells = new Uint8Array(sim.pageCount);
  sim.renderPageMap(cells, 0);
  let n = 0;
  for (let i = 0; i < cells.length; i++) {
    const g = guestOf(cells[i]);
    if (g === GUEST_USED || g === GUEST_HELD) n++;
  }
  return n;
}

/** Runs one case through every check; `options` lets tests break the engine on purpose. */
export function checkCase(c: Case, options: SimulationOptions = {}): CaseResult {
  const result = (outcome: Outcome, detail = ''): CaseResult => ({ index: c.index, outcome, detail });
  try {
    const a = new Simulation(c.scenario, options);
    const q = a.runToEnd();
    // The sliced run is also the same-seed rerun; only if it differs is a third run needed to
    // tell nondeterminism (the rerun differs too) from a slicing bug (it does not).
    const b = new Simulation(c.scenario, options);
    const slices = slicesOf(c, q['total-time']);
    let t = 0;
    for (let i = 0; !b.done; i++) {
      t += slices[i % slices.length];
      b.step(t);
    }
    const qa = JSON.stringify(q);
    const qb = JSON.stringify(b.stats());
    if (qb !== qa) {
      const rerun = JSON.stringify(new Simulation(c.scenario, options).runToEnd());
      return rerun !== qa ? result('nondeterministic', firstDifference(qa, rerun)) : result('slicing', firstDifference(qa, qb));
    }
    if (q.status === 'failed') return q.migviz['failure-reason'] ? result('failed') : result('no-reason');
    if (q.status !== 'completed') return result('threw', `runToEnd ended with status ${q.status}`);
    if (!q.verification.ok) return result('verification', verificationDetail(q));
    const used = inUsePages(a);
    if (q.verification['pages-checked'] !== used) {
      return result('pages-checked', `checked ${q.verification['pages-checked']} pages, ${used} in use`);
    }
    return result('completed');
  } catch (e) {
    return result('threw', e instanceof Error ? e.message : String(e));
  }
}

/** The step sizes, simulated ms, of a case whose runToEnd lasted `totalMs`. */
export function slicesOf(c: Case, totalMs: number): number[] {
  return c.sliceFractions.map((f) => Math.max(0.001, f * totalMs));
}

function verificationDetail(q: QueryMigrate): string {
  const v = q.verification;
  return `${v.mismatches} of ${v['pages-checked']} pages differ, first pfn ${v['first-mismatch']}`;
}

/** Where two JSON texts first differ, with a little context. */
function firstDifference(x: string, y: string): string {
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  const from = Math.max(0, i - 40);
  return `stats differ at ${x.slice(from, i + 20)} vs ${y.slice(from, i + 20)}`;
}

/** The sim command that reproduces the scenario's runToEnd. */
export function simCommand(s: Scenario): string {
  // Every field the scenario has, so the command runs exactly this case (the testbed's defaults
  // are overridden by the explicit link, max-bandwidth and downtime).
  return [
    'npm run -s sim --',
    `--scenario ${s.id}`,
    `--profile ${s.profile}`,
    `--mode ${s.mode}`,
    `--workload ${s.workload}`,
    `--guest-gib ${s.guestGiB}`,
    `--working-set-gib ${s.workingSetGiB}`,
    `--dirty-mibs ${s.dirtyMiBs}`,
    `--pattern ${s.pattern}`,
    `--hog-percent ${s.hogPercent}`,
    `--link-gbps ${s.linkGbps}`,
    `--max-bandwidth-mibs ${s.maxBandwidthMiBs}`,
    `--downtime-ms ${s.downtimeMs}`,
    ...(s.autoConverge
      ? [
          '--auto-converge',
          `--cpu-throttle-initial ${s.cpuThrottleInitial}`,
          `--cpu-throttle-increment ${s.cpuThrottleIncrement}`,
          `--max-cpu-throttle ${s.maxCpuThrottle}`,
        ]
      : []),
    `--settle-ms ${s.settleMs}`,
    `--seed ${s.seed}`,
    '--json',
  ].join(' ');
}
