/**
 * What the UI says and shows about each migration mode, in one place.
 * `pagemap` and `hint` are not in the RFC's table: pagemap is the host-side alternative from the
 * RFC thread ("why not skip untouched pages without asking the guest?"), hint is what upstream
 * merged instead of the RFC (free page hinting, QEMU 4.0 / Linux 4.20).
 */
import type { ModeId } from '../engine/types';
import type { Theme } from './theme';

export const MODE_LABEL: Readonly<Record<ModeId, string>> = {
  original: 'Original',
  pv: 'PV',
  pagemap: 'Pagemap',
  hint: 'Hinting',
  report: 'Reporting',
};

/** Why the balloon's virtqueue is idle in this mode, or null when the mode uses it. */
export const VQ_IDLE_REASON: Readonly<Record<ModeId, string | null>> = {
  original: 'No traffic: original QEMU never asks the guest',
  pv: null,
  pagemap: 'No traffic: pagemap never asks the guest',
  hint: null,
  report: null,
};

export function modeColor(t: Theme, mode: ModeId): string {
  return t.chart[mode];
}

/** The RFC measured these two modes only. */
export function isPublishedMode(mode: ModeId): mode is 'original' | 'pv' {
  return mode === 'original' || mode === 'pv';
}
