/**
 * Command-line flags shared by the CLIs. Hand-written rather than node:util.parseArgs because a
 * numeric flag must accept a negative value as its value (`--guest-gib -4` is a bad size, not an
 * unknown flag `-4`) so that the error can name the flag and its accepted range.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import {
  DEFAULT_PRESET,
  hasOwn,
  LIMITS,
  MAX_SCENARIO_FILE_BYTES,
  ownValue,
  parseDecimal,
  MODE_IDS,
  PRESET_IDS,
  PROFILES,
  parseScenarioFile,
  resolveScenario,
  STRESS_PATTERNS,
  scenarioFileTooLarge,
  WORKLOAD_IDS,
  type Scenario,
} from '../engine/index';

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface FlagSpec {
  kind: 'number' | 'integer' | 'choice' | 'switch' | 'path' | 'text';
  choices?: readonly string[];
  min?: number;
  max?: number;
  /** Scenario field the flag overrides. */
  field?: keyof Scenario;
  /** kind text: what the value is, for the message when it is missing. */
  text?: string;
}

export const SCENARIO_FLAGS: Record<string, FlagSpec> = {
  '--scenario': { kind: 'choice', choices: PRESET_IDS },
  '--scenario-file': { kind: 'path' },
  '--mode': { kind: 'choice', choices: MODE_IDS, field: 'mode' },
  '--guest-gib': { kind: 'number', ...LIMITS.guestGiB, field: 'guestGiB' },
  '--workload': { kind: 'choice', choices: WORKLOAD_IDS, field: 'workload' },
  '--link-gbps': { kind: 'number', ...LIMITS.linkGbps, field: 'linkGbps' },
  '--max-bandwidth-mibs': { kind: 'number', ...LIMITS.maxBandwidthMiBs, field: 'maxBandwidthMiBs' },
  '--downtime-ms': { kind: 'number', ...LIMITS.downtimeMs, field: 'downtimeMs' },
  '--profile': { kind: 'choice', choices: Object.keys(PROFILES), field: 'profile' },
  '--seed': { kind: 'integer', ...LIMITS.seed, field: 'seed' },
  '--settle-ms': { kind: 'number', ...LIMITS.settleMs, field: 'settleMs' },
  '--working-set-gib': { kind: 'number', ...LIMITS.workingSetGiB, field: 'workingSetGiB' },
  '--dirty-mibs': { kind: 'number', ...LIMITS.dirtyMiBs, field: 'dirtyMiBs' },
  '--pattern': { kind: 'choice', choices: STRESS_PATTERNS, field: 'pattern' },
  '--hog-percent': { kind: 'number', ...LIMITS.hogPercent, field: 'hogPercent' },
  '--auto-converge': { kind: 'switch', field: 'autoConverge' },
  '--cpu-throttle-initial': { kind: 'integer', ...LIMITS.cpuThrottle, field: 'cpuThrottleInitial' },
  '--cpu-throttle-increment': { kind: 'integer', ...LIMITS.cpuThrottle, field: 'cpuThrottleIncrement' },
  '--max-cpu-throttle': { kind: 'integer', ...LIMITS.cpuThrottle, field: 'maxCpuThrottle' },
  '--json': { kind: 'switch' },
};

export type ParsedFlags = Record<string, string | number | boolean>;

/** Parses argv against the spec; throws UsageError with one line naming the flag and what it accepts. */
export function parseFlags(argv: readonly string[], spec: Record<string, FlagSpec>): ParsedFlags {
  const out: ParsedFlags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const s = ownValue(spec, name);
    if (!s) {
      throw new UsageError(
        arg.startsWith('-') ? `unknown flag ${name}; accepted: ${Object.keys(spec).join(' ')}` : `unexpected argument "${arg}"`,
      );
    }
    if (hasOwn(out, name)) throw new UsageError(`${name} given twice`);
    if (s.kind === 'switch') {
      if (eq > 0) throw new UsageError(`${name} takes no value`);
      out[name] = true;
      continue;
    }
    const raw = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (raw === undefined || raw === '') throw new UsageError(`${name} needs a value: ${describe(s)}`);
    if (s.kind === 'path' || s.kind === 'text') {
      out[name] = raw;
      continue;
    }
    if (s.kind === 'choice') {
      if (!s.choices?.includes(raw)) throw new UsageError(`${name} "${raw}" is not accepted: ${describe(s)}`);
      out[name] = raw;
      continue;
    }
    const v = parseDecimal(raw);
    if (v === null) throw new UsageError(`${name} "${raw}" is not a decimal number: ${describe(s)}`);
    if (s.kind === 'integer' && !Number.isInteger(v)) throw new UsageError(`${name} ${raw} is not an integer: ${describe(s)}`);
    if ((s.min !== undefined && v < s.min) || (s.max !== undefined && v > s.max)) {
      throw new UsageError(`${name} ${raw} is out of range: ${describe(s)}`);
    }
    out[name] = v;
  }
  return out;
}

function describe(s: FlagSpec): string {
  switch (s.kind) {
    case 'choice':
      return `one of ${s.choices?.join(', ')}`;
    case 'integer':
      return `an integer from ${s.min} to ${s.max}`;
    case 'number':
      return `a number from ${s.min} to ${s.max}`;
    case 'switch':
      return 'no value';
    case 'path':
      return 'a file path';
    case 'text':
      return s.text ?? 'a value';
  }
}

/** Scenario overrides from the parsed flags (only the flags given). */
export function scenarioOverrides(flags: ParsedFlags): Partial<Scenario> {
  const o: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(SCENARIO_FLAGS)) {
    if (spec.field && hasOwn(flags, name)) o[spec.field] = flags[name];
  }
  return o as Partial<Scenario>;
}

/**
 * The scenario the flags describe: a preset (--scenario, else the file's, else the default),
 * then the scenario file's fields, then every other flag given, validated as a whole.
 */
export function scenarioFromFlags(flags: ParsedFlags): Scenario {
  let presetId = DEFAULT_PRESET as string;
  let fromFile: Partial<Scenario> = {};
  const file = flags['--scenario-file'];
  if (typeof file === 'string') {
    ({ presetId, overrides: fromFile } = parseScenarioFile(readScenarioFile(file), file));
  }
  if (typeof flags['--scenario'] === 'string') presetId = flags['--scenario'];
  return resolveScenario(presetId, { ...fromFile, ...scenarioOverrides(flags) });
}

/**
 * The text of a scenario file: a regular file of at most MAX_SCENARIO_FILE_BYTES. Checked with
 * stat before opening, so /dev/zero, a FIFO (whose open would block) or a directory is refused at
 * once; read with a bound, so a file that grows after the stat cannot fill memory either.
 */
export function readScenarioFile(file: string): string {
  const cannot = (e: unknown) =>
    new UsageError(`--scenario-file ${file} cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new UsageError(`--scenario-file ${file} is not a regular file`);
    size = st.size;
  } catch (e) {
    throw e instanceof UsageError ? e : cannot(e);
  }
  if (size > MAX_SCENARIO_FILE_BYTES) throw new UsageError(`--scenario-file ${scenarioFileTooLarge(file)}`);
  const buf = Buffer.alloc(MAX_SCENARIO_FILE_BYTES + 1);
  let length = 0;
  try {
    const fd = openSync(file, 'r');
    try {
      let n: number;
      do {
        n = readSync(fd, buf, length, buf.length - length, null);
        length += n;
      } while (n > 0 && length < buf.length);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw cannot(e);
  }
  if (length > MAX_SCENARIO_FILE_BYTES) throw new UsageError(`--scenario-file ${scenarioFileTooLarge(file)}`);
  return buf.toString('utf8', 0, length);
}

/**
 * What a CLI does when its output cannot be written. EPIPE means the reader left (`| head -c 1`):
 * nothing is wrong, exit quietly. Anything else (ENOSPC on `> /dev/full`, EIO) is one line on
 * stderr and status 1, not Node's stack trace of an unhandled 'error' event.
 */
function outputFailed(e: NodeJS.ErrnoException): never {
  if (e.code === 'EPIPE') process.exit(0);
  try {
    process.stderr.write(`error: cannot write the output: ${e.code ?? e.message}\n`);
  } catch {
    // stderr is gone too: the exit status is all that is left to say it.
  }
  process.exit(1);
}

function isOutputError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && (e as NodeJS.ErrnoException).syscall === 'write';
}

/**
 * Runs a CLI body: usage and scenario errors print one line and exit 2, no stack trace; output
 * errors are handled by outputFailed, whether the write threw or its stream emitted 'error'.
 */
export function runCli(body: () => void): void {
  process.stdout.on('error', outputFailed);
  const handle = (e: unknown) => {
    if (e instanceof UsageError || (e instanceof Error && e.name === 'ScenarioError')) {
      process.stderr.write(`error: ${e.message}\n`);
      process.exit(2);
    }
    if (isOutputError(e)) outputFailed(e);
    throw e;
  };
  try {
    body();
  } catch (e) {
    handle(e);
  }
}
