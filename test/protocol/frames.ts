import type { FrameMessage } from '../../src/protocol';

/** A frame's page-map cells; fails the test when the frame came without (see FrameMessage.cells). */
export function cellsOf(f: FrameMessage): Uint8Array {
  if (!f.cells) throw new Error(`frame at ${f.simTimeMs} ms has no cells`);
  return f.cells;
}
