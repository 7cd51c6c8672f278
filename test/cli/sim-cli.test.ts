import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('--hog-percent sets how much RAM the after-hog guest\'s hog touched; out of range is exit 2', () => {
    const half = JSON.parse(run('--scenario', 'rfc-case-2', '--guest-gib', '0.5', '--hog-percent', '50', '--json').stdout);
    const full = JSON.parse(run('--scenario', 'rfc-case-2', '--guest-gib', '0.5', '--json').stdout);
    // Original sends every page the hog wrote: about half of 131 072 pages at 50 %, nearly all at 97 %.
    expect(half.ram.normal).toBeGreaterThan(60_000);
    expect(half.ram.normal).toBeLessThan(70_000);
    expect(full.ram.normal).toBeGreaterThan(120_000);
    const r = run('--hog-percent', '101');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['error: --hog-percent 101 is out of range: a number from 0 to 100']);
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

describe('npm run sim: bounded input and output errors (issue 9)', () => {
  const tmp = () => mkdtempSync(join(tmpdir(), 'migviz-'));

  it('a file naming an inherited profile exits 2 naming the file and the field, at once', () => {
    const file = join(tmp(), 'evil.json');
    for (const text of ['{"profile":"toString","linkGbps":10,"maxBandwidthMiBs":1192}', '{"profile":"constructor"}']) {
      writeFileSync(file, text);
      const r = run('--scenario-file', file, '--guest-gib', '0.0625');
      expect(r.status).toBe(2);
      expect(r.stderr.trim()).toBe(`error: ${file}: profile must be one of rfc-2016, wang-2018`);
    }
  });

  it('only regular files up to 1 MiB: /dev/zero, a directory and a 1 MiB + 1 file are refused with one line', () => {
    const dir = tmp();
    const started = Date.now();
    const zero = run('--scenario-file', '/dev/zero');
    expect(zero.status).toBe(2);
    expect(zero.stderr.trim()).toBe('error: --scenario-file /dev/zero is not a regular file');
    const d = run('--scenario-file', dir);
    expect(d.stderr.trim()).toBe(`error: --scenario-file ${dir} is not a regular file`);
    const big = join(dir, 'big.json');
    writeFileSync(big, `{${' '.repeat(1 << 20)}}`);
    const b = run('--scenario-file', big);
    expect(b.status).toBe(2);
    expect(b.stderr.trim()).toBe(`error: --scenario-file ${big} is larger than 1 MiB; a scenario file needs a few hundred bytes`);
    const missing = run('--scenario-file', join(dir, 'nope.json'));
    expect(missing.stderr.trim()).toBe(`error: --scenario-file ${join(dir, 'nope.json')} cannot be read: ENOENT`);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('a file with a byte order mark reads; one with a duplicate key is refused', () => {
    const file = join(tmp(), 'bom.json');
    writeFileSync(file, '\uFEFF{"mode": "pv", "guestGiB": 0.0625}');
    const ok = run('--scenario-file', file, '--json');
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).migviz.mode).toBe('pv');
    writeFileSync(file, '{"guestGiB": 0.0625, "guestGiB": 1024}');
    const dup = run('--scenario-file', file);
    expect(dup.status).toBe(2);
    expect(dup.stderr.trim()).toBe(`error: ${file}: field "guestGiB" given more than once`);
  });

  it('--guest-gib 0x1 is refused, not read as 1', () => {
    const r = run('--guest-gib', '0x1');
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('error: --guest-gib "0x1" is not a decimal number: a number from 0.0625 to 1024');
  });

  // `| true` closes the pipe before the CLI writes, so the write always meets EPIPE.
  for (const cli of ['sim.ts --guest-gib 0.0625 --json', 'table.ts --json']) {
    it(`${cli.split(' ')[0]}: a closed pipe (EPIPE) exits quietly with status 0`, () => {
      const r = spawnSync('bash', ['-c', `node --import tsx src/cli/${cli} | true; exit \${PIPESTATUS[0]}`], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  }

  it.runIf(existsSync('/dev/full'))('a full disk (ENOSPC on /dev/full) is one line on stderr and status 1', () => {
    const fd = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/sim.ts', '--guest-gib', '0.0625', '--json'], {
        encoding: 'utf8',
        timeout: 60_000,
        stdio: ['ignore', fd, 'pipe'],
      });
      expect(r.stderr).toBe('error: cannot write the output: ENOSPC\n');
      expect(r.status).toBe(1);
    } finally {
      closeSync(fd);
    }
  });
});
