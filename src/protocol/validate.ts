/**
 * Checks a message at the worker boundary. The ToWorker union says what the UI means to send;
 * structured clone delivers whatever was actually sent, so the worker checks every field before
 * it acts: a non-integer pfn once left a hover query unanswered, a NaN viewport put NaN into every
 * later frame. Hand-written (a dozen shapes, each a few lines) so the worker needs no schema
 * library of its own; the scenario inside `load` is the engine's to validate (validateScenario).
 */
import { MODE_IDS } from '../engine/migration/modes';
import { MAX_FRAME_INTERVAL_MS, type ToWorker } from './messages';

/**
 * Largest page-map area accepted, CSS px a side: Chrome and Firefox cap a canvas side at
 * 32,767 px, so nothing larger can be painted.
 */
export const MAX_VIEWPORT_PX = 32_767;

/** A query the worker must answer even when the rest of it is malformed. */
export interface QueryId {
  type: 'pageInfo' | 'cellSummary';
  requestId: number;
}

export type CheckedMessage = { ok: true; msg: ToWorker } | { ok: false; error: string; query: QueryId | null };

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isIndex = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;

/** The message if every field is what ToWorker says, else why not (and which query to answer). */
export function checkToWorker(data: unknown): CheckedMessage {
  if (!isObject(data) || typeof data.type !== 'string') return bad('a message must be an object with a string type');
  const m = data;
  const type = m.type as string;
  switch (type) {
    case 'play':
    case 'pause':
    case 'step':
    case 'reset':
    case 'runToEnd':
    case 'timeline':
    case 'cancel':
      return { ok: true, msg: { type } };
    case 'load':
      return isObject(m.scenario) ? good(m) : bad('load needs a scenario object');
    case 'setMode':
      return typeof m.mode === 'string' && (MODE_IDS as readonly string[]).includes(m.mode)
        ? good(m)
        : bad(`setMode: mode must be one of ${MODE_IDS.join(', ')}`);
    case 'seek':
      return typeof m.simMs === 'number' && Number.isFinite(m.simMs) && m.simMs >= 0
        ? good(m)
        : bad(`cannot seek to ${String(m.simMs)} ms`);
    case 'setSpeed':
      // Infinity is a speed (as fast as the engine runs); NaN, zero and negatives are not.
      return typeof m.simMsPerWallMs === 'number' && m.simMsPerWallMs > 0
        ? good(m)
        : bad(`speed must be positive, got ${String(m.simMsPerWallMs)}`);
    case 'setFrameInterval':
      return typeof m.ms === 'number' && m.ms >= 0 && m.ms <= MAX_FRAME_INTERVAL_MS
        ? good(m)
        : bad(`setFrameInterval: ms must be from 0 to ${MAX_FRAME_INTERVAL_MS}, got ${String(m.ms)}`);
    case 'setViewport': {
      const ok = (v: unknown) => typeof v === 'number' && v >= 1 && v <= MAX_VIEWPORT_PX;
      if (!(ok(m.width) && ok(m.height))) {
        return bad(`setViewport: width and height must be from 1 to ${MAX_VIEWPORT_PX} px, got ${String(m.width)} x ${String(m.height)}`);
      }
      // The zoom window, when there is one: whole pages, at least one.
      const w = m.window;
      if (w !== undefined && !(isObject(w) && isIndex(w.first) && isIndex(w.count) && w.count >= 1)) {
        return bad('setViewport: window must be {first, count} with a page index and a positive count');
      }
      return good(m);
    }
    case 'pageHistory':
      // Answered with null when the pfn is out of range; a malformed request cannot be answered.
      return isIndex(m.requestId) && isIndex(m.pfn) ? good(m) : bad('pageHistory: requestId and pfn must be non-negative integers');
    case 'returnBuffer':
      return m.buffer instanceof ArrayBuffer ? good(m) : bad('returnBuffer needs an ArrayBuffer');
    case 'pageInfo':
    case 'cellSummary': {
      if (!isIndex(m.requestId)) return bad(`${type}: requestId must be a non-negative integer`);
      const query: QueryId = { type, requestId: m.requestId };
      if (!isIndex(type === 'pageInfo' ? m.pfn : m.firstPfn)) {
        return bad(`${type}: ${type === 'pageInfo' ? 'pfn' : 'firstPfn'} must be a non-negative integer`, query);
      }
      if (type === 'cellSummary' && !(isIndex(m.pages) && m.pages >= 1)) {
        return bad('cellSummary: pages must be a positive integer', query);
      }
      return good(m);
    }
    default:
      return bad(`unknown message type "${type}"`);
  }
}

// The fields were checked above, field by field, against the member of ToWorker named by `type`.
const good = (m: Record<string, unknown>): CheckedMessage => ({ ok: true, msg: m as unknown as ToWorker });
const bad = (error: string, query: QueryId | null = null): CheckedMessage => ({ ok: false, error, query });
