import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/engine/simulation';
import { resolveScenario } from '../../src/engine/scenario';
import {
  exportName,
  inlineCssVariables,
  seriesToCsv,
  statsToCsv,
  statsToJson,
  svgDocument,
} from '../../src/ui/export/exports';

const series = {
  t: [0, 1, 2],
  transferred: [0, 1_000_000, 3_000_000],
  remaining: [8192, 4096, 0],
  length: 3,
};

describe('exports', () => {
  it('series CSV: one row per sample, throughput over each interval in MB/s', () => {
    expect(seriesToCsv([{ label: 'pv', series }])).toBe(
      'mode,t_ms,transferred_bytes,remaining_bytes,throughput_MBps\n' +
        'pv,0,0,8192,0\n' +
        'pv,1,1000000,4096,1000\n' +
        'pv,2,3000000,0,2000\n',
    );
  });

  it('CSV of both runs of a compare, from a real simulation', () => {
    const runs = (['original', 'pv'] as const).map((mode) => {
      const sim = new Simulation(resolveScenario('rfc-case-1', { mode, guestGiB: 0.25 }));
      sim.runToEnd();
      return { label: mode, series: sim.series };
    });
    const lines = seriesToCsv(runs).trim().split('\n');
    expect(lines.length).toBe(1 + runs[0].series.length + runs[1].series.length);
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      expect(cells).toHaveLength(5);
      expect(['original', 'pv']).toContain(cells[0]);
      for (const c of cells.slice(1)) expect(Number.isFinite(Number(c))).toBe(true);
    }
    const last = lines[lines.length - 1].split(',');
    expect(Number(last[3])).toBe(0); // nothing remaining at the end
  });

  it('stats JSON is query-migrate shaped and parses back', () => {
    const sim = new Simulation(resolveScenario('rfc-case-2', { mode: 'pv', guestGiB: 0.25 }));
    const stats = sim.runToEnd();
    const back = JSON.parse(statsToJson({ pv: stats }));
    expect(back.pv.status).toBe('completed');
    expect(back.pv.ram['page-size']).toBe(4096);
    expect(back.pv.verification.ok).toBe(true);
    const csv = statsToCsv({ pv: stats }).trim().split('\n');
    expect(csv[0].split(',')[0]).toBe('mode');
    expect(csv[1].split(',')).toHaveLength(csv[0].split(',').length);
    expect(csv[1]).toMatch(/^pv,completed,/);
  });

  it('SVG document: standalone with namespace, size and background', () => {
    const doc = svgDocument('<svg class="x" width="10"><path d="M0 0L1 1" stroke="var(--fg)"/></svg>', 640, 360, '#fff');
    expect(doc.startsWith('<?xml')).toBe(true);
    expect(doc).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(doc).toContain('viewBox="0 0 640 360"');
    expect(doc).toContain('<path d="M0 0L1 1" stroke="var(--fg)"/>');
    expect(doc.match(/<svg/g)).toHaveLength(1);
    expect(inlineCssVariables(doc, { fg: '#123456' })).toContain('stroke="#123456"');
    const parsed = new DOMParserShim().parse(doc);
    expect(parsed).toBe(true);
  });

  it('file names say what the export shows', () => {
    expect(exportName('rfc-case-2', 'compare', 1, 552.4)).toBe('migviz-rfc-case-2-compare-seed1-t552ms');
  });
});

/** Well-formedness without a DOM: every tag opened is closed in order. */
class DOMParserShim {
  parse(xml: string): boolean {
    const stack: string[] = [];
    for (const m of xml.replace(/<\?xml[^>]*\?>/, '').matchAll(/<(\/?)([\w:-]+)[^>]*?(\/?)>/g)) {
      const [, close, name, self] = m;
      if (self) continue;
      if (close) {
        if (stack.pop() !== name) return false;
      } else stack.push(name);
    }
    return stack.length === 0;
  }
}
