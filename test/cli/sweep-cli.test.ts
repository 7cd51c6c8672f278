import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// The real CLI as a user runs it (through tsx, worker threads and all).
const node = (script: string, args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8', timeout: 120_000 });
const sweep = (...args: string[]) => node('src/cli/sweep.ts', args);
const SMALL = ['--param', 'guest-gib', '--values', '0.0625,0.125', '--modes', 'original,pv', '--scenario', 'rfc-case-1', '--jobs', '2'];

describe('npm run sweep', () => {
  it('--json: one array, one element per run, each sim --json\'s object plus params', () => {
    const r = sweep(...SMALL, '--json');
    expect(r.status).toBe(0);
    const rows = JSON.parse(r.stdout);
    expect(rows).toHaveLength(4);
    expect(rows.map((x: { params: unknown }) => x.params)).toEqual([
      { 'guest-gib': 0.0625, mode: 'original', seed: 1 },
      { 'guest-gib': 0.0625, mode: 'pv', seed: 1 },
      { 'guest-gib': 0.125, mode: 'original', seed: 1 },
      { 'guest-gib': 0.125, mode: 'pv', seed: 1 },
    ]);
    const { params, ...q } = rows[3];
    const sim = JSON.parse(node('src/cli/sim.ts', ['--scenario', 'rfc-case-1', '--guest-gib', '0.125', '--mode', 'pv', '--json']).stdout);
    expect(q).toEqual(sim);
    expect(Object.keys(rows[0])).toEqual([...Object.keys(sim), 'params']);
    // Progress and the summary go to stderr, never stdout.
    expect(r.stderr).toMatch(/^sweep: 4 runs in \d+\.\d s on 2 worker threads$/m);
  }, 60_000);

  it('--csv: the same columns flattened, params first; --seeds adds the next seeds', () => {
    const r = sweep(...SMALL, '--seeds', '2', '--csv');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1 + 8);
    const head = lines[0].split(',');
    expect(head.slice(0, 8)).toEqual([
      'params.guest-gib', 'params.mode', 'params.seed', 'status', 'total-time', 'setup-time', 'downtime', 'expected-downtime',
    ]);
    expect(head).toContain('ram.transferred');
    expect(head).toContain('migviz.skipped-pages');
    expect(head).toContain('verification.ok');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual([
      '0.0625,original,1,completed', '0.0625,original,2,completed', '0.0625,pv,1,completed', '0.0625,pv,2,completed',
      '0.125,original,1,completed', '0.125,original,2,completed', '0.125,pv,1,completed', '0.125,pv,2,completed',
    ]);
  }, 60_000);

  it('bad input: one line on stderr, exit 2, nothing on stdout', () => {
    const cases: [string[], string][] = [
      [['--param', 'guest-size', '--values', '1', '--modes', 'pv'], 'error: --param "guest-size" is not accepted: one of guest-gib, link-gbps, max-bandwidth-mibs, downtime-ms, dirty-mibs, working-set-gib, settle-ms, hog-percent, seed, cpu-throttle-initial, cpu-throttle-increment, max-cpu-throttle'],
      [['--param', 'guest-gib', '--values', '1,2048', '--modes', 'pv'], 'error: --values: value 2048 is out of range: guest-gib takes numbers from 0.0625 to 1024'],
      [['--param', 'guest-gib', '--values', '1', '--modes', 'pv,turbo'], 'error: --modes "turbo" is not accepted: one of original, pv, pagemap, hint, report'],
      [['--param', 'guest-gib', '--modes', 'pv'], 'error: --values is required: --values a list (1,2,4) or from:to:steps[:log]'],
      [['--param', 'guest-gib', '--values', '1', '--modes', 'pv', '--csv', '--json'], 'error: --csv and --json: give one of them'],
      [['--param', 'guest-gib', '--values', '0.5', '--modes', 'pv', '--workload', 'stress', '--working-set-gib', '1'], 'error: --values: at guest-gib 0.5, working set (1 GiB) must not exceed the guest size (0.5 GiB)'],
    ];
    for (const [args, line] of cases) {
      const r = sweep(...args);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toEqual([line]);
    }
  }, 60_000);
});
