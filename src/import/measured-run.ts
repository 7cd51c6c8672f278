/**
 * A migration measured on real hosts, read from a file (a guestperf report or a log of
 * query-migrate replies), in one shape the page can draw beside the simulation. Pure: no DOM, no
 * engine state; the parsers live beside this file (guestperf.ts, query-migrate-log.ts) and
 * `readImportFile` (detect.ts) says which one a file is for.
 */
import type { Scenario } from '../engine/types';

/** The formats a measured run can come from. */
export type MeasuredFormat = 'guestperf' | 'query-migrate-log';
export const MEASURED_FORMATS: readonly MeasuredFormat[] = ['guestperf', 'query-migrate-log'];

export const FORMAT_LABEL: Readonly<Record<MeasuredFormat, string>> = {
  guestperf: 'guestperf report',
  'query-migrate-log': 'query-migrate log',
};

/** One sample of the measured run, at `tMs` after the migration started (QEMU's total-time clock). */
export interface MeasuredSample {
  tMs: number;
  /** ram.transferred, bytes. */
  transferredBytes: number;
  /** ram.remaining, bytes. */
  remainingBytes: number;
  /** ram.mbps as QEMU measured it (megabits per second), or null when the file has none. */
  mbps: number | null;
}

/**
 * Scenario fields the file states, each with where it came from (a field path in the file and
 * any arithmetic), so the page can say so.
 */
export type MeasuredSettings = {
  -readonly [K in keyof Scenario]?: { value: Scenario[K]; from: string };
};

export interface MeasuredRun {
  format: MeasuredFormat;
  /** The file's name, as the user gave it. */
  source: string;
  /** In time order, at least one. */
  samples: readonly MeasuredSample[];
  /** The run's last status (QEMU's MigrationStatus: completed, failed, cancelled, active, ...). */
  status: string;
  /** Only for a completed run: QEMU's total-time, downtime and ram.transferred at the end. */
  totalTimeMs: number | null;
  downtimeMs: number | null;
  transferredBytes: number | null;
  setupTimeMs: number | null;
  /** What the file says about the scenario (guest size, bandwidth, downtime limit, ...). */
  settings: MeasuredSettings;
  /**
   * What the file says that migviz cannot simulate or that makes the comparison not like for like
   * (post-copy, compression, multifd, ...), as sentences.
   */
  caveats: readonly string[];
}

/**
 * The example files in public/examples/, one per format, made by migviz's own simulation
 * (src/cli/example-files.ts), not measurements; the page's Examples… opens them.
 */
export const EXAMPLE_FILE_NAMES: Readonly<Record<MeasuredFormat, string>> = {
  guestperf: 'guestperf-example.json',
  'query-migrate-log': 'query-migrate-example.jsonl',
};

/** A file that cannot be imported: the message names the file, the line or field, and what is wrong. */
export class ImportError extends Error {
  override name = 'ImportError';
}

/**
 * Largest file Open… and a drop read. A guestperf report of guestperf's longest default run
 * (max_time 300 s, one progress record per iteration, a CPU time record per second and vCPU) is
 * well under 1 MiB; a query-migrate log polled every 50 ms for that long (6,000 replies of about
 * 600 bytes, as `virsh qemu-monitor-command` prints them) is about 3.6 MB. 16 MiB leaves room for
 * longer runs while refusing a disk image before it is read into memory.
 */
export const MAX_IMPORT_BYTES = 16 << 20;

export function importFileTooLarge(source: string, bytes: number): string {
  return `${source} is ${(bytes / 2 ** 20).toFixed(1)} MiB, larger than the 16 MiB Open… reads`;
}

// ---- field readers shared by the parsers: each error names the field's path -----------------

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `o[key]` when `o` itself has it (never an inherited member such as `toString`). */
export function own(o: Json, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

export function objectAt(o: Json, key: string, where: string): Json {
  const v = own(o, key);
  if (!isObject(v)) throw new ImportError(`${where}: field "${key}" ${v === undefined ? 'is missing' : 'must be an object'}`);
  return v;
}

/** A finite number >= 0 (every quantity the parsers read is a size, a time or a rate). */
export function numberAt(o: Json, key: string, where: string): number {
  const v = own(o, key);
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new ImportError(`${where}: field "${key}" ${v === undefined ? 'is missing' : `must be a number >= 0, not ${short(v)}`}`);
  }
  return v;
}

export function optionalNumberAt(o: Json, key: string, where: string): number | null {
  return own(o, key) === undefined ? null : numberAt(o, key, where);
}

export function stringAt(o: Json, key: string, where: string): string {
  const v = own(o, key);
  if (typeof v !== 'string') throw new ImportError(`${where}: field "${key}" ${v === undefined ? 'is missing' : `must be a string, not ${short(v)}`}`);
  return v;
}

export function optionalBooleanAt(o: Json, key: string, where: string): boolean {
  const v = own(o, key);
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new ImportError(`${where}: field "${key}" must be true or false, not ${short(v)}`);
  return v;
}

/** A value as a short quote for a message (at most 40 characters). */
export function short(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** Samples must not go back in time: a log pasted out of order would draw a zigzag. */
export function checkTimeOrder(samples: readonly MeasuredSample[], where: (i: number) => string): void {
  for (let i = 1; i < samples.length; i++) {
    if (samples[i].tMs < samples[i - 1].tMs) {
      throw new ImportError(`${where(i)}: time ${samples[i].tMs} ms is before the previous sample's ${samples[i - 1].tMs} ms`);
    }
  }
}
