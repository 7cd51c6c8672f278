import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// Runs the real CLI as a user would (through tsx), so exit codes and output are the real ones.
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/sim.ts', ...args], { encoding: 'utf8', timeout: 60_000 });

describe('npm run sim', () => {
  it('--json prints exactly one query-migrate object with every key', () => {
    const r = run('--scenario', 'rfc-case-1', '--mode', 'pv', '--guest-gib', '0.25', '--seed', '3', '--json');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const q = JSON.parse(lines[0]);
    expect(Object.keys(q)).toEqual(['status', 'total-time', 'setup-time', 'downtime', 'expected-downtime', 'ram', 'migviz', 'verification']);
    expect(Object.keys(q.ram)).toEqual([
      'transferred', 'remaining', 'total', 'duplicate', 'normal', 'normal-bytes', 'dirty-pages-rate', 'mbps',
      'dirty-sync-count', 'page-size', 'pages-per-second',
    ]);
    expect(q.status).toBe('completed');
    expect(q.ram.total).toBe(0.25 * 2 ** 30);
    expect(q.migviz).toMatchObject({ mode: 'pv', scenario: 'rfc-case-1', seed: 3 });
    expect(q.verification.ok).toBe(true);
  });

  it('bad input: exit 2, one line on stderr naming the flag, nothing on stdout', () => {
    const r = run('--guest-gib', '-4', '--json');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual(['error: --guest-gib -4 is out of range: a number from 0.0625 to 1024']);
  });

  it('an unknown mode is an error naming every accepted mode, never a fallback', () => {
    for (const mode of ['bogus', 'toString', '__proto__']) {
      const r = run('--mode', mode, '--json');
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toEqual([
        `error: --mode "${mode}" is not accepted: one of original, pv, pagemap, hint, report`,
      ]);
    }
  });

  it('report mode completes and verifies, and the summary prints its counters', () => {
    const r = run('--scenario', 'rfc-case-2', '--mode', 'report', '--guest-gib', '0.5', '--settle-ms', '10000');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/mode report/);
    expect(r.stdout).toMatch(/reported, discarded:\s+[1-9][\d,]* pages/);
    expect(r.stdout).toMatch(/verification:\s+ok/);
  });
});

describe('npm run sim --scenario-file', () => {
  it('reads the file, and flags override it', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'migviz-'));
    const file = join(dir, 'case.json');
    writeFileSync(file, JSON.stringify({ scenario: 'rfc-case-1', mode: 'pv', guestGiB: 0.5, seed: 9 }));
    const q = JSON.parse(run('--scenario-file', file, '--guest-gib', '0.25', '--json').stdout);
    expect(q.migviz).toMatchObject({ scenario: 'rfc-case-1', mode: 'pv', seed: 9 });
    expect(q.ram.total).toBe(0.25 * 2 ** 30);
    writeFileSync(file, '{"guestGiB": 2000}');
    const bad = run('--scenario-file', file);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe(`error: ${file}: guest size (GiB) must be from 0.0625 to 1024`);
  });
});
