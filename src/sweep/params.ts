/**
 * The parameters a sweep can put on its x axis: every numeric scenario parameter, named as the
 * `sim` CLI names its flag (without the dashes), with the scenario's own accepted range. A test
 * holds this table equal to the CLI's numeric flags, so a parameter the scenario gains is
 * sweepable as soon as `sim` takes it.
 */
import { LIMITS } from '../engine/scenario';
import type { Scenario, WorkloadId } from '../engine/types';

type NumericField = { [K in keyof Scenario]: Scenario[K] extends number ? K : never }[keyof Scenario];

export interface SweepParamSpec {
  readonly field: NumericField;
  /** On screen: axis title and tooltips. */
  readonly label: string;
  readonly unit: string;
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  /**
   * When the parameter changes nothing: the workload it belongs to, or auto-converge off. The
   * sweep still runs (the lines are flat) and says why.
   */
  readonly onlyFor?: { readonly workload: WorkloadId } | { readonly autoConverge: true };
}

export const SWEEP_PARAMS = {
  'guest-gib': { field: 'guestGiB', label: 'guest size', unit: 'GiB', ...LIMITS.guestGiB, integer: false },
  'link-gbps': { field: 'linkGbps', label: 'link speed', unit: 'Gbit/s', ...LIMITS.linkGbps, integer: false },
  'max-bandwidth-mibs': {
    field: 'maxBandwidthMiBs',
    label: 'max-bandwidth',
    unit: 'MiB/s',
    ...LIMITS.maxBandwidthMiBs,
    integer: false,
  },
  'downtime-ms': { field: 'downtimeMs', label: 'downtime limit', unit: 'ms', ...LIMITS.downtimeMs, integer: false },
  'dirty-mibs': {
    field: 'dirtyMiBs',
    label: 'dirty rate',
    unit: 'MiB/s',
    ...LIMITS.dirtyMiBs,
    integer: false,
    onlyFor: { workload: 'stress' },
  },
  'working-set-gib': {
    field: 'workingSetGiB',
    label: 'working set',
    unit: 'GiB',
    ...LIMITS.workingSetGiB,
    integer: false,
    onlyFor: { workload: 'stress' },
  },
  'settle-ms': { field: 'settleMs', label: 'settle time', unit: 'ms', ...LIMITS.settleMs, integer: false },
  'hog-percent': {
    field: 'hogPercent',
    label: 'RAM the hog touched',
    unit: '%',
    ...LIMITS.hogPercent,
    integer: false,
    onlyFor: { workload: 'after-hog' },
  },
  seed: { field: 'seed', label: 'seed', unit: '', ...LIMITS.seed, integer: true },
  'cpu-throttle-initial': {
    field: 'cpuThrottleInitial',
    label: 'cpu-throttle-initial',
    unit: '%',
    ...LIMITS.cpuThrottle,
    integer: true,
    onlyFor: { autoConverge: true },
  },
  'cpu-throttle-increment': {
    field: 'cpuThrottleIncrement',
    label: 'cpu-throttle-increment',
    unit: '%',
    ...LIMITS.cpuThrottle,
    integer: true,
    onlyFor: { autoConverge: true },
  },
  'max-cpu-throttle': {
    field: 'maxCpuThrottle',
    label: 'max-cpu-throttle',
    unit: '%',
    ...LIMITS.cpuThrottle,
    integer: true,
    onlyFor: { autoConverge: true },
  },
} as const satisfies Record<string, SweepParamSpec>;

export type SweepParamId = keyof typeof SWEEP_PARAMS;
export const SWEEP_PARAM_IDS = Object.keys(SWEEP_PARAMS) as SweepParamId[];

export function isSweepParamId(v: string): v is SweepParamId {
  return Object.hasOwn(SWEEP_PARAMS, v);
}

export function paramSpec(id: SweepParamId): SweepParamSpec {
  return SWEEP_PARAMS[id];
}

/** "guest size (GiB)": the axis title. */
export function paramTitle(id: SweepParamId): string {
  const p = paramSpec(id);
  return p.unit ? `${p.label} (${p.unit})` : p.label;
}

/** Why sweeping `id` on `base` changes nothing, or null when it does. */
export function inertReason(id: SweepParamId, base: Scenario): string | null {
  const only = paramSpec(id).onlyFor;
  if (!only) return null;
  if ('workload' in only) {
    return base.workload === only.workload
      ? null
      : `${id} changes nothing here: it applies to the ${only.workload} workload and this scenario's is ${base.workload}`;
  }
  return base.autoConverge ? null : `${id} changes nothing here: auto-converge is off`;
}
