/**
 * The engine checks its own invariants where that is cheap, and throws instead of looping: a
 * count that disagrees with its bitmap, a clock that is not a number, a clock that stops. A bug
 * then fails a test (or shows an error in the page) with a message, rather than hanging.
 */
export class EngineInvariantError extends Error {
  override name = 'EngineInvariantError';
}

/** Throws the invariant's error. Callers test the condition inline (`if (bad) broken(...)`):
 * the checks run after every unit of work, where even a closure per call would show. */
export function broken(message: string): never {
  throw new EngineInvariantError(`engine invariant broken: ${message}`);
}
