/**
 * Snapshots of a simulation's state, restored in place: the one mechanism behind the worker's
 * checkpoints (a seek re-simulates from the nearest one) and Reset (back to the first).
 *
 * A snapshot walks the object graph from a root (the Simulation) and records, per object, its own
 * properties; per array, its elements; per typed array, its contents. Restoring writes those back
 * into the same objects. Functions are kept by reference and not looked into: the closures the
 * engine keeps (scheduled actions, hooks) capture only the objects they act on, which are
 * restored themselves, so a closure recorded in a timer list acts on restored state. Mutable
 * state a closure keeps in a captured variable would be missed; the engine keeps none (a mode's
 * shared state is an object on its participant, `Participant.state`), and the property test
 * (test/engine/snapshot.test.ts) restores random snapshots of every mode and compares with
 * playing.
 *
 * Append-only arrays (event logs) keep only what was appended since the previous snapshot.
 * Size: bitmaps are run-length encoded by 32-bit word (a just-booted 1 TiB guest's bitmaps are
 * long runs of 0 or ~0), and an array whose contents did not change since the previous snapshot
 * of the same chain shares its stored copy: checkpoints are small, and incremental.
 */

/** What a snapshot keeps of one object, array or typed array. */
type Entry =
  | { kind: 'object'; obj: Record<string, unknown>; keys: string[]; values: unknown[] }
  | { kind: 'array'; obj: unknown[]; values: unknown[] }
  | { kind: 'append'; obj: unknown[]; tail: Tail }
  | { kind: 'typed'; obj: TypedArray; data: Stored };

type TypedArray =
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Float32Array
  | Float64Array;

/**
 * An append-only array as a snapshot saw it: its length, its last element, and the elements
 * appended since the previous snapshot's tail (a chain, so that a restore after the array was
 * cut back to an earlier snapshot can put the later elements back).
 */
interface Tail {
  readonly prev: Tail | null;
  readonly items: readonly unknown[];
  readonly length: number;
  readonly last: unknown;
}

/** A typed array's contents: a copy, or 32-bit words run-length encoded as (value, count) pairs. */
type Stored = { kind: 'copy'; copy: TypedArray } | { kind: 'rle'; runs: Uint32Array; words: number };

export class Snapshot {
  constructor(
    /** The object it was taken of. */
    readonly root: object,
    /** Simulated time it was taken at, ms. */
    readonly t: number,
    /** @internal */ readonly entries: readonly Entry[],
    /** Bytes of stored contents not shared with the previous snapshot. */
    readonly bytes: number,
    /** @internal per typed array, what was stored (for sharing by the next snapshot). */
    readonly stored: ReadonlyMap<TypedArray, Stored>,
    /** @internal per append-only array, its tail (continued by the next snapshot). */
    readonly tails: ReadonlyMap<unknown[], Tail>,
  ) {}
}

export interface CaptureOptions {
  /** Objects never recorded nor looked into (immutable inputs: the scenario, the profile). */
  skip?: readonly object[];
  /** Append-only arrays: only their length is recorded (event logs). */
  appendOnly?: readonly unknown[][];
  /** The previous snapshot of the same object graph: unchanged typed arrays share its copies. */
  previous?: Snapshot | null;
}

/** Typed arrays shorter than this are copied; longer Uint32Arrays are run-length encoded. */
const RLE_MIN_WORDS = 1024;

export function capture(root: object, t: number, options: CaptureOptions = {}): Snapshot {
  const skip = new Set<unknown>(options.skip ?? []);
  const appendOnly = new Set<unknown>(options.appendOnly ?? []);
  const previous = options.previous?.stored ?? null;
  const seen = new Set<object>();
  const entries: Entry[] = [];
  const stored = new Map<TypedArray, Stored>();
  const tails = new Map<unknown[], Tail>();
  let bytes = 0;
  const stack: object[] = [root];
  const visit = (v: unknown) => {
    if (typeof v === 'object' && v !== null && !seen.has(v) && !skip.has(v)) stack.push(v);
  };
  while (stack.length > 0) {
    const obj = stack.pop() as object;
    if (seen.has(obj)) continue;
    seen.add(obj);
    if (ArrayBuffer.isView(obj)) {
      if (obj instanceof DataView || obj instanceof BigInt64Array || obj instanceof BigUint64Array) {
        throw new Error('snapshot: unsupported typed array');
      }
      const arr = obj as TypedArray;
      const prev = previous?.get(arr);
      const fresh = store(arr);
      const data = prev !== undefined && sameStored(fresh, prev) ? prev : fresh;
      if (data !== prev) bytes += storedBytes(data);
      stored.set(arr, data);
      entries.push({ kind: 'typed', obj: arr, data });
      continue;
    }
    if (Array.isArray(obj)) {
      if (appendOnly.has(obj)) {
        const prev = options.previous?.tails.get(obj) ?? null;
        const continues = prev !== null && holds(obj, prev);
        const items = obj.slice(continues ? prev.length : 0);
        bytes += 8 * items.length;
        const tail: Tail = { prev: continues ? prev : null, items, length: obj.length, last: obj[obj.length - 1] };
        tails.set(obj, tail);
        entries.push({ kind: 'append', obj, tail });
        continue;
      }
      const values = obj.slice();
      bytes += 8 * values.length;
      entries.push({ kind: 'array', obj, values });
      for (const v of values) visit(v);
      continue;
    }
    if (obj instanceof Map || obj instanceof Set || obj instanceof WeakMap || obj instanceof WeakSet) {
      throw new Error('snapshot: Map and Set are not supported; keep engine state in objects and arrays');
    }
    const rec = obj as Record<string, unknown>;
    const keys = Object.keys(rec);
    const values = keys.map((k) => rec[k]);
    bytes += 16 * keys.length;
    entries.push({ kind: 'object', obj: rec, keys, values });
    for (const v of values) visit(v);
  }
  return new Snapshot(root, t, entries, bytes, stored, tails);
}

/** Writes a snapshot back into the objects it was taken from. */
export function restore(s: Snapshot): void {
  for (const e of s.entries) {
    switch (e.kind) {
      case 'object': {
        const { obj, keys, values } = e;
        for (const k of Object.keys(obj)) if (!keys.includes(k)) delete obj[k];
        for (let i = 0; i < keys.length; i++) obj[keys[i]] = values[i];
        break;
      }
      case 'array':
        e.obj.length = e.values.length;
        for (let i = 0; i < e.values.length; i++) e.obj[i] = e.values[i];
        break;
      case 'append':
        restoreTail(e.obj, e.tail);
        break;
      case 'typed':
        load(e.obj, e.data);
        break;
      default:
        assertNever(e);
    }
  }
}

/** Scratch for run-length encoding (grown to the longest bitmap seen; one per worker). */
let scratch = new Uint32Array(0);

/** The array still holds the tail's elements (it was not cut back before them since). */
function holds(arr: unknown[], tail: Tail): boolean {
  return arr.length >= tail.length && (tail.length === 0 || arr[tail.length - 1] === tail.last);
}

function restoreTail(arr: unknown[], tail: Tail): void {
  if (holds(arr, tail)) {
    arr.length = tail.length;
    return;
  }
  const chain: Tail[] = [];
  for (let t: Tail | null = tail; t !== null; t = t.prev) chain.push(t);
  arr.length = 0;
  for (let i = chain.length - 1; i >= 0; i--) for (const x of chain[i].items) arr.push(x);
}

function store(arr: TypedArray): Stored {
  if (!(arr instanceof Uint32Array) || arr.length < RLE_MIN_WORDS) return { kind: 'copy', copy: arr.slice() };
  // One pass; a copy instead once the runs would take half the array or more.
  const limit = arr.length >>> 1;
  if (scratch.length < limit) scratch = new Uint32Array(limit);
  const out = scratch;
  let k = 0;
  const n = arr.length;
  for (let i = 0; i < n; ) {
    const v = arr[i];
    let j = i + 1;
    while (j < n && arr[j] === v) j++;
    if (k + 2 > limit) return { kind: 'copy', copy: arr.slice() };
    out[k++] = v;
    out[k++] = j - i;
    i = j;
  }
  return { kind: 'rle', runs: out.slice(0, k), words: n };
}

function load(arr: TypedArray, data: Stored): void {
  if (data.kind === 'copy') {
    (arr as Uint8Array).set(data.copy as Uint8Array);
    return;
  }
  const words = arr as Uint32Array;
  let at = 0;
  for (let k = 0; k < data.runs.length; k += 2) {
    const n = data.runs[k + 1];
    words.fill(data.runs[k], at, at + n);
    at += n;
  }
}

/** Same contents stored the same way (both copies or both runs). */
function sameStored(a: Stored, b: Stored): boolean {
  const x = a.kind === 'copy' ? a.copy : a.runs;
  const y = b.kind === 'copy' ? b.copy : b.runs;
  if (a.kind !== b.kind || x.length !== y.length || x.constructor !== y.constructor) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function storedBytes(d: Stored): number {
  return d.kind === 'copy' ? d.copy.byteLength : d.runs.byteLength;
}

function assertNever(x: never): never {
  throw new Error(`snapshot: unknown entry ${JSON.stringify(x)}`);
}
