/**
 * jsdom has no 2D canvas. This fake implements just what PageMapView calls and records the
 * ImageData it is given, so tests can look at the pixels that would be on screen.
 */
import { vi } from 'vitest';

export interface FakeImageData {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export function installCanvasFake(): { puts: FakeImageData[]; texts: string[]; draws: unknown[][]; restore: () => void } {
  const puts: FakeImageData[] = [];
  /** Every drawImage's arguments after the image, in order. */
  const draws: unknown[][] = [];
  /** Every fillText, in order (export captions). */
  const texts: string[] = [];
  const ctx = () => ({
    createImageData: (w: number, h: number): FakeImageData => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) }),
    putImageData: (img: FakeImageData) => puts.push(img),
    drawImage: (_image: unknown, ...args: unknown[]) => draws.push(args),
    setTransform: () => {},
    beginPath: () => {},
    arc: () => {},
    moveTo: () => {},
    lineTo: () => {},
    stroke: () => {},
    fillRect: () => {},
    strokeRect: () => {},
    fillText: (text: string) => texts.push(text),
    font: '',
    fillStyle: '',
    imageSmoothingEnabled: true,
    lineWidth: 1,
    strokeStyle: '',
  });
  const spy = vi
    .spyOn(HTMLCanvasElement.prototype, 'getContext')
    .mockImplementation(((kind: string) => (kind === '2d' ? ctx() : null)) as unknown as HTMLCanvasElement['getContext']);
  return { puts, texts, draws, restore: () => spy.mockRestore() };
}

/** Pixels of an ImageData as 32-bit words (same byte order as the painter's LUT). */
export function words(img: FakeImageData): Uint32Array {
  return new Uint32Array(img.data.buffer);
}
