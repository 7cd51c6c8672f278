/** Legend of the page map: rows = guest state (hue), columns = migration state (lightness/pattern). */
import {
  GUEST_STATE_COUNT,
  GUEST_STATE_NAMES,
  MIG_STATE_COUNT,
  MIG_STATE_NAMES,
} from '../../engine/pagemap-codes';
import { swatchFor } from '../render/page-map-painter';
import { useAppState } from '../state/context';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export function Legend() {
  const theme = useAppState((s) => s.theme);
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
        {range(GUEST_STATE_COUNT).map((g) => (
          <tr key={g}>
            <th scope="row">{GUEST_STATE_NAMES[g]}</th>
            {range(MIG_STATE_COUNT).map((m) => {
              const s = swatchFor(theme, g, m);
              const background =
                s.a === s.b ? s.a : `repeating-conic-gradient(${s.a} 0 25%, ${s.b} 0 50%) 0 0 / 4px 4px`;
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
