/**
 * Command-line flags shared by the CLIs. Hand-written rather than node:util.parseArgs because a
 * numeric flag must accept a negative value as its value (`--guest-gib -4` is a bad size, not an
 * unknown flag `-4`) so that the error can name the flag and its accepted range.
 */
import { readFileSync } from 'node:fs';
import {
  DEFAULT_PRESET,
  LIMITS,
  MODE_IDS,
  PRESET_IDS,
  PROFILES,
  parseScenarioFile,
  resolveScenario,
  STRESS_PATTERNS,
  WORKLOAD_IDS,
  type Scenario,
} from '../engine/index';

export class UsageError extends Error {
  override name = 'UsageError';
}

interface FlagSpec {
  kind: 'number' | 'integer' | 'choice' | 'switch' | 'path';
  choices?: readonly string[];
  min?: number;
  max?: number;
  /** Scenario field the flag overrides. */
  field?: keyof Scenario;
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
    const s = spec[name];
    if (!s) {
      throw new UsageError(
        arg.startsWith('-') ? `unknown flag ${name}; accepted: ${Object.keys(spec).join(' ')}` : `unexpected argument "${arg}"`,
      );
    }
    if (name in out) throw new UsageError(`${name} given twice`);
    if (s.kind === 'switch') {
      if (eq > 0) throw new UsageError(`${name} takes no value`);
      out[name] = true;
      continue;
    }
    const raw = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (raw === undefined || raw === '') throw new UsageError(`${name} needs a value: ${describe(s)}`);
    if (s.kind === 'path') {
      out[name] = raw;
      continue;
    }
    if (s.kind === 'choice') {
      if (!s.choices?.includes(raw)) throw new UsageError(`${name} "${raw}" is not accepted: ${describe(s)}`);
      out[name] = raw;
      continue;
    }
    const v = Number(raw.trim());
    if (raw.trim() === '' || !Number.isFinite(v)) throw new UsageError(`${name} "${raw}" is not a number: ${describe(s)}`);
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
  }
}

/** Scenario overrides from the parsed flags (only the flags given). */
export function scenarioOverrides(flags: ParsedFlags): Partial<Scenario> {
  const o: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(SCENARIO_FLAGS)) {
    if (spec.field && name in flags) o[spec.field] = flags[name];
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
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`--scenario-file ${file} cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    ({ presetId, overrides: fromFile } = parseScenarioFile(text, file));
  }
  if (typeof flags['--scenario'] === 'string') presetId = flags['--scenario'];
  return resolveScenario(presetId, { ...fromFile, ...scenarioOverrides(flags) });
}

/** Runs a CLI body: usage and scenario errors print one line and exit 2, no stack trace. */
export function runCli(body: () => void): void {
  try {
    body();
  } catch (e) {
    if (e instanceof UsageError || (e instanceof Error && e.name === 'ScenarioError')) {
      process.stderr.write(`error: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
}
