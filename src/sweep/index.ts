/**
 * Sweeps: many runs of one scenario along one parameter, per mode and seed. Pure planning,
 * metrics, caching and pooling; the workers themselves are the client's (Web Workers) and the
 * CLI's (worker threads).
 */
export * from './params';
export * from './plan';
export * from './metrics';
export * from './cache';
export * from './pool';
export * from './port-worker';
