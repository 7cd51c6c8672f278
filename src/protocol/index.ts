/**
 * src/protocol — what the UI and the simulation worker say to each other (message unions,
 * playback constants) and the page-map grid layout both sides must agree on. No runtime
 * dependencies beyond engine *types*.
 */
export * from './messages';
export * from './page-map-layout';
