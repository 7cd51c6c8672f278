import type { FrameMessage } from '../../src/protocol';

/** A frame's page-map cells; fails the test when the frame came without (see FrameMessage.cells). */
export function cellsOf(f: FrameMessage): Uint8Array {
  if (!f.cells) throw new Error(`frame at ${f.simTimeMs} ms has no cells`);
  return f.cells;
}

/** A frame message for tests: a paused 4-page run on a 2x2 map, no events, no series points. */
export function frameMessage(over: Partial<FrameMessage> = {}): FrameMessage {
  return {
    type: 'frame',
    epoch: 1,
    ack: 0,
    simTimeMs: 0,
    phase: 'setup',
    round: 0,
    cursor: 0,
    playing: false,
    done: false,
    pageCount: 4,
    stats: null as unknown as FrameMessage['stats'],
    cells: new Uint8Array(4),
    layout: { bucketShift: 0, cells: 4, cols: 2, rows: 2, scale: 1, firstPfn: 0 },
    events: [],
    virtqueue: null as unknown as FrameMessage['virtqueue'],
    series: {
      replace: false,
      t: new Float64Array(),
      transferred: new Float64Array(),
      remaining: new Float64Array(),
      threshold: new Float64Array(),
      dirtyRate: new Float64Array(),
      sendRate: new Float64Array(),
      throttle: new Float64Array(),
    },
    ...over,
  };
}
