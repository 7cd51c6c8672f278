/** The query-migrate log importer (JSON lines) and the format detection, on the example and on bad files. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIO_PRESETS } from '../../src/engine/scenario';
import { Simulation } from '../../src/engine/simulation';
import { MAX_IMPORT_BYTES, matchScenario, parseQueryMigrateLog, readImportFile } from '../../src/import';

const EXAMPLE = readFileSync(join(import.meta.dirname, '../../public/examples/query-migrate-example.jsonl'), 'utf8');
const active = (t: number, transferred: number, remaining: number) =>
  JSON.stringify({ status: 'active', 'total-time': t, ram: { transferred, remaining, total: 2 ** 30, mbps: 900 } });

describe('query-migrate logs', () => {
  it('reads the example (virsh-style replies): parameters from line 1, one sample per reply, the completed totals', () => {
    const file = readImportFile(EXAMPLE, 'query-migrate-example.jsonl');
    if (file.kind !== 'measured') throw new Error('not measured');
    const run = file.run;
    expect(run.format).toBe('query-migrate-log');
    expect(run.samples).toHaveLength(73);
    expect(run.samples[0]).toEqual({ tMs: 100.088, transferredBytes: 17238535, remainingBytes: 8557035520, mbps: 0 });
    expect([run.status, run.totalTimeMs, run.downtimeMs, run.transferredBytes, run.setupTimeMs]).toEqual([
      'completed',
      7231.891,
      279.909,
      8352716107,
      86.598,
    ]);
    expect(run.settings.downtimeMs).toEqual({ value: 300, from: 'downtime-limit 300 ms (line 1)' });
    expect(run.settings.maxBandwidthMiBs?.value).toBe(1192);
    expect(run.settings.guestGiB).toEqual({ value: 8, from: 'ram.total 8589934592 bytes = 8 GiB' });
  });

  it('the matching scenario is the example\'s own (rfc-case-2 original) and assumes link, testbed, mode and workload', () => {
    const file = readImportFile(EXAMPLE, 'q.jsonl');
    if (file.kind !== 'measured') throw new Error('not measured');
    const m = matchScenario(file.run, SCENARIO_PRESETS['rfc-case-2']);
    expect(m.scenario).toEqual(SCENARIO_PRESETS['rfc-case-2']);
    expect(m.assumed.map((a) => a.split(':')[0])).toEqual(['link 10 Gbit/s', 'testbed rfc-2016 (RFC 2016 testbed', 'mode original', 'workload after-hog']);
    const q = new Simulation(m.scenario).runToEnd();
    expect(Math.abs(q['total-time'] - 7231.891) / 7231.891).toBeLessThan(0.02);
  });

  it('takes bare objects and QMP timestamps; a reply without total-time is placed by its timestamp', () => {
    const ts = (s: number, us: number) => ({ seconds: s, microseconds: us });
    const text = [
      JSON.stringify({ timestamp: ts(100, 0), return: { status: 'setup' } }),
      JSON.stringify({ timestamp: ts(100, 250000), return: { status: 'active', ram: { transferred: 10, remaining: 90 } } }),
      '',
      JSON.stringify({ status: 'active', timestamp: ts(101, 0), ram: { transferred: 50, remaining: 50 } }),
      JSON.stringify({ status: 'completed', 'total-time': 1400, downtime: 20, ram: { transferred: 100, remaining: 0 } }),
    ].join('\r\n');
    const run = parseQueryMigrateLog(text, 'ts.log');
    expect(run.samples.map((s) => [s.tMs, s.transferredBytes])).toEqual([
      [250, 10],
      [1000, 50],
      [1400, 100],
    ]);
    expect([run.totalTimeMs, run.downtimeMs, run.transferredBytes, run.setupTimeMs]).toEqual([1400, 20, 100, null]);
    expect(run.settings).toEqual({});
  });

  it('a run that went post-copy says migviz does not simulate that', () => {
    const post = JSON.stringify({ status: 'postcopy-active', 'total-time': 300, ram: { transferred: 8, remaining: 2 } });
    expect(parseQueryMigrateLog([active(100, 1, 9), post].join('\n'), 'p.log').caveats).toEqual([
      'the run switched to post-copy (status postcopy-active); migviz simulates pre-copy only',
    ]);
  });

  it('a log that stops while active has samples and no totals', () => {
    const run = parseQueryMigrateLog([active(100, 1, 9), active(200, 5, 5)].join('\n'), 'a.log');
    expect([run.status, run.totalTimeMs, run.samples.length, run.settings.guestGiB?.value]).toEqual(['active', null, 2, 1]);
  });

  it('a bad line is named by its number and field', () => {
    const bad = (lines: string[]) => () => parseQueryMigrateLog(lines.join('\n'), 'q.log');
    expect(bad([active(100, 1, 9), '{"status": "active", "total-time": 2'])).toThrow(/^q\.log line 2: not JSON \(/);
    expect(bad([active(100, 1, 9), '[1, 2]'])).toThrow('q.log line 2: must be a JSON object, not [1,2]');
    expect(bad([active(100, 1, 9), JSON.stringify({ status: 'active', 'total-time': 200, ram: { transferred: 5 } })])).toThrow(
      'q.log line 2 ram: field "remaining" is missing',
    );
    expect(bad([active(100, 1, 9), JSON.stringify({ error: { class: 'GenericError', desc: 'no migration' } })])).toThrow(
      'q.log line 2: QEMU answered with an error',
    );
    expect(bad([active(300, 1, 9), active(200, 5, 5)])).toThrow('q.log line 2: time 200 ms is before the previous sample\'s 300 ms');
    expect(bad([active(100, 1, 9), JSON.stringify({ status: 'active', ram: { transferred: 5, remaining: 5 } })])).toThrow(
      'q.log line 2: no "total-time" and no "timestamp": cannot place it in time',
    );
    expect(bad([JSON.stringify({ return: { status: 'setup' } })])).toThrow('q.log: no query-migrate reply with "ram" and a time');
    expect(bad([active(100, 1, 9), JSON.stringify({ return: { foo: 1 } })])).toThrow(
      'q.log line 2: neither a query-migrate reply (no "status") nor query-migrate-parameters',
    );
    expect(bad([JSON.stringify({ 'downtime-limit': -3 }), active(100, 1, 9)])).toThrow(
      'q.log line 1: field "downtime-limit" must be a number >= 0, not -3',
    );
  });
});

describe('what a file is', () => {
  it('a scenario file opens as a scenario, with its own messages for its own mistakes', () => {
    expect(readImportFile('{"scenario": "rfc-case-1", "mode": "pv"}', 's.json')).toEqual({
      kind: 'scenario',
      presetId: 'rfc-case-1',
      overrides: { mode: 'pv' },
    });
    expect(() => readImportFile('{"colour": "red"}', 's.json')).toThrow('s.json: unknown field "colour"');
    expect(() => readImportFile('{"guestGiB": ', 's.json')).toThrow('s.json is not valid JSON');
  });

  it('one query-migrate reply on one line is a log of one sample; the first line decides JSON lines', () => {
    const one = readImportFile(`${active(100, 1, 9)}\n`, 'one.json');
    expect(one.kind === 'measured' && one.run.samples.length).toBe(1);
    const wrapped = readImportFile(`{"return": ${active(100, 1, 9)}, "id": "libvirt-1"}`, 'w.json');
    expect(wrapped.kind === 'measured' && wrapped.run.format).toBe('query-migrate-log');
  });

  it('empty, huge and unrecognised files are refused with one line', () => {
    expect(() => readImportFile('  \n', 'e.json')).toThrow('e.json is empty');
    expect(() => readImportFile('{}', 'big.json', MAX_IMPORT_BYTES + 1)).toThrow('big.json is 16.0 MiB, larger than the 16 MiB Open… reads');
    expect(() => readImportFile('hello\nworld', 'h.txt')).toThrow('h.txt is not valid JSON');
    expect(() => readImportFile('{"hardware": {}, "progress_history": [], "hardware": {}}', 'd.json')).toThrow(
      'd.json (guestperf report): field "hardware" given more than once',
    );
  });
});
