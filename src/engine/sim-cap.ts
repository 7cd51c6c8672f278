/**
 * The simulation's time cap, in its own small module: the UI's link parser and timeline need it
 * on the main thread, without pulling in the whole engine (simulation.ts re-exports it).
 *
 * Runs that have not completed by their cap end as failed (outcome `sim-time-cap`), as QEMU would
 * go on forever. The cap is at least an hour of simulated time, so that a slow link or a run
 * auto-converge rescues has room to finish.
 */
import { getProfile, type HostProfile } from './migration/profiles';
import type { Scenario } from './types';

export const MIN_SIM_CAP_MS = 3_600_000;
/** ...and at least this many passes over all of guest RAM at the binding rate. */
const CAP_PASSES = 3;

/** Link goodput of a scenario on a profile, bytes per ms. */
export function linkBytesPerMs(s: Scenario, profile: HostProfile): number {
  return (s.linkGbps * 1e9 * profile.linkEfficiency) / 8 / 1000;
}

/**
 * The simulated time at which a run that has not completed stops: an hour, or CAP_PASSES passes
 * over all of guest RAM at min(link goodput, max-bandwidth) when that is longer.
 */
export function simCapMs(s: Scenario, profile: HostProfile = getProfile(s.profile)): number {
  const bytesPerMs = Math.min(linkBytesPerMs(s, profile), (s.maxBandwidthMiBs * 1048576) / 1000);
  const passMs = (s.guestGiB * 2 ** 30) / bytesPerMs;
  return Math.max(MIN_SIM_CAP_MS, Math.ceil((CAP_PASSES * passMs) / 1000) * 1000);
}
