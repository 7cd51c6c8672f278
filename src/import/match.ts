/**
 * The simulated scenario that matches a measured run: the scenario on screen with every field the
 * file states put in (guest size, max-bandwidth, downtime limit, and for a guestperf report its
 * stress workload), and the list of what had to be assumed because the file does not say it.
 */
import { getProfile } from '../engine/migration/profiles';
import { ScenarioError, validateScenario } from '../engine/scenario';
import type { Scenario } from '../engine/types';
import { FORMAT_LABEL, ImportError, type MeasuredRun } from './measured-run';

export interface MatchedScenario {
  scenario: Scenario;
  /** "guest size 1.5 GiB: hardware.mem 1 GiB + 512 MiB (...)": one line per field the file states. */
  stated: readonly string[];
  /** "link 10 Gbit/s: not in a guestperf report; kept from the scenario on screen": one line per assumption. */
  assumed: readonly string[];
}

type Field = keyof Scenario;

/** The fields of the scenario a measured run's match depends on, named as the page names them. */
const NAMES: Partial<Record<Field, string>> = {
  guestGiB: 'guest size',
  maxBandwidthMiBs: 'max-bandwidth',
  downtimeMs: 'downtime limit',
  linkGbps: 'link',
  profile: 'testbed',
  mode: 'mode',
  workload: 'workload',
  workingSetGiB: 'working set',
  dirtyMiBs: 'dirty rate',
  pattern: 'pattern',
  autoConverge: 'auto-converge',
  cpuThrottleIncrement: 'cpu-throttle-increment',
};

function show(field: Field, s: Scenario): string {
  switch (field) {
    case 'guestGiB':
    case 'workingSetGiB':
      return `${Number(s[field].toFixed(3))} GiB`;
    case 'maxBandwidthMiBs':
      return `${Number(s.maxBandwidthMiBs.toFixed(3))} MiB/s`;
    case 'downtimeMs':
      return `${s.downtimeMs} ms`;
    case 'linkGbps':
      return `${s.linkGbps} Gbit/s`;
    case 'dirtyMiBs':
      return `${s.dirtyMiBs} MiB/s`;
    case 'autoConverge':
      return s.autoConverge ? 'on' : 'off';
    case 'cpuThrottleIncrement':
      return `${s.cpuThrottleIncrement} %`;
    default:
      return String(s[field]);
  }
}

export function matchScenario(run: MeasuredRun, current: Scenario): MatchedScenario {
  const overrides: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(run.settings)) if (v) overrides[k] = v.value;
  // Neither format enables virtio-balloon free page hinting (guestperf's QEMU has no balloon; a
  // query-migrate reply does not say): the matching mode is QEMU's plain pre-copy.
  overrides.mode = 'original';
  let scenario: Scenario;
  try {
    scenario = validateScenario({ ...current, ...overrides });
  } catch (e) {
    if (e instanceof ScenarioError) throw new ImportError(`${run.source} (${FORMAT_LABEL[run.format]}): the run's ${e.message}`);
    throw e;
  }
  const stated: string[] = [];
  for (const [k, v] of Object.entries(run.settings)) {
    const f = k as Field;
    if (v) stated.push(`${NAMES[f] ?? f} ${show(f, scenario)}: ${v.from}`);
  }
  const what = `not in a ${FORMAT_LABEL[run.format]}`;
  const assumed: string[] = [];
  const kept = (f: Field, why = what) => {
    if (!run.settings[f]) assumed.push(`${NAMES[f] ?? f} ${show(f, scenario)}: ${why}; kept from the scenario on screen`);
  };
  kept('guestGiB');
  kept('maxBandwidthMiBs', `${what} (query-migrate-parameters has it)`);
  kept('downtimeMs', `${what} (query-migrate-parameters has it)`);
  kept('linkGbps');
  assumed.push(`testbed ${scenario.profile} (${getProfile(scenario.profile).title}): the hosts' costs are ${what}; kept from the scenario on screen`);
  assumed.push(`mode original: QEMU's pre-copy without free page hinting (${run.format === 'guestperf' ? "guestperf's QEMU has no balloon device" : 'the log does not say'})`);
  kept('workload');
  if (scenario.workload === 'stress') {
    kept('workingSetGiB');
    kept('dirtyMiBs', run.format === 'guestperf' ? 'the report has no guest_timings' : what);
    kept('pattern');
  }
  return { scenario, stated, assumed };
}
