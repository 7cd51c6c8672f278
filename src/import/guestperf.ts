/**
 * QEMU guestperf reports: the JSON `guestperf.py --output` writes (Report.serialize in
 * tests/migration/guestperf/report.py, moved to tests/migration-stress/guestperf/ in later
 * QEMU). Read from QEMU's source:
 *
 * - report.py: {hardware, scenario, progress_history, guest_timings, qemu_timings, vcpu_timings,
 *   binary, dst_host, kernel, initrd, transport, sleep}.
 * - hardware.py: `mem` is the stress workload's RAM in GiB; engine.py starts QEMU with
 *   `-m (mem * 1024) + 512` MiB, so the guest has 512 MiB more than it stresses. `dirty_ring_size`
 *   was added later (optional here).
 * - scenario.py: `downtime` (ms, migrate-set-parameters downtime_limit), `bandwidth` (MiB/s,
 *   max_bandwidth = bandwidth * 1024 * 1024 bytes/s), auto_converge / auto_converge_step
 *   (cpu_throttle_increment), post_copy, pause, compression_mt, compression_xbzrle (2016);
 *   `multifd`, then the dirty_limit fields were added later (optional here).
 * - progress.py + engine.py `_migrate_progress`: each record is one query-migrate reply: status,
 *   ram {transferred_bytes, remaining_bytes, total_bytes, ..., transfer_rate_mbs (ram.mbps),
 *   iterations (ram.dirty-sync-count)}, now (host time.time(), s), duration (total-time, ms),
 *   downtime (ms), downtime_expected, setup_time (ms), throttle_pcent; the dirty_limit_* fields
 *   were added later. engine.py polls every 50 ms but keeps a record only when the iteration
 *   count rises, plus the final one: about one sample per dirty-bitmap sync.
 * - stress.c + engine.py `_get_timings`: the guest's stress threads each print
 *   "copied 1 GB in N ms" per GiB they write; guest_timings holds {tid, timestamp, value: N}.
 *   Every thread writes its share of `mem` GiB in order, page after page, one 8-byte XOR per
 *   word: a sequential writer of the whole of `mem`.
 */
import { LIMITS } from '../engine/scenario';
import {
  checkTimeOrder,
  ImportError,
  isObject,
  type Json,
  type MeasuredRun,
  type MeasuredSample,
  type MeasuredSettings,
  numberAt,
  objectAt,
  optionalBooleanAt,
  own,
  stringAt,
} from './measured-run';

/** engine.py `_get_common_args`: `-m (hardware._mem * 1024) + 512` (MiB). */
const GUESTPERF_EXTRA_MIB = 512;

/** True when `data` has the shape of a guestperf report (the keys only report.py writes). */
export function looksLikeGuestperf(data: unknown): data is Json {
  return isObject(data) && Object.hasOwn(data, 'progress_history') && Object.hasOwn(data, 'hardware');
}

export function parseGuestperf(data: Json, source: string): MeasuredRun {
  const at = `${source} (guestperf report)`;
  const hardware = objectAt(data, 'hardware', at);
  const scenario = objectAt(data, 'scenario', at);
  const memGiB = numberAt(hardware, 'mem', `${at} hardware`);
  if (memGiB <= 0) throw new ImportError(`${at} hardware: field "mem" must be more than 0 GiB`);
  const downtimeMs = numberAt(scenario, 'downtime', `${at} scenario`);
  const bandwidthMiBs = numberAt(scenario, 'bandwidth', `${at} scenario`);

  const history = own(data, 'progress_history');
  if (!Array.isArray(history) || history.length === 0) {
    throw new ImportError(`${at}: field "progress_history" must be a non-empty array of progress records`);
  }
  const all = history.map((r, i) => ({ index: i, ...readProgress(r, `${at} progress_history[${i}]`) }));
  const last = all[all.length - 1];
  // engine.py fills a reply without "ram" (QEMU has none during setup) with zeros: total_bytes 0
  // there is "not reported", not an empty guest, and would draw remaining = 0 at the start.
  const records = all.filter((r, k) => r.totalBytes > 0 || k === all.length - 1);
  const samples = records.map((r) => r.sample);
  checkTimeOrder(samples, (k) => `${at} progress_history[${records[k].index}] "duration"`);
  const completed = last.status === 'completed';

  const guestGiB = memGiB + GUESTPERF_EXTRA_MIB / 1024;
  const settings: MeasuredSettings = {
    guestGiB: { value: guestGiB, from: `hardware.mem ${memGiB} GiB + 512 MiB (guestperf starts QEMU with -m mem*1024+512)` },
    maxBandwidthMiBs: { value: bandwidthMiBs, from: `scenario.bandwidth ${bandwidthMiBs} MiB/s (max-bandwidth)` },
    downtimeMs: { value: downtimeMs, from: `scenario.downtime ${downtimeMs} ms (downtime-limit)` },
    workload: { value: 'stress', from: "guestperf's guest runs its stress program (stress.c)" },
    workingSetGiB: { value: memGiB, from: `hardware.mem ${memGiB} GiB: stress.c writes all of it` },
    pattern: { value: 'sequential', from: 'stress.c writes its buffer page after page' },
  };
  const rate = stressRate(own(data, 'guest_timings'), `${at} guest_timings`);
  if (rate) {
    const value = Math.min(rate.mibs, LIMITS.dirtyMiBs.max);
    const capped = value < rate.mibs ? `, capped at migviz's ${LIMITS.dirtyMiBs.max} MiB/s` : '';
    settings.dirtyMiBs = {
      value: round(value, 1),
      from: `guest_timings: ${rate.threads} thread(s), median ${rate.medianMs} ms per GiB written = ${round(rate.mibs, 1)} MiB/s${capped}`,
    };
  }
  if (optionalBooleanAt(scenario, 'auto_converge', `${at} scenario`)) {
    settings.autoConverge = { value: true, from: 'scenario.auto_converge' };
    const step = own(scenario, 'auto_converge_step');
    if (typeof step === 'number' && Number.isInteger(step) && step >= 1 && step <= 99) {
      settings.cpuThrottleIncrement = { value: step, from: `scenario.auto_converge_step ${step} % (cpu-throttle-increment)` };
    }
  }
  return {
    format: 'guestperf',
    source,
    samples,
    status: last.status,
    totalTimeMs: completed ? last.durationMs : null,
    downtimeMs: completed ? last.downtimeMs : null,
    transferredBytes: completed ? last.sample.transferredBytes : null,
    setupTimeMs: completed ? last.setupTimeMs : null,
    settings,
    caveats: [...caveatsOf(scenario, `${at} scenario`), ...hostCaveats(data)],
  };
}

interface ProgressRecord {
  status: string;
  totalBytes: number;
  sample: MeasuredSample;
  durationMs: number;
  downtimeMs: number;
  setupTimeMs: number;
}

function readProgress(r: unknown, where: string): ProgressRecord {
  if (!isObject(r)) throw new ImportError(`${where} must be an object`);
  const ram = objectAt(r, 'ram', where);
  const durationMs = numberAt(r, 'duration', where);
  return {
    status: stringAt(r, 'status', where),
    totalBytes: numberAt(ram, 'total_bytes', `${where} ram`),
    durationMs,
    downtimeMs: numberAt(r, 'downtime', where),
    setupTimeMs: numberAt(r, 'setup_time', where),
    sample: {
      tMs: durationMs,
      transferredBytes: numberAt(ram, 'transferred_bytes', `${where} ram`),
      remainingBytes: numberAt(ram, 'remaining_bytes', `${where} ram`),
      mbps: numberAt(ram, 'transfer_rate_mbs', `${where} ram`),
    },
  };
}

/**
 * The stress program's write rate from guest_timings: per thread the median of its "ms per GiB"
 * records (robust to the slow GiBs while the migration throttles or pauses it), summed over the
 * threads, as MiB/s. Null when the report has no timings (the guest's log was not captured).
 */
function stressRate(timings: unknown, where: string): { mibs: number; threads: number; medianMs: number } | null {
  if (timings === undefined) return null;
  if (!Array.isArray(timings)) throw new ImportError(`${where} must be an array`);
  const byThread = new Map<unknown, number[]>();
  timings.forEach((t, i) => {
    if (!isObject(t)) throw new ImportError(`${where}[${i}] must be an object`);
    const ms = numberAt(t, 'value', `${where}[${i}]`);
    if (ms <= 0) return;
    const tid = own(t, 'tid');
    const list = byThread.get(tid);
    if (list) list.push(ms);
    else byThread.set(tid, [ms]);
  });
  if (byThread.size === 0) return null;
  let mibs = 0;
  const medians: number[] = [];
  for (const list of byThread.values()) {
    const m = median(list);
    medians.push(m);
    mibs += 1024 / (m / 1000);
  }
  return { mibs, threads: byThread.size, medianMs: round(median(medians), 1) };
}

/** What guestperf can turn on that migviz does not simulate. */
function caveatsOf(scenario: Json, where: string): string[] {
  const out: string[] = [];
  const flag = (key: string, text: string) => {
    if (optionalBooleanAt(scenario, key, where)) out.push(text);
  };
  flag('post_copy', 'the run switched to post-copy (scenario.post_copy); migviz simulates pre-copy only');
  flag('pause', 'the run paused the guest after some iterations (scenario.pause); migviz does not');
  flag('compression_mt', 'the run compressed pages (scenario.compression_mt); migviz does not model compression');
  flag('compression_xbzrle', 'the run used XBZRLE (scenario.compression_xbzrle); migviz does not model it');
  flag('multifd', 'the run used multifd (scenario.multifd); migviz sends on one channel');
  flag('dirty_limit', 'the run used dirty-limit (scenario.dirty_limit); migviz does not model it');
  return out;
}

/** report.py's dst_host: "localhost" is a migration within one host, over loopback or a unix socket. */
function hostCaveats(data: Json): string[] {
  const dst = own(data, 'dst_host');
  const transport = own(data, 'transport');
  if (dst !== 'localhost') return [];
  return [
    `the run migrated within one host (dst_host localhost${typeof transport === 'string' ? `, transport ${transport}` : ''}); of migviz's testbeds only wang-2018 models a loopback link`,
  ];
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function round(v: number, digits: number): number {
  return Number(v.toFixed(digits));
}
