/**
 * npm run -s sim -- [--scenario rfc-case-2] [--scenario-file F.json] [--mode ID] [--guest-gib N] [--workload ID]
 *                   [--working-set-gib N] [--dirty-mibs N] [--pattern random|sequential] [--hog-percent N]
 *                   [--link-gbps N] [--max-bandwidth-mibs N] [--downtime-ms N] [--profile ID]
 *                   [--auto-converge] [--cpu-throttle-initial N] [--cpu-throttle-increment N] [--max-cpu-throttle N]
 *                   [--seed N] [--json]
 * Runs one migration headless and prints query-migrate (JSON) or a readable summary.
 * Mode ids: every key of the mode registry (src/engine/migration/modes/index.ts).
 */
import { MODES, Simulation, trustLabel, type QueryMigrate, type Scenario } from '../engine/index';
import type { CounterSpec } from '../engine/migration/modes/mode';
import { parseFlags, runCli, SCENARIO_FLAGS, scenarioFromFlags } from './args';

runCli(() => {
  const flags = parseFlags(process.argv.slice(2), SCENARIO_FLAGS);
  const scenario = scenarioFromFlags(flags);
  const result = new Simulation(scenario).runToEnd();
  process.stdout.write(flags['--json'] ? `${JSON.stringify(result)}\n` : summary(result, scenario));
  if (result.status !== 'completed') process.exitCode = 1;
});

function summary(r: QueryMigrate, s: Scenario): string {
  const kb = (b: number) => `${Math.round(b / 1024).toLocaleString('en-US')} KB`;
  const ms = (t: number) => `${t.toFixed(1)} ms`;
  const m = r.migviz;
  const counter = (c: CounterSpec) => {
    const v = (m as Record<string, unknown>)[c.key] as number;
    const text = c.unit === 'ms' ? ms(v) : c.unit === 'pages' ? `${v.toLocaleString('en-US')} pages` : String(v);
    return `${`${c.label}: `.padEnd(20)}${text}`;
  };
  const lines = [
    `migviz ${m.scenario} (${s.guestGiB} GiB), mode ${m.mode}, seed ${m.seed}, profile ${s.profile}`,
    `trust:              ${trustLabel(s).text}`,
    `workload:           ${workloadText(s, m['working-set-pages'])}`,
    `status:             ${r.status}${m['failure-reason'] ? ` (${m['failure-reason']})` : ''}`,
    `outcome:            ${m.outcome}`,
    `auto-converge:      ${s.autoConverge ? `on, throttle up to ${m['max-cpu-throttle-percentage']} %` : 'off'}`,
    `total time:         ${ms(r['total-time'])}`,
    `setup:              ${ms(r['setup-time'])}`,
    `downtime:           ${ms(r.downtime)}`,
    `transferred ram:    ${kb(r.ram.transferred)}`,
    `throughput:         ${r.ram.mbps.toFixed(1)} mbps`,
    `duplicate (zero):   ${r.ram.duplicate.toLocaleString('en-US')} pages`,
    `normal:             ${r.ram.normal.toLocaleString('en-US')} pages`,
    `skipped (not sent): ${m['skipped-pages'].toLocaleString('en-US')} pages`,
    ...MODES[m.mode].counters.map(counter),
    `dirty sync count:   ${r.ram['dirty-sync-count']}`,
    `rounds:             ${m.rounds}`,
    `virtqueue:          ${m['virtqueue-buffers']} buffers, ${kb(m['virtqueue-bytes'])}, ${m.kicks} kicks, ${m.interrupts} interrupts`,
    r.status === 'completed'
      ? `verification:       ${r.verification.ok ? 'ok' : 'FAILED'}: ${r.verification['pages-checked'].toLocaleString('en-US')} pages in use checked, ${r.verification.mismatches} mismatches`
      : 'verification:       not run (the migration did not complete)',
  ];
  return `${lines.join('\n')}\n`;
}

function workloadText(s: Scenario, workingSetPages: number): string {
  if (s.workload !== 'stress') return s.workload;
  const gib = workingSetPages / 262_144;
  return `stress, ${Number(gib.toPrecision(4))} GiB working set written at ${s.dirtyMiBs} MiB/s, ${s.pattern}`;
}
