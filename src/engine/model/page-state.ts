/**
 * The page-state vocabulary: every state a page can show, in one place. The engine writes one
 * byte per page-map cell, the UI paints and names it; both read the tables here.
 *
 * Every page has two states at once and the code carries both:
 *   code = (migration << GUEST_BITS) | guest
 * guest:     what the guest holds in the page (never touched, in use, free with stale data, ...)
 * migration: what QEMU has done with it (still to send, sent, skipped, dirtied again)
 * Three bits each: room for the states still to come (e.g. postcopy's "requested by the
 * destination") without changing the packing; CELL_OUTSIDE (255) stays out of reach.
 *
 * When one cell stands for a bucket of 2^k pages it shows its most significant page, by the
 * `rank` below (higher wins): the page that matters most to the story is never hidden.
 */

export interface PageStateInfo<Id extends string> {
  readonly id: Id;
  /** Full name, for the legend and tooltips. */
  readonly name: string;
  /** A few words, for one-line legends and running text. */
  readonly short: string;
  /** Bucketed cells show their highest-ranked page. */
  readonly rank: number;
}

export type GuestStateId = 'zero' | 'used' | 'free-stale' | 'held' | 'discarded';
export type MigrationStateId = 'pending' | 'sent' | 'skipped' | 'redirtied';

/** Guest states, indexed by their code. The legend lists them in this order. */
export const GUEST_STATES: readonly PageStateInfo<GuestStateId>[] = [
  // Never written, or reads as zero: a 9-byte record, still scanned whole.
  { id: 'zero', name: 'never touched (zero)', short: 'never touched', rank: 0 },
  // Allocated by the guest, holds data.
  { id: 'used', name: 'in use', short: 'in use', rank: 4 },
  // Free in the guest's allocator but still holding old non-zero data: a full record if sent.
  { id: 'free-stale', name: 'free, stale data', short: 'free (stale)', rank: 2 },
  // Free memory the balloon driver holds while it hints it (hint mode), until DONE.
  { id: 'held', name: 'held by the balloon (hinted)', short: 'held (hinted)', rank: 3 },
  // Free and reported by the guest; the host discarded it, so it reads as zero (report mode).
  { id: 'discarded', name: 'free, discarded by the host (reported)', short: 'discarded (reported)', rank: 1 },
];

/** Migration states, indexed by their code. */
export const MIGRATION_STATES: readonly PageStateInfo<MigrationStateId>[] = [
  // In the migration bitmap, never sent yet.
  { id: 'pending', name: 'to send', short: 'to send', rank: 2 },
  // Sent, and clean since.
  { id: 'sent', name: 'sent', short: 'sent', rank: 1 },
  // Never sent: a mode dropped it from the bitmap (the guest said it was free, or it was never mapped).
  { id: 'skipped', name: 'skipped', short: 'skipped', rank: 0 },
  // Sent before, written again since: must go again.
  { id: 'redirtied', name: 'dirtied again', short: 'dirtied again', rank: 3 },
];

export const GUEST_ZERO = 0;
export const GUEST_USED = 1;
export const GUEST_FREE_STALE = 2;
export const GUEST_HELD = 3;
export const GUEST_DISCARDED = 4;

export const MIG_PENDING = 0;
export const MIG_SENT = 1;
export const MIG_SKIPPED = 2;
export const MIG_REDIRTIED = 3;

export const GUEST_STATE_COUNT = GUEST_STATES.length;
export const MIG_STATE_COUNT = MIGRATION_STATES.length;

/** Bits of the code that hold the guest state. */
export const GUEST_BITS = 3;
const GUEST_MASK = (1 << GUEST_BITS) - 1;

/** Cells beyond the end of guest RAM (the last row of the canvas). */
export const CELL_OUTSIDE = 255;

export function pageCode(migration: number, guest: number): number {
  return (migration << GUEST_BITS) | guest;
}
export function guestOf(code: number): number {
  return code & GUEST_MASK;
}
export function migrationOf(code: number): number {
  return code >> GUEST_BITS;
}

/** Code of a guest state by id (for tables keyed by name). */
export function guestCode(id: GuestStateId): number {
  return GUEST_STATES.findIndex((s) => s.id === id);
}

export function migrationCode(id: MigrationStateId): number {
  return MIGRATION_STATES.findIndex((s) => s.id === id);
}

/** The guest states every guest can show; modes add theirs (ModeDefinition.guestStates). */
export const BASE_GUEST_STATES: readonly GuestStateId[] = ['zero', 'used', 'free-stale'];
