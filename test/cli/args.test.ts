import { describe, expect, it } from 'vitest';
import { parseFlags, SCENARIO_FLAGS, scenarioOverrides, UsageError } from '../../src/cli/args';
import { INHERITED_NAMES } from '../inherited-names';

const parse = (...argv: string[]) => parseFlags(argv, SCENARIO_FLAGS);
const rejects = (argv: string[], message: RegExp) => {
  expect(() => parse(...argv)).toThrow(UsageError);
  expect(() => parse(...argv)).toThrow(message);
};

describe('CLI flags', () => {
  it('reads values, =values and switches', () => {
    expect(parse('--scenario', 'rfc-case-1', '--guest-gib=128', '--downtime-ms', '400', '--json')).toEqual({
      '--scenario': 'rfc-case-1',
      '--guest-gib': 128,
      '--downtime-ms': 400,
      '--json': true,
    });
  });

  it('maps flags to scenario overrides, and only the flags given', () => {
    const o = scenarioOverrides(parse('--mode', 'pv', '--guest-gib', '0.5', '--seed', '42', '--workload', 'running'));
    expect(o).toEqual({ mode: 'pv', guestGiB: 0.5, seed: 42, workload: 'running' });
  });

  it('maps the stress and auto-converge flags; --auto-converge is a switch', () => {
    const o = scenarioOverrides(
      parse(
        '--workload', 'stress', '--working-set-gib', '4', '--dirty-mibs', '400', '--pattern', 'sequential',
        '--auto-converge', '--cpu-throttle-initial', '30', '--cpu-throttle-increment', '5', '--max-cpu-throttle', '90',
      ),
    );
    expect(o).toEqual({
      workload: 'stress',
      workingSetGiB: 4,
      dirtyMiBs: 400,
      pattern: 'sequential',
      autoConverge: true,
      cpuThrottleInitial: 30,
      cpuThrottleIncrement: 5,
      maxCpuThrottle: 90,
    });
    rejects(['--pattern', 'zigzag'], /^--pattern "zigzag" is not accepted: one of random, sequential$/);
    rejects(['--dirty-mibs', '20000'], /^--dirty-mibs 20000 is out of range: a number from 0 to 16384$/);
    rejects(['--max-cpu-throttle', '100'], /^--max-cpu-throttle 100 is out of range: an integer from 1 to 99$/);
    rejects(['--cpu-throttle-initial', '12.5'], /is not an integer/);
  });

  it('a negative number is the value of a numeric flag, and out of range', () => {
    rejects(['--guest-gib', '-4'], /^--guest-gib -4 is out of range: a number from 0.0625 to 1024$/);
  });

  it('names the flag and what it accepts', () => {
    rejects(['--scenario', 'rfc-case-3'], /--scenario "rfc-case-3" is not accepted: one of rfc-case-1, rfc-case-2/);
    rejects(['--link-gbps', 'fast'], /--link-gbps "fast" is not a decimal number: a number from 0.1 to 400/);
    rejects(['--seed', '1.5'], /--seed 1.5 is not an integer: an integer from 0 to 4294967295/);
    rejects(['--seed', '4294967296'], /out of range/);
    rejects(['--downtime-ms'], /--downtime-ms needs a value/);
    rejects(['--bogus'], /unknown flag --bogus/);
    rejects(['stray'], /unexpected argument "stray"/);
    rejects(['--json=1'], /--json takes no value/);
    rejects(['--seed', '1', '--seed', '2'], /--seed given twice/);
    rejects(['--guest-gib', 'Infinity'], /not a decimal number/);
  });
});

describe('CLI flags: strict input (issue 9)', () => {
  it('hex, binary, octal and blank numbers are rejected with the flag and its range', () => {
    rejects(['--guest-gib', '0x1'], /^--guest-gib "0x1" is not a decimal number: a number from 0.0625 to 1024$/);
    rejects(['--seed', '0b101'], /^--seed "0b101" is not a decimal number: an integer from 0 to 4294967295$/);
    rejects(['--downtime-ms', '0o17'], /--downtime-ms "0o17" is not a decimal number/);
    rejects(['--link-gbps', ' '], /--link-gbps " " is not a decimal number/);
  });

  it('plain decimals, fractions and decimal exponents are accepted', () => {
    expect(parse('--guest-gib', '0.5', '--link-gbps', '2.5e1', '--max-bandwidth-mibs', '1e3')).toEqual({
      '--guest-gib': 0.5,
      '--link-gbps': 25,
      '--max-bandwidth-mibs': 1000,
    });
  });

  it('inherited names are unknown flags, and not "given twice"', () => {
    for (const name of INHERITED_NAMES) rejects([name], new RegExp(`^unexpected argument "${name}"$`));
    for (const name of INHERITED_NAMES) rejects([`--${name}`], new RegExp(`^unknown flag --${name};`));
    expect(parse('--json')).toEqual({ '--json': true });
  });
});
