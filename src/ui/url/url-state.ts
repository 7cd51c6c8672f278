/**
 * The shareable view state in the URL query: a link reproduces what was on screen.
 *
 *   ?v=1&scenario=rfc-case-1&view=compare&a=pv&b=hint&gib=16&seed=7&settle=30000&speed=0.1&t=1250&play=1&present=1
 *   &from=524288&pages=4096   (the page map zoomed in to pages [from, from + pages))
 *   &pin=524300               (the pinned page)
 *   ?v=1&scenario=rfc-case-1&profile=wang-2018&view=hint   (a testbed brings its link, maxbw and downtime)
 *
 * `embed=1` shows only the view (page map, charts, clock) for an iframe in slides.
 * Tracking parameters that sharing adds (utm_*, fbclid, gclid) are ignored without a notice.
 *   ?workload=stress&ws=4&dirty=400&pattern=sequential&link=1&ac=1&ac-initial=30&ac-increment=20&ac-max=90
 *   ?scenario=rfc-case-2&hog=50   (the after-hog guest's hog reached only half of RAM)
 *
 * `view` is a mode id (that mode alone) or `compare`, whose two modes are `a` and `b` (default:
 * Original vs PV, the RFC's pair), or `sweep`:
 *   ?view=sweep&x=guest-gib&values=1:128:8:log&modes=original,pv,hint&y=speedup&over=original&seeds=3
 * (x: a sweep parameter, values as the CLI's --values, y: a metric; defaults: DEFAULT_SWEEP).
 * Versioned (`v`), validated field by field with zod: a malformed or out-of-range field is
 * reported and falls back to its default, the rest of the link still applies; it never throws.
 * Defaults are left out, so the plain address is the default view. `t` may go up to the run's
 * simulation cap (simCapMs: an hour, or longer for a big guest on a slow link).
 */
import * as z from 'zod/mini';
import { hasOwn, parseDecimal } from '../../engine/input';
import { PROFILES } from '../../engine/migration/profiles';
import { DEFAULT_PRESET, isPresetId, LIMITS, lazySchema, PRESET_IDS, type PresetId, presetOn, SCENARIO_PRESETS } from '../../engine/scenario';
import { simCapMs } from '../../engine/sim-cap';
import { type ModeId, type Scenario, STRESS_PATTERNS, WORKLOAD_IDS } from '../../engine/types';
import { assertNever, DEFAULT_SPEED } from '../../protocol/messages';
import { MIN_WINDOW_PAGES, type PageWindow } from '../../protocol/page-map-layout';
import { parseModeId, UI_MODES } from '../modes';
import { type MetricChoice, type MetricId, MAX_SEEDS, METRIC_IDS, parseValues, SWEEP_PARAM_IDS, SWEEP_PARAMS, type SweepParamId } from '../../sweep/index';
import { type CompareView, DEFAULT_COMPARE, DEFAULT_SWEEP, DEFAULT_VIEW, type SweepSettings, sameView, single, type View, viewLabel } from '../view';

export const URL_STATE_VERSION = 1;

/** What `view=` accepts: every mode, compare and sweep. */
const VIEW_WORDS: readonly string[] = [...UI_MODES, 'compare', 'sweep'];

/** The keys of view=sweep, in the order links write them. */
const SWEEP_KEYS = ['x', 'values', 'modes', 'y', 'over', 'seeds'] as const;

/** Scenario fields a link may override (everything but the mode, which `view` carries). */
type OverridableField = Exclude<keyof Scenario, 'id' | 'mode'>;
export type ScenarioOverrides = { -readonly [K in OverridableField]?: Scenario[K] };

/** The query key of each scenario field a link may set, in the order links write them. */
export const URL_KEYS = {
  profile: 'profile',
  guestGiB: 'gib',
  workload: 'workload',
  workingSetGiB: 'ws',
  dirtyMiBs: 'dirty',
  pattern: 'pattern',
  hogPercent: 'hog',
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
  /** Only the view, none of the page's actions (an iframe in slides). */
  embed: boolean;
  /** The page map's zoom window, or null for the whole guest. */
  zoom: PageWindow | null;
  /** The pinned page (a single page; a pinned cell depends on the bucketing and is not kept). */
  pin: number | null;
}

/** Pages in the largest guest (1024 GiB of 4 KiB pages): the bound of `from` and `pages`. */
const MAX_PAGES = LIMITS.guestGiB.max * 262_144;

export const DEFAULT_VIEW_STATE: ViewState = {
  presetId: DEFAULT_PRESET,
  view: DEFAULT_VIEW,
  overrides: {},
  speed: DEFAULT_SPEED,
  timeMs: 0,
  autoplay: false,
  present: false,
  embed: false,
  zoom: null,
  pin: null,
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

const modeField = (label: string) =>
  z.string().check(z.refine((v) => parseModeId(v) !== null, { message: `${label} must be one of ${UI_MODES.join(', ')}` }));

/**
 * Query key → validator, each built on first use (`fieldSchema`): zod builds a schema when it is
 * declared, and a link names a few of these (why: lazySchema in src/engine/scenario.ts).
 */
const FIELDS = {
  scenario: () => z.string().check(z.refine(isPresetId, { message: `scenario must be one of ${PRESET_IDS.join(', ')}` })),
  view: () => z.string().check(
    z.refine((v) => v === 'compare' || v === 'sweep' || parseModeId(v) !== null, { message: `view must be one of ${VIEW_WORDS.join(', ')}` }),
  ),
  x: () => z.enum(SWEEP_PARAM_IDS as [string, ...string[]], { error: `x (the sweep's parameter) must be one of ${SWEEP_PARAM_IDS.join(', ')}` }),
  // Checked against x once both are read (readSweep): the range depends on the parameter.
  values: () => z.string(),
  modes: () => z.string().check(
    z.refine((v) => v.split(',').every((m) => parseModeId(m) !== null), {
      message: `modes (the sweep's lines) must be a comma list of ${UI_MODES.join(', ')}`,
    }),
    z.refine((v) => new Set(v.split(',')).size === v.split(',').length, { message: 'modes (the sweep\'s lines) name a mode twice' }),
  ),
  y: () => z.enum(METRIC_IDS as [string, ...string[]], { error: `y (the sweep's metric) must be one of ${METRIC_IDS.join(', ')}` }),
  over: () => modeField('over (the mode a speed-up is measured against)'),
  seeds: () => num('seeds (per sweep point)', { min: 1, max: MAX_SEEDS }, true),
  a: () => modeField('a (left mode of view=compare)'),
  b: () => modeField('b (right mode of view=compare)'),
  gib: () => num('gib (guest size, GiB)', LIMITS.guestGiB),
  workload: () => z.enum(WORKLOAD_IDS as [string, ...string[]], { error: `workload must be one of ${WORKLOAD_IDS.join(', ')}` }),
  link: () => num('link (Gbit/s)', LIMITS.linkGbps),
  maxbw: () => num('maxbw (MiB/s)', LIMITS.maxBandwidthMiBs),
  downtime: () => num('downtime (ms)', LIMITS.downtimeMs),
  profile: () => z.string().check(
    z.refine((v) => hasOwn(PROFILES, v), { message: `profile must be one of ${Object.keys(PROFILES).join(', ')}` }),
  ),
  seed: () => num('seed', LIMITS.seed, true),
  settle: () => num('settle (ms before the migration)', LIMITS.settleMs),
  ws: () => num('ws (stress working set, GiB)', LIMITS.workingSetGiB),
  dirty: () => num('dirty (stress dirty rate, MiB/s)', LIMITS.dirtyMiBs),
  pattern: () => z.enum(STRESS_PATTERNS as [string, ...string[]], { error: `pattern must be one of ${STRESS_PATTERNS.join(', ')}` }),
  hog: () => num('hog (% of RAM the after-hog memory hog touched)', LIMITS.hogPercent),
  ac: () => flag('ac (auto-converge)'),
  'ac-initial': () => num('ac-initial (cpu-throttle-initial, %)', LIMITS.cpuThrottle, true),
  'ac-increment': () => num('ac-increment (cpu-throttle-increment, %)', LIMITS.cpuThrottle, true),
  'ac-max': () => num('ac-max (max-cpu-throttle, %)', LIMITS.cpuThrottle, true),
  speed: () => z.union([z.literal('max'), num('speed (sim ms per wall ms)', { min: 0.001, max: 10_000 })], {
    error: 'speed must be a number from 0.001 to 10000, or max',
  }),
  // The upper bound is the run's cap, checked once the scenario is known (parseUrlState).
  t: () => num('t (simulated ms)', { min: 0, max: Number.MAX_SAFE_INTEGER }),
  play: () => flag('play'),
  present: () => flag('present'),
  embed: () => flag('embed'),
  from: () => num('from (first page of the zoomed map)', { min: 0, max: MAX_PAGES - 1 }, true),
  pages: () => num('pages (pages the zoomed map shows)', { min: MIN_WINDOW_PAGES, max: MAX_PAGES }, true),
  pin: () => num('pin (pinned page)', { min: 0, max: MAX_PAGES - 1 }, true),
} as const;

/**
 * Parameters that link shorteners, newsletters and social sites append when a link is shared:
 * Google Analytics campaign tags (utm_source, utm_medium, …), Facebook's click id (fbclid) and
 * Google Ads' (gclid). They say nothing about the view, so they are dropped without a notice.
 */
export function isTrackingParam(key: string): boolean {
  return key.startsWith('utm_') || key === 'fbclid' || key === 'gclid';
}

/** A notice shows at most this many lines; the rest are counted in one more line. */
export const MAX_URL_NOTICES = 5;
/** Text copied from the link into a notice is cut to this many characters. */
export const MAX_QUOTED_CHARS = 40;

/** `text` cut to MAX_QUOTED_CHARS, with an ellipsis when it was longer. */
export function quoteText(text: string): string {
  return text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS - 1)}…` : text;
}

/**
 * The notices of a link as the page shows them: the same message once (with a count when it
 * came several times), at most MAX_URL_NOTICES lines, then how many more there were. A link
 * pasted with junk must not bury the page under its notice.
 */
export function capNotices(errors: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const e of errors) counts.set(e, (counts.get(e) ?? 0) + 1);
  const merged = [...counts].map(([e, n]) => (n > 1 ? `${e} (${n} times)` : e));
  if (merged.length <= MAX_URL_NOTICES) return merged;
  const rest = merged.length - (MAX_URL_NOTICES - 1);
  return [...merged.slice(0, MAX_URL_NOTICES - 1), `and ${rest} more problems with this link`];
}

type FieldKey = keyof typeof FIELDS;
type FieldSchema<K extends FieldKey> = ReturnType<(typeof FIELDS)[K]>;

/** FIELDS, each built on first use and kept. */
const FIELD_SCHEMAS = Object.fromEntries(
  Object.entries(FIELDS as Record<string, () => unknown>).map(([key, build]) => [key, lazySchema(build)]),
) as unknown as typeof FIELDS;

const fieldSchema = <K extends FieldKey>(key: K): FieldSchema<K> => FIELD_SCHEMAS[key]() as FieldSchema<K>;

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
    errors.push(`link version v=${quoteText(v)} is not known; read as v=${URL_STATE_VERSION}`);
  }
  for (const key of params.keys()) {
    // Own keys only: `__proto__` or `toString` are not link fields. Repeats merge in capNotices.
    if (key === 'v' || hasOwn(FIELDS, key) || isTrackingParam(key)) continue;
    errors.push(`unknown link field "${quoteText(key)}" ignored`);
  }
  for (const key of new Set(params.keys())) {
    const count = params.getAll(key).length;
    if (count > 1 && (key === 'v' || hasOwn(FIELDS, key))) errors.push(`link field "${key}" given ${count} times; using the first`);
  }
  const read = <K extends FieldKey>(key: K, fallback = 'using the default'): z.output<FieldSchema<K>> | undefined => {
    const raw = params.get(key);
    if (raw === null) return undefined;
    const r = fieldSchema(key).safeParse(raw);
    if (r.success) return r.data as z.output<FieldSchema<K>>;
    errors.push(`${r.error.issues[0]?.message ?? `${key} is malformed`} (got "${quoteText(raw)}"); ${fallback}`);
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
  const embed = read('embed');
  if (embed !== undefined) state.embed = embed;
  const from = read('from');
  const pages = read('pages');
  if (pages !== undefined) state.zoom = { first: from ?? 0, count: pages };
  else if (from !== undefined) errors.push('from needs pages (how many pages the zoomed map shows); ignored');
  const pin = read('pin');
  if (pin !== undefined) state.pin = pin;

  // Overrides equal to the preset's value on its testbed are not overrides.
  const preset = presetOn(state.presetId, state.overrides.profile);
  for (const k of Object.keys(o) as OverridableField[]) {
    if (k !== 'profile' && o[k] === preset[k]) delete o[k];
  }
  if (o.profile === SCENARIO_PRESETS[state.presetId].profile) delete o.profile;
  return { state, errors: capNotices(errors) };
}

/** Writes the view state as a query string ('' for the default view), leaving defaults out. */
export function serializeUrlState(state: ViewState): string {
  const p = new URLSearchParams();
  const preset = presetOn(state.presetId, state.overrides.profile);
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
    case 'sweep': {
      p.set('view', 'sweep');
      const s = v.sweep;
      const d = DEFAULT_SWEEP;
      if (s.param !== d.param) p.set('x', s.param);
      if (s.values !== d.values) p.set('values', s.values);
      if (s.modes.join(',') !== d.modes.join(',')) p.set('modes', s.modes.join(','));
      if (s.metric.id !== d.metric.id) p.set('y', s.metric.id);
      if (s.metric.id === 'speedup') p.set('over', s.metric.over);
      if (s.seeds !== d.seeds) p.set('seeds', String(s.seeds));
      break;
    }
    default:
      assertNever(v, 'view');
  }
  const o = state.overrides;
  for (const field of Object.keys(URL_KEYS) as OverridableField[]) {
    const value = o[field];
    // The testbed against the preset's own; every other field against the preset on that testbed.
    const base = field === 'profile' ? SCENARIO_PRESETS[state.presetId] : preset;
    if (value === undefined || value === base[field]) continue;
    p.set(URL_KEYS[field], typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  if (state.speed !== DEFAULT_VIEW_STATE.speed) p.set('speed', Number.isFinite(state.speed) ? String(state.speed) : 'max');
  if (state.timeMs > 0) p.set('t', String(Math.round(state.timeMs * 1000) / 1000));
  if (state.autoplay) p.set('play', '1');
  if (state.present) p.set('present', '1');
  if (state.embed) p.set('embed', '1');
  if (state.zoom) {
    if (state.zoom.first > 0) p.set('from', String(state.zoom.first));
    p.set('pages', String(state.zoom.count));
  }
  if (state.pin !== null) p.set('pin', String(state.pin));
  // Commas and colons need no escape in a query (RFC 3986: sub-delims and pchar), and
  // `modes=original,pv&values=1:128:8:log` reads better than its %2C and %3A.
  const q = p.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
  return q === '' ? '' : `?v=${URL_STATE_VERSION}&${q}`;
}

/** The scenario a view state describes, for one mode. */
export function scenarioOf(state: ViewState, mode: ModeId): Scenario {
  return { ...presetOn(state.presetId, state.overrides.profile), ...state.overrides, mode };
}

/**
 * The simulation cap of the run a view state describes: the time axis ends there at the latest.
 * (It depends on guest size, link and max-bandwidth only, each already within its range.)
 */
export function capOf(state: ViewState): number {
  return simCapMs(scenarioOf(state, 'original'));
}

type Reader = <K extends FieldKey>(key: K, fallback?: string) => z.output<FieldSchema<K>> | undefined;

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
  if (word !== 'sweep' && SWEEP_KEYS.some((k) => params.has(k))) {
    errors.push(`${SWEEP_KEYS.join(', ')} set up view=sweep; ignored`);
  }
  if (word === 'sweep') {
    if (hasA || hasB) errors.push('a and b choose the two modes of view=compare; ignored');
    return { kind: 'sweep', sweep: readSweep(read, errors) };
  }
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

/**
 * The sweep's settings: each key falls back to DEFAULT_SWEEP on its own; values that do not fit
 * the parameter (checked as the CLI checks --values) fall back to the default values when x is
 * the default parameter, and to x's whole range in 8 steps otherwise.
 */
function readSweep(read: Reader, errors: string[]): SweepSettings {
  const d = DEFAULT_SWEEP;
  const param = (read('x') as SweepParamId | undefined) ?? d.param;
  const fallbackValues = param === d.param ? d.values : `${SWEEP_PARAMS[param].min}:${SWEEP_PARAMS[param].max}:8`;
  let values = read('values') ?? fallbackValues;
  try {
    parseValues(values, param);
  } catch (e) {
    errors.push(`values: ${e instanceof Error ? e.message : String(e)} (got "${quoteText(values)}"); using ${fallbackValues}`);
    values = fallbackValues;
  }
  const modesText = read('modes');
  const modes = modesText === undefined ? d.modes : modesText.split(',').map((m) => parseModeId(m) as ModeId);
  const y = read('y') as MetricId | undefined;
  const over = read('over');
  let metric: MetricChoice = d.metric;
  if (y === 'speedup') metric = { id: 'speedup', over: (over === undefined ? null : parseModeId(over)) ?? modes[0] };
  else if (y !== undefined) metric = { id: y };
  if (over !== undefined && y !== 'speedup') errors.push('over names the mode of y=speedup; ignored');
  const seeds = read('seeds') ?? d.seeds;
  if (param === 'seed' && seeds > 1) errors.push('seeds must be 1 when x is the seed itself; using 1');
  return { param, values, modes, metric, seeds: param === 'seed' ? 1 : seeds };
}
