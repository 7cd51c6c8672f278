/**
 * The mode registry: every migration mode, one line each. A mode is one file in this folder
 * implementing ModeDefinition (mode.ts); ModeId lists the ids and the registry must have exactly
 * one entry per id (a missing or extra entry does not compile). The UI describes each mode in
 * one row of src/ui/modes.ts, keyed by the same ids.
 */
import { hint } from './hint';
import type { ModeDefinition } from './mode';
import { original } from './original';
import { pagemap } from './pagemap';
import { pv } from './pv';
import { report } from './report';

export type ModeId = 'original' | 'pv' | 'pagemap' | 'hint' | 'report';

export const MODES = {
  original,
  pv,
  pagemap,
  hint,
  report,
} as const satisfies { readonly [M in ModeId]: ModeDefinition<string> };

/** Every mode id, in the registry's order. */
export const MODE_IDS = Object.keys(MODES) as readonly ModeId[];

/** Every counter key any mode adds to query-migrate's `migviz` object. */
export type ModeCounterKey = {
  [M in ModeId]: (typeof MODES)[M]['counters'][number]['key'];
}[ModeId];

/** True for an id in the registry (own property: `toString` or `__proto__` is not a mode). */
export function isModeId(id: unknown): id is ModeId {
  return typeof id === 'string' && Object.hasOwn(MODES, id);
}

export function getMode(id: ModeId): ModeDefinition<string> {
  return MODES[id];
}
