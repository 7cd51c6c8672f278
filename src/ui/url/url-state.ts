/**
 * The shareable view state in the URL query: a link reproduces what was on screen.
 *
 *   ?v=1&scenario=rfc-case-1&view=compare&a=pv&b=hint&gib=16&seed=7&settle=30000&speed=0.1&t=1250&play=1&present=1
 *   ?workload=stress&ws=4&dirty=400&pattern=sequential&link=1&ac=1&ac-initial=30&ac-increment=20&ac-max=90
 *
 * `view` is a mode id (that mode alone) or `compare`, whose two modes are `a` and `b` (default:
 * Original vs PV, the RFC's pair).
 * Versioned (`v`), validated field by field with zod: a malformed or out-of-range field is
 * reported and falls back to its default, the rest of the link still applies; it never throws.
 * Defaults are left out, so the plain address is the default view. `t` may go up to the run's
 * simulation cap (simCapMs: an hour, or longer for a big guest on a slow link).
 */
import * as z from 'zod/mini';
import { DEFAULT_PRESET, isPresetId, LIMITS, PRESET_IDS, type PresetId, SCENARIO_PRESETS } from '../../engine/scenario';
import { simCapMs } from '../../engine/sim-cap';
import { type ModeId, type Scenario, STRESS_PATTERNS, WORKLOAD_IDS } from '../../engine/types';
import { assertNever, DEFAULT_SPEED } from '../../protocol/messages';
import { parseModeId, UI_MODES } from '../modes';
import { type CompareView, DEFAULT_COMPARE, DEFAULT_VIEW, sameView, single, type View, viewLabel } from '../view';

export const URL_STATE_VERSION = 1;

/** What `view=` accepts: every mode, and compare. */
const VIEW_WORDS: readonly string[] = [...UI_MODES, 'compare'];

/** Scenario fields a link may override (everything but the mode, which `view` carries). */
type OverridableField = Exclude<keyof Scenario, 'id' | 'mode' | 'profile'>;
export type ScenarioOverrides = { -readonly [K in OverridableField]?: Scenario[K] };

/** The query key of each scenario field a link may set, in the order links write them. */
export const URL_KEYS = {
  guestGiB: 'gib',
  workload: 'workload',
  workingSetGiB: 'ws',
  dirtyMiBs: 'dirty',
  pattern: 'pattern',
  linkGbps: 'link',
  maxBandwidthMiBs: 'maxbw',
  downtimeMs: 'downtime',
  autoConverge: 'ac',
  cpuThrottleInitial: 'ac-initial',
  cpuThrottleIncrement: 'ac-increment',
  maxCpuThrottle: 'ac-max',
  seed: 'seed',
  settleMs: 'settle',
} as const satisfies Record<OverridableField, string>;

export interface ViewState {
  presetId: PresetId;
  view: View;
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
  view: DEFAULT_VIEW,
  overrides: {},
  speed: DEFAULT_SPEED,
  timeMs: 0,
  autoplay: false,
  present: false,
};

const num = (label: string, lim: { min: number; max: number }, integer = false) =>
  z.coerce.number({ error: `${label} must be a number` }).check(
    z.refine((v) => Number.isFinite(v), { message: `${label} must be a number` }),
    z.refine((v) => v >= lim.min && v <= lim.max, { message: `${label} must be from ${lim.min} to ${lim.max}` }),
    z.refine((v) => !integer || Number.isInteger(v), { message: `${label} must be an integer` }),
  );

const flag = (label: string) =>
  z.pipe(
    z.enum(['0', '1'], { error: `${label} must be 0 or 1` }),
    z.transform((v) => v === '1'),
  );

const modeField = (label: string) =>
  z.string().check(z.refine((v) => parseModeId(v) !== null, { message: `${label} must be one of ${UI_MODES.join(', ')}` }));

/** Query key → validator and where the value goes. */
const FIELDS = {
  scenario: z.string().check(z.refine(isPresetId, { message: `scenario must be one of ${PRESET_IDS.join(', ')}` })),
  view: z.string().check(
    z.refine((v) => v === 'compare' || parseModeId(v) !== null, { message: `view must be one of ${VIEW_WORDS.join(', ')}` }),
  ),
  a: modeField('a (left mode of view=compare)'),
  b: modeField('b (right mode of view=compare)'),
  gib: num('gib (guest size, GiB)', LIMITS.guestGiB),
  workload: z.enum(WORKLOAD_IDS as [string, ...string[]], { error: `workload must be one of ${WORKLOAD_IDS.join(', ')}` }),
  link: num('link (Gbit/s)', LIMITS.linkGbps),
  maxbw: num('maxbw (MiB/s)', LIMITS.maxBandwidthMiBs),
  downtime: num('downtime (ms)', LIMITS.downtimeMs),
  seed: num('seed', LIMITS.seed, true),
  settle: num('settle (ms before the migration)', LIMITS.settleMs),
  ws: num('ws (stress working set, GiB)', LIMITS.workingSetGiB),
  dirty: num('dirty (stress dirty rate, MiB/s)', LIMITS.dirtyMiBs),
  pattern: z.enum(STRESS_PATTERNS as [string, ...string[]], { error: `pattern must be one of ${STRESS_PATTERNS.join(', ')}` }),
  ac: flag('ac (auto-converge)'),
  'ac-initial': num('ac-initial (cpu-throttle-initial, %)', LIMITS.cpuThrottle, true),
  'ac-increment': num('ac-increment (cpu-throttle-increment, %)', LIMITS.cpuThrottle, true),
  'ac-max': num('ac-max (max-cpu-throttle, %)', LIMITS.cpuThrottle, true),
  speed: z.union([z.literal('max'), num('speed (sim ms per wall ms)', { min: 0.001, max: 10_000 })], {
    error: 'speed must be a number from 0.001 to 10000, or max',
  }),
  // The upper bound is the run's cap, checked once the scenario is known (parseUrlState).
  t: num('t (simulated ms)', { min: 0, max: Number.MAX_SAFE_INTEGER }),
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
  for (const key of params.keys()) {
    // Own keys only: `__proto__` or `toString` are not link fields.
    if (key !== 'v' && !Object.hasOwn(FIELDS, key)) errors.push(`unknown link field "${key}" ignored`);
  }
  const read = <K extends FieldKey>(key: K, fallback = 'using the default'): z.output<(typeof FIELDS)[K]> | undefined => {
    const raw = params.get(key);
    if (raw === null) return undefined;
    const r = FIELDS[key].safeParse(raw);
    if (r.success) return r.data as z.output<(typeof FIELDS)[K]>;
    errors.push(`${r.error.issues[0]?.message ?? `${key} is malformed`} (got "${raw}"); ${fallback}`);
    return undefined;
  };

  const scenario = read('scenario');
  if (scenario !== undefined) state.presetId = scenario as PresetId;
  state.view = readView(params, read, errors);
  const o = state.overrides as Record<OverridableField, unknown>;
  for (const field of Object.keys(URL_KEYS) as OverridableField[]) {
    const value = read(URL_KEYS[field]);
    if (value !== undefined) o[field] = value;
  }
  const speed = read('speed');
  if (speed !== undefined) state.speed = speed === 'max' ? Number.POSITIVE_INFINITY : speed;
  const t = read('t');
  if (t !== undefined) {
    const cap = capOf(state);
    if (t <= cap) state.timeMs = t;
    else errors.push(`t (simulated ms) must be from 0 to ${cap}, this run's simulation cap (got "${params.get('t')}"); using the default`);
  }
  const play = read('play');
  if (play !== undefined) state.autoplay = play;
  const present = read('present');
  if (present !== undefined) state.present = present;

  // Overrides equal to the preset's value are not overrides.
  const preset = SCENARIO_PRESETS[state.presetId];
  for (const k of Object.keys(o) as OverridableField[]) {
    if (o[k] === preset[k]) delete o[k];
  }
  return { state, errors };
}

/** Writes the view state as a query string ('' for the default view), leaving defaults out. */
export function serializeUrlState(state: ViewState): string {
  const p = new URLSearchParams();
  const preset = SCENARIO_PRESETS[state.presetId];
  if (state.presetId !== DEFAULT_VIEW_STATE.presetId) p.set('scenario', state.presetId);
  const v = state.view;
  switch (v.kind) {
    case 'single':
      if (!sameView(v, DEFAULT_VIEW)) p.set('view', v.mode);
      break;
    case 'compare':
      p.set('view', 'compare');
      if (v.a !== DEFAULT_COMPARE.a || v.b !== DEFAULT_COMPARE.b) {
        p.set('a', v.a);
        p.set('b', v.b);
      }
      break;
    default:
      assertNever(v, 'view');
  }
  const o = state.overrides;
  for (const field of Object.keys(URL_KEYS) as OverridableField[]) {
    const value = o[field];
    if (value === undefined || value === preset[field]) continue;
    p.set(URL_KEYS[field], typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
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

/**
 * The simulation cap of the run a view state describes: the time axis ends there at the latest.
 * (It depends on guest size, link and max-bandwidth only, each already within its range.)
 */
export function capOf(state: ViewState): number {
  return simCapMs(scenarioOf(state, 'original'));
}

type Reader = <K extends FieldKey>(key: K, fallback?: string) => z.output<(typeof FIELDS)[K]> | undefined;

/**
 * `view`, `a` and `b` together. A missing side of a compare takes the default pair's side (or
 * the other one, if that is the mode given for the other side); a bad mode on either side, or
 * the same mode twice, falls back to the default pair with a notice.
 */
function readView(params: URLSearchParams, read: Reader, errors: string[]): View {
  const word = read('view');
  const pairText = `comparing ${viewLabel(DEFAULT_COMPARE)}`;
  const hasA = params.has('a');
  const hasB = params.has('b');
  if (word !== 'compare') {
    if (hasA || hasB) errors.push('a and b choose the two modes of view=compare; ignored');
    const mode = word === undefined ? null : parseModeId(word);
    return mode === null ? DEFAULT_VIEW : single(mode);
  }
  const rawA = read('a', pairText);
  const rawB = read('b', pairText);
  if ((hasA && rawA === undefined) || (hasB && rawB === undefined)) return DEFAULT_COMPARE;
  const a = rawA === undefined ? undefined : parseModeId(rawA);
  const b = rawB === undefined ? undefined : parseModeId(rawB);
  if (a && b && a === b) {
    errors.push(`a and b must be two different modes (got both "${a}"); ${pairText}`);
    return DEFAULT_COMPARE;
  }
  const other = (given: ModeId | null | undefined, own: ModeId, theirs: ModeId): ModeId => (given === own ? theirs : own);
  const pair: CompareView = {
    kind: 'compare',
    a: a ?? other(b, DEFAULT_COMPARE.a, DEFAULT_COMPARE.b),
    b: b ?? other(a, DEFAULT_COMPARE.b, DEFAULT_COMPARE.a),
  };
  return pair;
}
