/**
 * npm run -s table [-- --json]
 * The RFC's table, published vs simulated: both cases, both modes, total time and transferred KB
 * (1 KB = 1024 bytes, as QEMU's info migrate prints it), with the error in percent.
 */
import { resolveScenario, Simulation, type ModeId, type PresetId } from '../engine/index';
import table from '../data/rfc-2016-table.json';
import { parseFlags, runCli } from './args';

export interface TableRow {
  case: PresetId;
  mode: ModeId;
  publishedMs: number;
  simulatedMs: number;
  timeErrorPct: number;
  publishedKB: number;
  simulatedKB: number;
  bytesErrorPct: number;
  setupMs: number;
  downtimeMs: number;
  syncs: number;
  verified: boolean;
}

export function rfcTable(seed = 1): TableRow[] {
  const rows: TableRow[] = [];
  for (const c of table.cases) {
    for (const mode of ['original', 'pv'] as const) {
      const r = new Simulation(resolveScenario(c.id, { mode, seed })).runToEnd();
      const pub = c[mode];
      const kb = r.ram.transferred / 1024;
      rows.push({
        case: c.id as PresetId,
        mode,
        publishedMs: pub.totalTimeMs,
        simulatedMs: r['total-time'],
        timeErrorPct: pct(r['total-time'], pub.totalTimeMs),
        publishedKB: pub.transferredKB,
        simulatedKB: Math.round(kb),
        bytesErrorPct: pct(kb, pub.transferredKB),
        setupMs: r['setup-time'],
        downtimeMs: r.downtime,
        syncs: r.ram['dirty-sync-count'],
        verified: r.verification.ok,
      });
    }
  }
  return rows;
}

const pct = (sim: number, pub: number) => Math.round(((sim - pub) / pub) * 1000) / 10;

function render(rows: TableRow[]): string {
  const head = ['case', 'mode', 'time pub', 'time sim', 'err', 'KB pub', 'KB sim', 'err', 'setup', 'downtime', 'syncs', 'verified'];
  const body = rows.map((r) => [
    r.case,
    r.mode,
    `${r.publishedMs} ms`,
    `${r.simulatedMs.toFixed(0)} ms`,
    signed(r.timeErrorPct),
    r.publishedKB.toLocaleString('en-US'),
    r.simulatedKB.toLocaleString('en-US'),
    signed(r.bytesErrorPct),
    `${r.setupMs.toFixed(0)} ms`,
    `${r.downtimeMs.toFixed(0)} ms`,
    String(r.syncs),
    r.verified ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return `${[line(head), ...body.map(line)].join('\n')}\n`;
}

const signed = (x: number) => `${x > 0 ? '+' : ''}${x.toFixed(1)}%`;

if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(() => {
    const flags = parseFlags(process.argv.slice(2), { '--json': { kind: 'switch' } });
    const rows = rfcTable();
    process.stdout.write(flags['--json'] ? `${JSON.stringify(rows, null, 2)}\n` : render(rows));
  });
}
