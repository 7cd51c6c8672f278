import { Simulation } from './src/engine/simulation';
import { resolveScenario } from './src/engine/scenario';
for (const [preset, gib, t, shiftOver] of [['rfc-case-1', 8, 500, -1], ['rfc-case-2', 8, 3000, -1], ['rfc-case-1', 8, 0, -1], ['rfc-case-1', 1, 300, 0], ['rfc-case-1', 2, 300, 2]] as const) {
  const sim = new Simulation(resolveScenario(preset, { guestGiB: gib }));
  if (t) sim.step(t);
  const shift = shiftOver >= 0 ? shiftOver : Math.max(0, Math.ceil(Math.log2(sim.pageCount / 262144)));
  const out = new Uint8Array(Math.ceil(sim.pageCount / 2 ** shift));
  for (let i = 0; i < 5; i++) sim.renderPageMap(out, shift);
  const ts: number[] = [];
  for (let i = 0; i < 15; i++) { const t0 = performance.now(); sim.renderPageMap(out, shift); ts.push(performance.now() - t0); }
  ts.sort((a, b) => a - b);
  console.log(`${preset} ${gib} GiB at ${t} ms: render median ${ts[7].toFixed(2)} ms (shift ${shift})`);
}
