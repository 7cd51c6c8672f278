/** Legend of the page map: rows = guest state (hue), columns = migration state (lightness/pattern). */
import {
  GUEST_HELD,
  GUEST_STATE_COUNT,
  GUEST_STATE_NAMES,
  MIG_STATE_COUNT,
  MIG_STATE_NAMES,
} from '../../engine/pagemap-codes';
import { type Swatch, swatchFor } from '../render/page-map-painter';
import { useAppState } from '../state/context';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
/** Guest states in few words, for the one-line legend. */
const GUEST_SHORT = ['never touched', 'in use', 'free, stale', 'held (hinted)'] as const;

function swatchBackground(s: Swatch): string {
  return s.a === s.b ? s.a : `repeating-conic-gradient(${s.a} 0 25%, ${s.b} 0 50%) 0 0 / 4px 4px`;
}

/**
 * The page map's legend. `compact` (compare, where height is short) says the same in two lines:
 * hue = guest state (each swatch: to send | sent), lightness/pattern = migration state (shown on
 * pages in use); every swatch's title names its state. `showHeld` adds the guest state only
 * hint mode has (free memory the balloon holds while hinting it).
 */
export function Legend({ compact = false, showHeld = false }: { compact?: boolean; showHeld?: boolean }) {
  const theme = useAppState((s) => s.theme);
  const guests = range(showHeld ? GUEST_STATE_COUNT : GUEST_HELD);
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
                title={`${GUEST_STATE_NAMES[g]}: ${MIG_STATE_NAMES[0]} | ${MIG_STATE_NAMES[1]}`}
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
                title={`${GUEST_STATE_NAMES[used]} · ${MIG_STATE_NAMES[m]}`}
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
            <th scope="row">{GUEST_STATE_NAMES[g]}</th>
            {range(MIG_STATE_COUNT).map((m) => {
              const s = swatchFor(theme, g, m);
              const background = swatchBackground(s);
              return (
                <td key={m}>
                  <span
                    className="swatch"
                    style={{ background }}
                    title={`${GUEST_STATE_NAMES[g]} · ${MIG_STATE_NAMES[m]}`}
                    data-testid={`swatch-${g}-${m}`}
                  />
                </td>
              );
            })}
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
