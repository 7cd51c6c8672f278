/** Legend of the page map: rows = guest state (hue), columns = migration state (lightness/pattern). */
import {
  BASE_GUEST_STATES,
  GUEST_STATES,
  type GuestStateId,
  guestCode,
  MIG_STATE_COUNT,
  MIGRATION_STATES,
} from '../../engine/model/page-state';
import { MODES } from '../../engine/migration/modes';
import type { ModeId } from '../../engine/types';
import { type Swatch, swatchFor } from '../render/page-map-painter';
import { useAppState } from '../state/context';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The guest states a page map of these modes can show: the base ones and each mode's own. */
export function guestStatesOf(...modes: ModeId[]): GuestStateId[] {
  const extra = modes.flatMap((m) => MODES[m].guestStates);
  return [...BASE_GUEST_STATES, ...extra.filter((g, i) => extra.indexOf(g) === i)];
}
/** The most guest-state rows one mode's legend has. */
const MAX_GUEST_ROWS = Math.max(...(Object.keys(MODES) as ModeId[]).map((m) => guestStatesOf(m).length));
const GUEST_NAMES = GUEST_STATES.map((s) => s.name);
const GUEST_SHORT = GUEST_STATES.map((s) => s.short);
const MIG_STATE_NAMES = MIGRATION_STATES.map((s) => s.name);

function swatchBackground(s: Swatch): string {
  return s.a === s.b ? s.a : `repeating-conic-gradient(${s.a} 0 25%, ${s.b} 0 50%) 0 0 / 4px 4px`;
}

/**
 * The page map's legend. `compact` (compare, where height is short) says the same in two lines:
 * hue = guest state (each swatch: to send | sent), lightness/pattern = migration state (shown on
 * pages in use); every swatch's title names its state. `guestStates` lists the guest states to
 * show: the base ones and those the run's mode adds (held while hinted, discarded when reported).
 */
export function Legend({
  compact = false,
  guestStates = BASE_GUEST_STATES,
}: { compact?: boolean; guestStates?: readonly GuestStateId[] }) {
  const theme = useAppState((s) => s.theme);
  const guests = guestStates.map(guestCode);
  if (compact) {
    const used = 1; // GUEST_USED: the migration row is shown on pages in use
    return (
      <div className="legend legend-compact">
        <div>
          <span className="muted">guest</span>
          {guests.map((g) => (
            <span key={g} className="legend-item">
              <span
                className="swatch swatch-split"
                style={{
                  background: `linear-gradient(90deg, ${swatchFor(theme, g, 0).a} 50%, ${swatchFor(theme, g, 1).a} 50%)`,
                }}
                title={`${GUEST_NAMES[g]}: ${MIG_STATE_NAMES[0]} | ${MIG_STATE_NAMES[1]}`}
                data-testid={`swatch-guest-${g}`}
              />
              {GUEST_SHORT[g]}
            </span>
          ))}
          <span className="legend-item">
            <span className="cursor-swatch" style={{ borderColor: theme.pageMap.cursor }} /> scan cursor
          </span>
        </div>
        <div>
          <span className="muted">migration</span>
          {range(MIG_STATE_COUNT).map((m) => (
            <span key={m} className="legend-item">
              <span
                className="swatch"
                style={{ background: swatchBackground(swatchFor(theme, used, m)) }}
                title={`${GUEST_NAMES[used]} · ${MIG_STATE_NAMES[m]}`}
                data-testid={`swatch-mig-${m}`}
              />
              {MIG_STATE_NAMES[m]}
            </span>
          ))}
        </div>
      </div>
    );
  }
  return (
    <table className="legend" aria-label="page map legend">
      <thead>
        <tr>
          <th scope="col">guest ↓ · migration →</th>
          {range(MIG_STATE_COUNT).map((m) => (
            <th scope="col" key={m}>
              {MIG_STATE_NAMES[m]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {guests.map((g) => (
          <tr key={g}>
            <th scope="row">{GUEST_NAMES[g]}</th>
            {range(MIG_STATE_COUNT).map((m) => {
              const s = swatchFor(theme, g, m);
              const background = swatchBackground(s);
              return (
                <td key={m}>
                  <span
                    className="swatch"
                    style={{ background }}
                    title={`${GUEST_NAMES[g]} · ${MIG_STATE_NAMES[m]}`}
                    data-testid={`swatch-${g}-${m}`}
                  />
                </td>
              );
            })}
          </tr>
        ))}
        {range(MAX_GUEST_ROWS - guests.length).map((i) => (
          // Empty rows up to the most any mode shows: the legend, hence the map above it, keeps
          // one height, so a guest keeps one scale across modes.
          <tr key={`pad-${i}`} className="legend-pad">
            <td colSpan={MIG_STATE_COUNT + 1}>&nbsp;</td>
          </tr>
        ))}
        <tr>
          <th scope="row">scan cursor</th>
          <td colSpan={MIG_STATE_COUNT}>
            <span className="cursor-swatch" style={{ borderColor: theme.pageMap.cursor }} /> QEMU's next page to
            look at
          </td>
        </tr>
      </tbody>
    </table>
  );
}
