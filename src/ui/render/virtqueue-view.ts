/**
 * VirtqueueView: the mode's balloon virtqueue as SVG, drawn with d3 (framework-free; a React
 * effect owns it). The descriptor table is a ring of `size` segments coloured by owner; buffer
 * chains travel as tokens  guest driver -> avail ring -> device -> used ring -> driver,
 * kicks and interrupts flash the ring they notify on. In original mode the queue carries no
 * traffic at all, and the view says so.
 *
 * Coordinates: a fixed 460 x 230 viewBox scaled by CSS; all positions below are in it.
 */
import { arc, type Selection, scaleLinear, select } from 'd3';
import 'd3-transition';
import type { ModeId, VirtqueueEvent, VirtqueueSnapshot } from '../../engine/types';
import type { Theme } from '../theme';
import { formatBytes } from '../format';
import { MODE_UI } from '../modes';

/** Buffers animated at once; more only update the ring and counters. */
const MAX_TOKENS = 12;
const MAX_RING_SEGMENTS = 128;
/** Which descriptor state a grouped segment shows: device > avail > used > free. */
const BUSY_RANK = [0, 2, 3, 1];

export const VQ_VIEWBOX = { width: 460, height: 200 };
const CENTER = { x: 230, y: 100 };
const RING = { inner: 44, outer: 58 };
/** Where a buffer chain sits in each stage of its trip. */
const STATIONS = {
  driver: { x: 65, y: 100 },
  avail: { x: 230, y: 21 },
  device: { x: 395, y: 100 },
  used: { x: 230, y: 179 },
} as const;
type Station = keyof typeof STATIONS;
/** One hop between stations; a full loop driver -> avail -> device -> used -> driver is 4 hops. */
const HOP_MS = 300;
const FLASH_MS = 600;

/** Which station a buffer chain is at after an event of this kind (kick/interrupt move nothing). */
function stationAfter(kind: VirtqueueEvent['kind']): Station | 'gone' | null {
  switch (kind) {
    case 'add':
      return 'avail';
    case 'pop':
      return 'device';
    case 'push':
      return 'used';
    case 'reclaim':
      return 'gone';
    case 'kick':
    case 'interrupt':
      return null;
    default: {
      const never: never = kind;
      return never;
    }
  }
}

const STATE_NAMES = ['free', 'in avail ring', 'held by device', 'in used ring'] as const;

interface Token {
  head: number;
  label: string;
  bytes: number;
  station: Station;
}

export interface VirtqueueUpdate {
  snapshot: VirtqueueSnapshot | null;
  /** New events since the last update (in time order). */
  events: readonly VirtqueueEvent[];
  mode: ModeId;
  reducedMotion: boolean;
}

export class VirtqueueView {
  private readonly root: Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly ringG: Selection<SVGGElement, unknown, null, undefined>;
  private readonly tokensG: Selection<SVGGElement, unknown, null, undefined>;
  private readonly tokens = new Map<number, Token>();
  private theme: Theme;
  private ringSize = 0;
  /** The idle reason the diagram shows (null: the queue is in use); undefined before the first update. */
  private shownIdleReason: string | null | undefined = undefined;
  private ringTheme: Theme | null = null;
  private descPaths: SVGPathElement[] = [];
  /** State drawn per descriptor (255 = not drawn yet). */
  private descStates = new Uint8Array(0);

  constructor(svg: SVGSVGElement, theme: Theme) {
    this.theme = theme;
    this.root = select(svg)
      .attr('viewBox', `0 0 ${VQ_VIEWBOX.width} ${VQ_VIEWBOX.height}`)
      .attr('role', 'img')
      .attr('aria-label', 'balloon virtqueue');
    this.root.selectAll('*').remove();
    const c = theme.vq;
    const diagram = this.root.append('g').attr('class', 'vq-diagram');
    const box = (st: Station, title: string, sub: string) => {
      const p = STATIONS[st];
      const g = diagram.append('g').attr('class', `vq-box vq-${st}`);
      g.append('rect')
        .attr('x', p.x - 55)
        .attr('y', p.y - 30)
        .attr('width', 110)
        .attr('height', 60)
        .attr('rx', 8)
        .attr('fill', c.box)
        .attr('stroke', theme.css.border);
      g.append('text').attr('x', p.x).attr('y', p.y - 4).attr('class', 'vq-title').text(title);
      g.append('text').attr('x', p.x).attr('y', p.y + 14).attr('class', 'vq-sub').text(sub);
    };
    box('driver', 'Guest driver', 'virtio-balloon');
    box('device', 'Device', 'QEMU');
    const path = (cls: string, d: string, label: string, lx: number, ly: number) => {
      diagram.append('path').attr('class', `vq-path ${cls}`).attr('d', d).attr('fill', 'none').attr('stroke', theme.css.border).attr('stroke-width', 3);
      diagram.append('text').attr('class', 'vq-ring-label').attr('x', lx).attr('y', ly).text(label);
    };
    // Quadratic curves whose midpoints are the avail and used stations.
    path('vq-avail', 'M120,82 Q230,-40 340,82', 'avail ring →', 92, 44);
    path('vq-used', 'M340,118 Q230,240 120,118', '← used ring', 368, 162);
    this.ringG = diagram.append('g').attr('class', 'vq-ring').attr('transform', `translate(${CENTER.x},${CENTER.y})`);
    this.ringG.append('text').attr('class', 'vq-ring-count').attr('y', -2);
    this.ringG.append('text').attr('class', 'vq-sub').attr('y', 14).text('descriptors');
    this.tokensG = diagram.append('g').attr('class', 'vq-tokens');
    this.root.append('text').attr('class', 'vq-flash vq-flash-kick').attr('x', 395).attr('y', 62).attr('opacity', 0).text('kick!');
    this.root.append('text').attr('class', 'vq-flash vq-flash-interrupt').attr('x', 65).attr('y', 148).attr('opacity', 0).text('interrupt!');
    this.root
      .append('text')
      .attr('class', 'vq-idle')
      .attr('x', CENTER.x)
      .attr('y', CENTER.y + 4);
    this.root
      .append('text')
      .attr('class', 'vq-idle vq-idle-sub')
      .attr('x', CENTER.x)
      .attr('y', CENTER.y + 22)
      .text('(the driver\'s request buffer waits in the ring, unused)');
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
  }

  update(u: VirtqueueUpdate): void {
    const reason = MODE_UI[u.mode].vqIdle;
    // Only when the mode's idle reason changes: this runs on every frame, and rewriting the same
    // attributes each time was half of update's time (profiled, 128 GiB compare playing for 6 s:
    // 74 and 116 ms in update before, 29 and 57 ms after).
    if (reason !== this.shownIdleReason) {
      this.shownIdleReason = reason;
      const idle = reason !== null;
      if (reason !== null) this.root.select('.vq-idle:not(.vq-idle-sub)').text(reason);
      this.root.classed('is-idle', idle);
      this.root.select('.vq-diagram').attr('opacity', idle ? 0.35 : 1);
      this.root.selectAll('.vq-idle').attr('display', idle ? null : 'none');
    }
    if (u.snapshot) this.drawRing(u.snapshot);
    if (u.events.length > 0) this.applyEvents(u.events, u.reducedMotion);
  }

  /** Forget tokens (the run restarted). */
  clear(): void {
    this.tokens.clear();
    this.tokensG.selectAll('*').remove();
  }

  private drawRing(s: VirtqueueSnapshot): void {
    const c = this.theme.vq;
    const fills = [c.free, c.avail, c.device, c.used];
    // A 1024-entry queue (hinting) is drawn as 128 segments of 8 descriptors, each showing its
    // busiest one: 1024 arcs repainted per frame cost more than a frame in software rendering.
    const segments = Math.min(s.size, MAX_RING_SEGMENTS);
    const per = s.size / segments;
    if (this.ringSize !== s.size || this.ringTheme !== this.theme) {
      // (Re)build the segments once per queue size and theme; frames then touch only the
      // segments whose state changed.
      this.ringSize = s.size;
      this.ringTheme = this.theme;
      const angle = scaleLinear()
        .domain([0, segments])
        .range([0, Math.PI * 2]);
      const pad = segments > 64 ? 0 : 0.02;
      const seg = arc<number>()
        .innerRadius(RING.inner)
        .outerRadius(RING.outer)
        .startAngle((i) => angle(i) + pad)
        .endAngle((i) => angle(i + 1) - pad);
      this.ringG.selectAll('path.vq-desc').remove();
      this.descPaths = Array.from({ length: segments }, (_, i) =>
        this.ringG.insert('path', 'text').attr('class', 'vq-desc').attr('d', seg(i) ?? '').node() as SVGPathElement,
      );
      this.descStates = new Uint8Array(segments).fill(255);
    }
    for (let i = 0; i < segments; i++) {
      let st = s.descState[i * per];
      for (let d = 1; d < per; d++) {
        const x = s.descState[i * per + d];
        if (BUSY_RANK[x] > BUSY_RANK[st]) st = x;
      }
      if (st === this.descStates[i]) continue;
      this.descStates[i] = st;
      const path = this.descPaths[i];
      path.setAttribute('fill', fills[st] ?? c.free);
      path.setAttribute('data-state', STATE_NAMES[st] ?? 'free');
    }
    this.ringG.select('.vq-ring-count').text(`${s.size - s.numFree}/${s.size}`);
  }

  private applyEvents(events: readonly VirtqueueEvent[], reduced: boolean): void {
    let kicked = false;
    let interrupted = false;
    // Every station each chain passed through in this batch, in order: at slow speeds a batch
    // holds one step, at fast speeds a whole exchange, and the token should still walk the loop.
    const routes = new Map<number, Station[]>();
    const leaving: Token[] = [];
    for (const e of events) {
      if (e.kind === 'kick') kicked = true;
      else if (e.kind === 'interrupt') interrupted = true;
      const next = stationAfter(e.kind);
      if (next === null || e.head < 0) continue;
      let t = this.tokens.get(e.head);
      // Upstream hinting posts thousands of 4 MiB buffers in a few ms: animate a handful, the
      // ring and the counters show the rest.
      if (!t && this.tokens.size >= MAX_TOKENS) continue;
      if (!t) {
        // A token keeps its label from 'add' (the out buffer); later events only move it.
        t = { head: e.head, label: e.label, bytes: e.bytes, station: 'driver' };
        this.tokens.set(e.head, t);
      }
      const route = routes.get(e.head) ?? [];
      routes.set(e.head, route);
      if (next === 'gone') {
        route.push('driver');
        this.tokens.delete(e.head);
        leaving.push({ ...t, station: 'driver' });
        routes.set(-1 - leaving.length, route); // keep the route under a key no live head uses
        routes.delete(e.head);
      } else {
        route.push(next);
        t.station = next;
      }
    }
    this.drawTokens(routes, leaving, reduced);
    if (kicked) this.flash('kick', reduced);
    if (interrupted) this.flash('interrupt', reduced);
  }

  private drawTokens(routes: Map<number, Station[]>, leaving: Token[], reduced: boolean): void {
    const c = this.theme.vq;
    const hop = reduced ? 0 : HOP_MS;
    const live = [...this.tokens.values()];
    // Several chains at one station fan out vertically so none hides another.
    const slot = new Map<Station, number>();
    const offset = (st: Station) => {
      const n = slot.get(st) ?? 0;
      slot.set(st, n + 1);
      // Past three, they pile up on the third (hinting leaves many used buffers waiting).
      return st === 'driver' || st === 'device' ? 0 : Math.min(n, 2) * 16 - 8;
    };
    const at = (st: Station, dy = 0) => ({ x: STATIONS[st].x, y: STATIONS[st].y + dy });
    const placed = live.map((t) => ({ t, p: at(t.station, offset(t.station)) }));
    // Chains that left the ring: their nodes stop being tokens (so a re-added head gets a fresh
    // node), walk the rest of their route and fade out.
    const leavingNodes = leaving.map((t, i) => {
      let node = this.tokensG
        .selectAll<SVGGElement, { t: Token }>('g.vq-token')
        .filter((d) => d.t.head === t.head)
        .node();
      if (!node) node = this.newTokenNode(t);
      select(node).classed('vq-token', false).classed('vq-token-leaving', true);
      return { node, route: routes.get(-2 - i) ?? ['driver'] };
    });
    this.tokensG
      .selectAll<SVGGElement, { t: Token; p: { x: number; y: number } }>('g.vq-token')
      .data(placed, (d) => String(d.t.head))
      .join((enter) => enter.append((d) => this.newTokenNode(d.t)))
      .attr('data-station', (d) => d.t.station)
      .attr('opacity', 1)
      .call((g) =>
        g
          .select('rect')
          .attr('fill', (d) => stationColor(c, d.t.station))
          // Sized to the label (about 5.6 px per character at 10 px).
          .attr('x', (d) => -tokenWidth(d.t) / 2)
          .attr('width', (d) => tokenWidth(d.t)),
      )
      .call((g) => g.select('text').text((d) => tokenText(d.t)))
      .each(function (d) {
        const route = routes.get(d.t.head);
        if (!route) return; // did not move in this batch
        const stops = route.map((st, k) => (k === route.length - 1 ? d.p : at(st)));
        walk(this, stops, hop, false);
      });
    for (const { node, route } of leavingNodes) {
      select(node).attr('data-station', 'gone');
      walk(node, route.map((st) => at(st)), hop, true);
    }
  }

  private newTokenNode(t: Token): SVGGElement {
    const g = select(this.tokensG.node() as SVGGElement)
      .append('g')
      .attr('class', 'vq-token')
      // New chains start at the driver, which is where the guest creates them.
      .attr('transform', `translate(${STATIONS.driver.x},${STATIONS.driver.y})`);
    g.append('rect').attr('y', -8).attr('height', 16).attr('rx', 4).attr('x', -tokenWidth(t) / 2).attr('width', tokenWidth(t)).attr('fill', this.theme.vq.token);
    g.append('text').attr('y', 4).text(tokenText(t));
    return g.node() as SVGGElement;
  }

  private flash(which: 'kick' | 'interrupt', reduced: boolean): void {
    const c = this.theme.vq;
    const color = which === 'kick' ? c.kick : c.interrupt;
    const path = this.root.select(which === 'kick' ? '.vq-avail' : '.vq-used');
    const label = this.root.select(`.vq-flash-${which}`).attr('fill', color);
    path.interrupt().attr('stroke', color);
    label.interrupt().attr('opacity', 1);
    const d = reduced ? FLASH_MS * 2 : FLASH_MS; // no motion to carry it: let it linger instead
    path.transition().delay(d / 2).duration(d / 2).attr('stroke', this.theme.css.border);
    label.transition().delay(d / 2).duration(d / 2).attr('opacity', 0);
  }
}

/** Where each token was last sent, so a move can start from it. */
const lastPos = new WeakMap<Element, { x: number; y: number }>();

/**
 * Walks a token through `stops`, one hop each `hopMs`, then optionally fades it out and removes
 * it. Uses its own translate() interpolation: d3's generic transform interpolator needs SVG
 * transform lists, which jsdom lacks. A new walk on the same node replaces an unfinished one.
 */
function walk(el: SVGGElement, stops: { x: number; y: number }[], hopMs: number, remove: boolean): void {
  const sel = select(el);
  sel.interrupt('move');
  const end = stops[stops.length - 1] ?? lastPos.get(el) ?? STATIONS.driver;
  if (hopMs <= 0 || stops.length === 0) {
    lastPos.set(el, end);
    sel.attr('transform', `translate(${end.x},${end.y})`);
    if (remove) sel.remove();
    return;
  }
  let from = lastPos.get(el) ?? STATIONS.driver;
  lastPos.set(el, end);
  let tr = sel.transition('move').duration(hopMs);
  stops.forEach((to, k) => {
    const a = from;
    if (k > 0) tr = tr.transition().duration(hopMs);
    tr.attrTween('transform', () => (u) => `translate(${a.x + (to.x - a.x) * u},${a.y + (to.y - a.y) * u})`);
    from = to;
  });
  if (remove) tr.transition().duration(hopMs).attr('opacity', 0).remove();
}

function stationColor(c: Theme['vq'], st: Station): string {
  switch (st) {
    case 'avail':
      return c.avail;
    case 'device':
      return c.device;
    case 'used':
      return c.used;
    case 'driver':
      return c.token;
    default: {
      const never: never = st;
      return never;
    }
  }
}

function tokenText(t: Token): string {
  const short = t.label.length > 26 ? `${t.label.slice(0, 25)}…` : t.label;
  return short || formatBytes(t.bytes);
}

function tokenWidth(t: Token): number {
  return Math.min(150, 12 + tokenText(t).length * 5.6);
}
