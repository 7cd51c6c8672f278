/**
 * npm run -s fuzz -- --count N [--seed S] [--jobs J]
 *
 * Runs N random valid scenarios (every mode, every workload, guests of 0.0625 to 2 GiB, every
 * other field over its full range) through the engine in J worker threads and checks each one
 * (fuzz-core.ts): no exception, verification ok when completed, pages checked = pages in use,
 * a failed run says why, a same-seed rerun stepped in random slices gives the same stats. A
 * scenario that takes longer than PER_CASE_TIMEOUT_MS is a hang: its worker is terminated (the
 * only way to stop synchronous code) and a new one takes over. Prints counts by outcome, the
 * throughput, and each problem as a ready-to-run sim command. Exit status 1 if any problem.
 */
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { checkCase, type CaseResult, isProblem, makeCase, type Outcome, OUTCOMES, simCommand } from './fuzz-core';
import { parseFlags, runCli } from './args';

/**
 * Wall time one scenario may take before it counts as a hang. The slowest valid scenario in the
 * fuzzer's range measured on the 2-core development machine (a 2 GiB running guest on a
 * 0.1 Gbit/s link, run to the 600 s cap) took about 1 s per run, and a case runs it two or three
 * times; 60 s leaves room for a machine busy with other work without letting a hang go unseen.
 */
export const PER_CASE_TIMEOUT_MS = 60_000;
/** How often the main thread looks for hung workers and prints progress. */
const WATCH_MS = 1000;
const PROGRESS_MS = 10_000;
/** Problems printed in full (all are counted). */
const MAX_PRINTED = 20;

interface WorkerInput {
  seed: number;
  /** Case indices first, first + stride, ... below count. */
  first: number;
  stride: number;
  count: number;
}

/**
 * The worker's entry: registers tsx's loader, then loads this file. Node 20 runs a worker's
 * `--import tsx` (execArgv) too late for the worker's own .ts entry ("Unknown file extension"),
 * so the worker is a small JavaScript program that registers the loader itself.
 */
const TS_WORKER = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((api) => { api.register(); return import(${JSON.stringify(import.meta.url)}); })`;

type WorkerMessage = { type: 'start'; index: number } | { type: 'result'; result: CaseResult };

if (isMainThread) {
  runCli(() => {
    const flags = parseFlags(process.argv.slice(2), {
      '--count': { kind: 'integer', min: 1, max: 10_000_000 },
      '--seed': { kind: 'integer', min: 0, max: 2 ** 32 - 1 },
      '--jobs': { kind: 'integer', min: 1, max: 64 },
    });
    const count = typeof flags['--count'] === 'number' ? flags['--count'] : 1000;
    const seed = typeof flags['--seed'] === 'number' ? flags['--seed'] : 1;
    const jobs = Math.min(count, typeof flags['--jobs'] === 'number' ? flags['--jobs'] : Math.min(2, availableParallelism()));
    fuzz(count, seed, jobs);
  });
} else {
  const input = workerData as WorkerInput;
  const port = parentPort;
  if (!port) throw new Error('fuzz worker without a parent port');
  for (let i = input.first; i < input.count; i += input.stride) {
    port.postMessage({ type: 'start', index: i } satisfies WorkerMessage);
    port.postMessage({ type: 'result', result: checkCase(makeCase(input.seed, i)) } satisfies WorkerMessage);
  }
}

function fuzz(count: number, seed: number, jobs: number): void {
  const started = performance.now();
  const counts = new Map<Outcome, number>(OUTCOMES.map((o) => [o, 0]));
  const problems: CaseResult[] = [];
  let finished = 0;
  let lastProgress = started;
  const running = new Set<{ worker: Worker; index: number; since: number; started: boolean }>();

  const record = (r: CaseResult) => {
    counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
    if (isProblem(r.outcome)) problems.push(r);
    finished++;
  };

  const start = (first: number) => {
    if (first >= count) return;
    const worker = new Worker(TS_WORKER, { eval: true, workerData: { seed, first, stride: jobs, count } satisfies WorkerInput });
    const slot = { worker, index: first, since: performance.now(), started: false };
    running.add(slot);
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'start') {
        slot.started = true;
        slot.index = m.index;
        slot.since = performance.now();
      } else record(m.result);
    });
    worker.on('error', (e) => {
      // A worker that never started a case cannot run any: stop, with its reason, not once per case.
      if (!slot.started) {
        process.stderr.write(`error: a fuzz worker could not start: ${e.message}\n`);
        process.exit(2);
      }
      // An exception outside checkCase (which catches its own): count the case, go on after it.
      record({ index: slot.index, outcome: 'threw', detail: `worker: ${e.message}` });
      running.delete(slot);
      start(slot.index + jobs);
    });
    worker.on('exit', () => {
      running.delete(slot);
      if (running.size === 0 && finished >= count) done();
    });
  };

  const watch = setInterval(() => {
    const now = performance.now();
    for (const slot of running) {
      if (now - slot.since <= PER_CASE_TIMEOUT_MS) continue;
      record({ index: slot.index, outcome: 'timeout', detail: `no result after ${PER_CASE_TIMEOUT_MS / 1000} s` });
      running.delete(slot);
      void slot.worker.terminate();
      start(slot.index + jobs);
    }
    if (now - lastProgress >= PROGRESS_MS) {
      lastProgress = now;
      const rate = finished / ((now - started) / 1000);
      process.stderr.write(`fuzz: ${finished}/${count} scenarios, ${rate.toFixed(0)}/s, ${problems.length} problems\n`);
    }
    if (running.size === 0) done();
  }, WATCH_MS);

  let reported = false;
  const done = () => {
    if (reported) return;
    reported = true;
    clearInterval(watch);
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(summary(count, seed, jobs, seconds, counts, problems));
    process.exitCode = problems.length > 0 || finished < count ? 1 : 0;
  };

  for (let j = 0; j < jobs; j++) start(j);
}

function summary(
  count: number,
  seed: number,
  jobs: number,
  seconds: number,
  counts: Map<Outcome, number>,
  problems: CaseResult[],
): string {
  const n = (o: Outcome) => counts.get(o) ?? 0;
  const lines = [
    `fuzz: ${count.toLocaleString('en-US')} scenarios, seed ${seed}, ${jobs} jobs, ${seconds.toFixed(1)} s ` +
      `(${(count / seconds).toFixed(1)} scenarios/s)`,
    `outcomes: ${OUTCOMES.filter((o) => n(o) > 0 || !isProblem(o))
      .map((o) => `${o} ${n(o).toLocaleString('en-US')}`)
      .join(', ')}`,
    problems.length === 0
      ? 'problems: none (completed = verified, pages checked = pages in use; failed = did not converge, with a reason; reruns and slices agree)'
      : `problems: ${problems.length}`,
  ];
  problems.sort((a, b) => a.index - b.index);
  for (const p of problems.slice(0, MAX_PRINTED)) {
    lines.push(`  #${p.index} ${p.outcome}: ${p.detail}`);
    let c: ReturnType<typeof makeCase>;
    try {
      c = makeCase(seed, p.index);
    } catch (e) {
      // The problem may be that the case itself cannot be built: say so, and go on.
      lines.push(`    (the case cannot be built: ${e instanceof Error ? e.message : String(e)})`);
      continue;
    }
    lines.push(`    ${simCommand(c.scenario)}`);
    if (p.outcome === 'slicing') {
      lines.push(`    sliced as step() every ${c.sliceFractions.map((f) => `${f} x total-time`).join(', ')} (cycled)`);
    }
  }
  if (problems.length > MAX_PRINTED) lines.push(`  ... and ${problems.length - MAX_PRINTED} more`);
  return `${lines.join('\n')}\n`;
}
