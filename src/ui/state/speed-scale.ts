/**
 * The speed slider's stops: simulated ms per wall ms on a roughly logarithmic 1-2.5-5 ladder,
 * from slow motion (0.01×: the 20 ms free-page exchange takes 2 s; 0.1×: RFC case 2's 7.4 s take
 * about 74 s) to "max", as fast as the engine runs.
 */
export const SPEED_STOPS: readonly number[] = [
  0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, Number.POSITIVE_INFINITY,
];

export function speedAt(stop: number): number {
  return SPEED_STOPS[Math.max(0, Math.min(SPEED_STOPS.length - 1, Math.round(stop)))];
}

/** The stop closest to `speed` on a log scale. */
export function stopOf(speed: number): number {
  if (!Number.isFinite(speed)) return SPEED_STOPS.length - 1;
  let best = 0;
  for (let i = 0; i < SPEED_STOPS.length - 1; i++) {
    if (Math.abs(Math.log(SPEED_STOPS[i] / speed)) < Math.abs(Math.log(SPEED_STOPS[best] / speed))) best = i;
  }
  return best;
}
