/**
 * The shareable view state in the URL query: a link reproduces what was on screen.
 *
 *   ?v=1&scenario=rfc-case-1&view=compare&gib=16&seed=7&speed=0.1&t=1250&play=1&present=1
 *
 * Versioned (`v`), validated field by field with zod: a malformed or out-of-range field is
 * reported and falls back to its default, the rest of the link still applies; it never throws.
 * Defaults are left out, so the plain address is the default view.
 */
import * as z from 'zod/mini';
import { hasOwn, parseDecimal } from '../../engine/input';
import { DEFAULT_PRESET, isPresetId, LIMITS, PRESET_IDS, type PresetId, SCENARIO_PRESETS } from '../../engine/scenario';
import { type ModeId, type Scenario, WORKLOAD_IDS } from '../../engine/types';
import { DEFAULT_SPEED } from '../../protocol/messages';

export const URL_STATE_VERSION = 1;

export type ViewMode = ModeId | 'compare';
export const VIEW_MODES: readonly ViewMode[] = ['original', 'pv', 'pagemap', 'hint', 'compare'];

/** Scenario fields a link may override (everything but the mode, which `view` carries). */
type OverridableField = 'guestGiB' | 'workload' | 'linkGbps' | 'maxBandwidthMiBs' | 'downtimeMs' | 'seed';
export type ScenarioOverrides = { -readonly [K in OverridableField]?: Scenario[K] };

export interface ViewState {
  presetId: PresetId;
  view: ViewMode;
  overrides: ScenarioOverrides;
  /** Simulated ms per wall ms; Infinity = as fast as the engine runs. */
  speed: number;
  /** Time cursor, simulated ms. */
  timeMs: number;
  autoplay: boolean;
  present: boolean;
}

export const DEFAULT_VIEW_STATE: ViewState = {
  presetId: DEFAULT_PRESET,
  view: 'original',
  overrides: {},
  speed: DEFAULT_SPEED,
  timeMs: 0,
  autoplay: false,
  present: false,
};

/**
 * A number in plain decimal (parseDecimal): `?gib=0x10` is not 16 and `?seed=` is not 0, as
 * Number() would read them; both are reported.
 */
const num = (label: string, lim: { min: number; max: number }, integer = false) =>
  z.pipe(
    z.pipe(
      z.string().check(z.refine((s) => parseDecimal(s) !== null, { message: `${label} must be a decimal number` })),
      z.transform((s) => parseDecimal(s) as number),
    ),
    z.number().check(
      z.refine((v) => v >= lim.min && v <= lim.max, { message: `${label} must be from ${lim.min} to ${lim.max}` }),
      z.refine((v) => !integer || Number.isInteger(v), { message: `${label} must be an integer` }),
    ),
  );

const flag = (label: string) =>
  z.pipe(
    z.enum(['0', '1'], { error: `${label} must be 0 or 1` }),
    z.transform((v) => v === '1'),
  );

/** Query key → validator and where the value goes. */
const FIELDS = {
  scenario: z.string().check(z.refine(isPresetId, { message: `scenario must be one of ${PRESET_IDS.join(', ')}` })),
  view: z.enum(VIEW_MODES as [ViewMode, ...ViewMode[]], { error: `view must be one of ${VIEW_MODES.join(', ')}` }),
  gib: num('gib (guest size, GiB)', LIMITS.guestGiB),
  workload: z.enum(WORKLOAD_IDS as [string, ...string[]], { error: `workload must be one of ${WORKLOAD_IDS.join(', ')}` }),
  link: num('link (Gbit/s)', LIMITS.linkGbps),
  maxbw: num('maxbw (MiB/s)', LIMITS.maxBandwidthMiBs),
  downtime: num('downtime (ms)', LIMITS.downtimeMs),
  seed: num('seed', LIMITS.seed, true),
  speed: z.union([z.literal('max'), num('speed (sim ms per wall ms)', { min: 0.001, max: 10_000 })], {
    error: 'speed must be a number from 0.001 to 10000, or max',
  }),
  t: num('t (simulated ms)', { min: 0, max: 600_000 }),
  play: flag('play'),
  present: flag('present'),
} as const;

type FieldKey = keyof typeof FIELDS;

export interface ParsedUrlState {
  state: ViewState;
  /** One message per rejected field; the field took its default. */
  errors: string[];
}

/** Reads the view state from a query string (with or without the leading '?'). Never throws. */
export function parseUrlState(search: string): ParsedUrlState {
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const errors: string[] = [];
  const state: ViewState = { ...DEFAULT_VIEW_STATE, overrides: {} };

  const v = params.get('v');
  if (v !== null && v !== String(URL_STATE_VERSION)) {
    errors.push(`link version v=${v} is not known; read as v=${URL_STATE_VERSION}`);
  }
  // One notice per key however often it repeats; own keys only (`__proto__` is unknown too).
  for (const key of new Set(params.keys())) {
    const count = params.getAll(key).length;
    if (key !== 'v' && !hasOwn(FIELDS, key)) errors.push(`unknown link field "${key}" ignored`);
    else if (count > 1) errors.push(`link field "${key}" given ${count} times; using the first`);
  }
  const read = <K extends FieldKey>(key: K): z.output<(typeof FIELDS)[K]> | undefined => {
    const raw = params.get(key);
    if (raw === null) return undefined;
    const r = FIELDS[key].safeParse(raw);
    if (r.success) return r.data as z.output<(typeof FIELDS)[K]>;
    errors.push(`${r.error.issues[0]?.message ?? `${key} is malformed`} (got "${raw}"); using the default`);
    return undefined;
  };

  const scenario = read('scenario');
  if (scenario !== undefined) state.presetId = scenario as PresetId;
  const view = read('view');
  if (view !== undefined) state.view = view;
  const o = state.overrides;
  const gib = read('gib');
  if (gib !== undefined) o.guestGiB = gib;
  const workload = read('workload');
  if (workload !== undefined) o.workload = workload as Scenario['workload'];
  const link = read('link');
  if (link !== undefined) o.linkGbps = link;
  const maxbw = read('maxbw');
  if (maxbw !== undefined) o.maxBandwidthMiBs = maxbw;
  const downtime = read('downtime');
  if (downtime !== undefined) o.downtimeMs = downtime;
  const seed = read('seed');
  if (seed !== undefined) o.seed = seed;
  const speed = read('speed');
  if (speed !== undefined) state.speed = speed === 'max' ? Number.POSITIVE_INFINITY : speed;
  const t = read('t');
  if (t !== undefined) state.timeMs = t;
  const play = read('play');
  if (play !== undefined) state.autoplay = play;
  const present = read('present');
  if (present !== undefined) state.present = present;

  // Overrides equal to the preset's value are not overrides.
  const preset = SCENARIO_PRESETS[state.presetId];
  for (const k of Object.keys(o) as (keyof ScenarioOverrides)[]) {
    if (o[k] === preset[k]) delete o[k];
  }
  return { state, errors };
}

/** Writes the view state as a query string ('' for the default view), leaving defaults out. */
export function serializeUrlState(state: ViewState): string {
  const p = new URLSearchParams();
  const preset = SCENARIO_PRESETS[state.presetId];
  if (state.presetId !== DEFAULT_VIEW_STATE.presetId) p.set('scenario', state.presetId);
  if (state.view !== DEFAULT_VIEW_STATE.view) p.set('view', state.view);
  const o = state.overrides;
  const put = (key: string, field: keyof ScenarioOverrides) => {
    const value = o[field];
    if (value !== undefined && value !== preset[field]) p.set(key, String(value));
  };
  put('gib', 'guestGiB');
  put('workload', 'workload');
  put('link', 'linkGbps');
  put('maxbw', 'maxBandwidthMiBs');
  put('downtime', 'downtimeMs');
  put('seed', 'seed');
  if (state.speed !== DEFAULT_VIEW_STATE.speed) p.set('speed', Number.isFinite(state.speed) ? String(state.speed) : 'max');
  if (state.timeMs > 0) p.set('t', String(Math.round(state.timeMs * 1000) / 1000));
  if (state.autoplay) p.set('play', '1');
  if (state.present) p.set('present', '1');
  const q = p.toString();
  return q === '' ? '' : `?v=${URL_STATE_VERSION}&${q}`;
}

/** The scenario a view state describes, for one mode. */
export function scenarioOf(state: ViewState, mode: ModeId): Scenario {
  return { ...SCENARIO_PRESETS[state.presetId], ...state.overrides, mode };
}
