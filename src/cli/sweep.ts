/**
 * npm run -s sweep -- --param guest-gib --values 1,2,4,8,16,32,64,128 --modes original,pv,hint
 *                     --scenario rfc-case-1 [--seeds N] [--jobs N] [--csv|--json] [any sim flag]
 *
 * Runs a sweep in worker threads (one run per value × mode × seed) and prints every run: a
 * readable table, or --json (one array; each element that run's query-migrate exactly as
 * `sim --json` prints it, plus `params`: the run's values under their flag names), or --csv (the
 * same columns flattened). `--param` is any numeric `sim` flag without its dashes (src/sweep/params.ts);
 * `--values` a list or from:to:steps[:log]. Progress goes to stderr. Bad input: one line, exit 2.
 * A run that fails or does not converge is a result (its status says so); a run left without a
 * result (its worker crashed twice) makes the exit status 1.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { isModeId, MODE_IDS, type ModeId, type QueryMigrate } from '../engine/index';
import {
  failureOf,
  inertReason,
  MAX_SEEDS,
  PortSweepWorker,
  parseValues,
  planSweep,
  type RunOutcome,
  SWEEP_PARAM_IDS,
  SweepError,
  type SweepParamId,
  SweepPool,
  type SweepRun,
  type SweepWorker,
} from '../sweep/index';
import { type FlagSpec, parseFlags, runCli, SCENARIO_FLAGS, scenarioFromFlags, UsageError } from './args';

/** Worker threads beyond what a guest-size sweep can use: 64 is more cores than any CI runner has. */
const MAX_JOBS = 64;

const { '--mode': _mode, '--json': _json, ...BASE_FLAGS } = SCENARIO_FLAGS;
export const SWEEP_FLAGS: Record<string, FlagSpec> = {
  '--param': { kind: 'choice', choices: SWEEP_PARAM_IDS },
  '--values': { kind: 'text', text: 'a list (1,2,4) or from:to:steps[:log]' },
  '--modes': { kind: 'text', text: `a comma list of ${MODE_IDS.join(', ')}` },
  '--seeds': { kind: 'integer', min: 1, max: MAX_SEEDS },
  '--jobs': { kind: 'integer', min: 1, max: MAX_JOBS },
  '--csv': { kind: 'switch' },
  '--json': { kind: 'switch' },
  ...BASE_FLAGS,
};

function describeNeed(flag: string): string {
  if (flag === '--param') return `one of ${SWEEP_PARAM_IDS.join(', ')}`;
  return SWEEP_FLAGS[flag].text ?? '';
}

function sweepErrors<T>(flag: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SweepError) throw new UsageError(flag === '--values' ? `--values: ${e.message}` : e.message);
    throw e;
  }
}

function parseModes(text: string): ModeId[] {
  const modes = text.split(',').map((m) => m.trim());
  for (const m of modes) {
    if (!isModeId(m)) throw new UsageError(`--modes "${m}" is not accepted: one of ${MODE_IDS.join(', ')}`);
  }
  if (new Set(modes).size !== modes.length) throw new UsageError(`--modes "${text}" names a mode twice`);
  return modes as ModeId[];
}

/**
 * A worker thread that runs TypeScript. On Node 20 the tsx loader of the main thread does not
 * carry over into worker threads, and `execArgv: ['--import', 'tsx']` does not help either (the
 * worker's .ts entry is resolved before the loader's hooks are in: "Unknown file extension .ts",
 * tried on 20.20). So each thread starts from a two-line bootstrap that registers tsx's ESM
 * loader through its API, then imports sweep-worker.ts.
 */
const TSX_API = import.meta.resolve('tsx/esm/api');
const WORKER_URL = new URL('./sweep-worker.ts', import.meta.url).href;
const BOOTSTRAP = `import(${JSON.stringify(TSX_API)}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL)}); });`;

function threadWorker(): SweepWorker {
  const w = new Worker(BOOTSTRAP, { eval: true });
  const port = new PortSweepWorker(
    (m) => w.postMessage(m),
    () => void w.terminate(),
  );
  w.on('message', (m: unknown) => port.receive(m));
  w.on('error', (e) => port.crash(e.message));
  w.on('exit', (code) => port.crash(`its thread exited with status ${code}`));
  return port;
}

async function sweep(runs: readonly SweepRun[], jobs: number, param: SweepParamId): Promise<Map<number, RunOutcome>> {
  const started = performance.now();
  const results = new Map<number, RunOutcome>();
  const pool = new SweepPool(threadWorker, jobs);
  const tty = process.stderr.isTTY;
  const handle = pool.start(runs, (run, o) => {
    results.set(run.index, o);
    if (tty) process.stderr.write(`\rsweep: ${results.size}/${runs.length} runs (${param} ${run.x}, ${run.mode} done)  `);
  });
  await handle.done;
  pool.dispose();
  const s = ((performance.now() - started) / 1000).toFixed(1);
  process.stderr.write(`${tty ? '\r' : ''}sweep: ${runs.length} runs in ${s} s on ${jobs} worker thread${jobs === 1 ? '' : 's'}\n`);
  return results;
}

type Row = Record<string, unknown>;

/** The JSON element of a run: its query-migrate as `sim --json` prints it, plus params. */
function elementOf(run: SweepRun, o: RunOutcome | undefined, param: SweepParamId): Row {
  const params = { [param]: run.x, mode: run.mode, seed: run.seed };
  if (o?.ok) return { ...o.q, params };
  return { params, error: o ? o.reason : 'no result' };
}

function render(format: 'json' | 'csv' | 'table', runs: readonly SweepRun[], results: Map<number, RunOutcome>, param: SweepParamId): string {
  const rows = runs.map((r) => elementOf(r, results.get(r.index), param));
  switch (format) {
    case 'json':
      return `${JSON.stringify(rows)}\n`;
    case 'csv':
      return csvOf(rows);
    case 'table':
      return tableOf(runs, results, param);
  }
}

/** Flattens nested objects to dotted column names (`ram.transferred`, `params.guest-gib`). */
function flatten(o: Row, prefix = '', out: Row = {}): Row {
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'object' && v !== null) flatten(v as Row, `${prefix}${k}.`, out);
    else out[`${prefix}${k}`] = v;
  }
  return out;
}

/** CSV (RFC 4180): params first, then every column any run has, in the order they first appear. */
export function csvOf(rows: readonly Row[]): string {
  const flat = rows.map((r) => {
    const { params, ...rest } = r;
    return flatten({ params, ...rest });
  });
  const columns: string[] = [];
  for (const f of flat) for (const k of Object.keys(f)) if (!columns.includes(k)) columns.push(k);
  const cell = (v: unknown) => {
    if (v === undefined) return '';
    const t = String(v);
    return /[",\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
  };
  return `${[columns.map(cell).join(','), ...flat.map((f) => columns.map((c) => cell(f[c])).join(','))].join('\n')}\n`;
}

function tableOf(runs: readonly SweepRun[], results: Map<number, RunOutcome>, param: SweepParamId): string {
  const head = [param, 'mode', 'seed', 'status', 'total ms', 'downtime ms', 'setup ms', 'transferred MiB', 'skipped pages', 'syncs'];
  const body = runs.map((r) => {
    const o = results.get(r.index);
    const q: QueryMigrate | null = o?.ok ? o.q : null;
    const failure = o ? failureOf(o) : 'no result';
    if (!q) return [String(r.x), r.mode, String(r.seed), failure ?? '', '', '', '', '', '', ''];
    return [
      String(r.x),
      r.mode,
      String(r.seed),
      failure ?? q.status,
      q['total-time'].toFixed(1),
      q.downtime.toFixed(1),
      q['setup-time'].toFixed(1),
      (q.ram.transferred / 2 ** 20).toFixed(1),
      String(q.migviz['skipped-pages']),
      String(q.ram['dirty-sync-count']),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 4 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return `${[line(head), ...body.map(line)].join('\n')}\n`;
}

// Last, so every constant above is initialised before the first worker starts.
runCli(() => {
  const flags = parseFlags(process.argv.slice(2), SWEEP_FLAGS);
  for (const need of ['--param', '--values', '--modes'] as const) {
    if (flags[need] === undefined) throw new UsageError(`${need} is required: ${need} ${describeNeed(need)}`);
  }
  if (flags['--csv'] && flags['--json']) throw new UsageError('--csv and --json: give one of them');
  const param = flags['--param'] as SweepParamId;
  const values = sweepErrors('--values', () => parseValues(String(flags['--values']), param));
  const modes = parseModes(String(flags['--modes']));
  const base = scenarioFromFlags(flags);
  const seeds = (flags['--seeds'] as number | undefined) ?? 1;
  const runs = sweepErrors('--seeds', () => planSweep({ param, values, modes, seeds }, base));
  const bad = runs.find((r) => r.problem !== null);
  if (bad) throw new UsageError(`--values: at ${param} ${bad.x}, ${bad.problem}`);
  const note = inertReason(param, base);
  if (note) process.stderr.write(`note: ${note}\n`);
  const jobs = Math.min((flags['--jobs'] as number | undefined) ?? availableParallelism(), runs.length);
  const format = flags['--json'] ? 'json' : flags['--csv'] ? 'csv' : 'table';
  void sweep(runs, jobs, param).then((results) => {
    process.stdout.write(render(format, runs, results, param));
    if (runs.some((r) => !results.get(r.index)?.ok)) process.exitCode = 1;
  });
});
