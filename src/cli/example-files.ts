/**
 * The example files of public/examples/ (what Open… imports as measured runs), made by migviz's
 * own simulation, NOT measurements; `npm run -s examples` writes them and a test holds the
 * checked-in files to these builders. Each says what it is in a field its format leaves free
 * (guestperf's "binary", QMP's "id"). They exist to show the formats and to test the importers;
 * importing one gives errors near 0 against the simulation, since the simulation made it.
 *
 * - guestperf-example.json: guestperf's format (Report.serialize, tests/migration-stress/
 *   guestperf/report.py), for `guestperf.py --mem 1 --cpus 1` with its default scenario
 *   (downtime 500 ms, bandwidth 125000 MiB/s), as its engine.py records it: a query-migrate poll
 *   every 50 ms, kept when ram.iterations (dirty-sync-count) rises, plus the last. The stress
 *   guest's write rate is the example's choice: 1 GiB per 4000 ms (256 MiB/s), in guest_timings
 *   as stress.c prints it.
 * - query-migrate-example.jsonl: rfc-case-2 in Original mode as `virsh qemu-monitor-command`
 *   prints QMP replies, polled every 100 ms: first query-migrate-parameters (the downtime limit
 *   and max-bandwidth query-migrate does not carry), then query-migrate until it completes.
 */
import { resolveScenario, Simulation, type QueryMigrate } from '../engine/index';

export { EXAMPLE_FILE_NAMES } from '../import';

const NOTE = 'EXAMPLE made by migviz from its own simulation, not a measurement';

/** query-migrate as QEMU's MigrationInfo has it: migviz's own keys (migviz, verification) left out. */
function qemuReply(q: QueryMigrate): Record<string, unknown> {
  const { migviz: _m, verification: _v, ...qemu } = q;
  return qemu;
}

/** Polls `sim` every `everyMs` of simulated time until it is done: the replies, in order. */
function poll(sim: Simulation, everyMs: number): { t: number; q: QueryMigrate }[] {
  const out: { t: number; q: QueryMigrate }[] = [];
  for (let t = everyMs; !sim.done; t += everyMs) {
    sim.step(t);
    out.push({ t, q: sim.stats() });
  }
  return out;
}

/** public/examples/guestperf-example.json, as npm run examples writes it. */
export function guestperfExample(): string {
  const memGiB = 1;
  const msPerGiB = 4000;
  const scenario = resolveScenario('rfc-case-1', {
    guestGiB: memGiB + 0.5, // engine.py: -m mem*1024+512 MiB
    workload: 'stress',
    workingSetGiB: memGiB,
    dirtyMiBs: 1024 / (msPerGiB / 1000),
    pattern: 'sequential',
    maxBandwidthMiBs: 125000,
    downtimeMs: 500,
  });
  // Host time.time() when the migration starts: a fixed, made-up epoch (2026-12-01 00:00 UTC).
  const start = 1_795_996_800;
  const sleepS = 15;
  const progress: Record<string, unknown>[] = [];
  let lastIter = -1;
  const polls = poll(new Simulation(scenario), 50);
  polls.forEach(({ t, q }, i) => {
    const iter = q.ram['dirty-sync-count'];
    if (iter <= lastIter && i < polls.length - 1) return;
    lastIter = iter;
    progress.push({
      status: q.status,
      ram: {
        transferred_bytes: q.ram.transferred,
        remaining_bytes: q.ram.remaining,
        total_bytes: q.ram.total,
        duplicate_pages: q.ram.duplicate,
        skipped_pages: 0,
        normal_pages: q.ram.normal,
        normal_bytes: q.ram['normal-bytes'],
        dirty_rate_pps: q.ram['dirty-pages-rate'],
        transfer_rate_mbs: q.ram.mbps,
        iterations: iter,
      },
      now: start + t / 1000,
      duration: q['total-time'],
      downtime: q.downtime,
      downtime_expected: q['expected-downtime'],
      setup_time: q['setup-time'],
      throttle_pcent: q['cpu-throttle-percentage'] ?? 0,
      dirty_limit_throttle_time_per_round: 0,
      dirty_limit_ring_full_time: 0,
    });
  });
  // stress.c: one "copied 1 GB in N ms" line per GiB written, from the sleep before the migration on.
  const guestTimings: Record<string, unknown>[] = [];
  for (let ts = start - sleepS + msPerGiB / 1000; ts < start + 2; ts += msPerGiB / 1000) {
    guestTimings.push({ tid: 1, timestamp: ts, value: msPerGiB });
  }
  const report = {
    hardware: {
      cpus: 1,
      mem: memGiB,
      src_mem_bind: [],
      dst_mem_bind: [],
      src_cpu_bind: [],
      dst_cpu_bind: [],
      prealloc_pages: false,
      huge_pages: false,
      locked_pages: false,
      dirty_ring_size: 0,
    },
    scenario: {
      name: 'example',
      downtime: 500,
      bandwidth: 125000,
      max_iters: 30,
      max_time: 300,
      pause: false,
      pause_iters: 5,
      post_copy: false,
      post_copy_iters: 5,
      auto_converge: false,
      auto_converge_step: 10,
      compression_mt: false,
      compression_mt_threads: 1,
      compression_xbzrle: false,
      compression_xbzrle_cache: 10,
      multifd: false,
      multifd_channels: 2,
      dirty_limit: false,
      x_vcpu_dirty_limit_period: 500,
      vcpu_dirty_limit: 1,
    },
    progress_history: progress,
    guest_timings: guestTimings,
    qemu_timings: [],
    vcpu_timings: [],
    binary: NOTE,
    dst_host: 'dst.example',
    kernel: '/boot/vmlinuz (example)',
    initrd: 'tests/migration-stress/initrd-stress.img (example)',
    transport: 'tcp',
    sleep: sleepS,
  };
  return `${JSON.stringify(report, null, 4)}\n`; // report.py: json.dumps(indent=4)
}

/** public/examples/query-migrate-example.jsonl, as npm run examples writes it. */
export function queryMigrateExample(): string {
  const scenario = resolveScenario('rfc-case-2', { mode: 'original' });
  const lines = [
    {
      return: { 'downtime-limit': scenario.downtimeMs, 'max-bandwidth': scenario.maxBandwidthMiBs * 2 ** 20 },
      id: NOTE,
    },
  ];
  poll(new Simulation(scenario), 100).forEach(({ q }, i) => {
    lines.push({ return: qemuReply(q) as never, id: `libvirt-${i + 2}` });
  });
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}

