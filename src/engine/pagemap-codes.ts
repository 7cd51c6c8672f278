/**
 * Page-map state codes: the one byte per cell that the engine writes and the UI paints.
 *
 * Every page has two states at once and the code carries both:
 *   code = migration * 4 + guest
 * guest:     what the guest holds in the page (never touched / in use / free but stale data /
 *            free but held by the balloon driver while it hints it)
 * migration: what QEMU has done with it (still to send / sent / skipped / dirtied again)
 * When one cell stands for a bucket of 2^k pages it shows the bucket's most significant page:
 * guest used > held > free-stale > zero; migration redirtied > pending > sent > skipped.
 */

export const GUEST_ZERO = 0; // never written (or reads as zero): a 9-byte record, or nothing in pv
export const GUEST_USED = 1; // allocated by the guest, holds data
export const GUEST_FREE_STALE = 2; // free in the guest's allocator but still holds old non-zero data
export const GUEST_HELD = 3; // free memory the balloon driver holds while hinting it (hint mode)

export const MIG_PENDING = 0; // in the migration bitmap, never sent yet
export const MIG_SENT = 1; // sent and clean since
export const MIG_SKIPPED = 2; // never sent: dropped from the bitmap at setup (pv: the guest said it was free; pagemap: never mapped)
export const MIG_REDIRTIED = 3; // sent before, written again since: must go again

export const GUEST_STATE_COUNT = 4;
export const MIG_STATE_COUNT = 4;

/** Cells beyond the end of guest RAM (the last row of the canvas). */
export const CELL_OUTSIDE = 255;

export function pageCode(migration: number, guest: number): number {
  return migration * 4 + guest;
}
export function guestOf(code: number): number {
  return code & 3;
}
export function migrationOf(code: number): number {
  return code >> 2;
}

export const GUEST_STATE_NAMES = ['never touched (zero)', 'in use', 'free, stale data', 'held by the balloon (hinted)'] as const;
export const MIG_STATE_NAMES = ['to send', 'sent', 'skipped', 'dirtied again'] as const;
