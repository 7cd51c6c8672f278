/**
 * The engine checks its own invariants where that is cheap, and throws instead of looping: a
 * count that disagrees with its bitmap, a clock that is not a number, a clock that stops. A bug
 * then fails a test (or shows an error in the page) with a message, rather than hanging.
 */
export class EngineInvariantError extends Error {
  override name = 'EngineInvariantError';
}

export function invariant(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new EngineInvariantError(`engine invariant broken: ${message()}`);
}
