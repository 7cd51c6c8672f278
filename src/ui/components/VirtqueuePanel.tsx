/** The mode's balloon virtqueue (SVG via VirtqueueView) with its counters, headed by the queue's name. */
import { useEffect, useRef } from 'react';
import { formatBytes, formatInt } from '../format';
import { VirtqueueView } from '../render/virtqueue-view';
import { useApp, useAppState, usePanel, usePanelState } from '../state/context';

export function VirtqueuePanel() {
  const c = usePanel();
  const { scheduler } = useApp();
  const theme = useAppState((s) => s.theme);
  const reducedMotion = useAppState((s) => s.reducedMotion);
  const mode = usePanelState((s) => s.mode);
  const svgRef = useRef<SVGSVGElement>(null);
  // The view reads the mode and motion preference on each paint; keep them in a ref.
  const opts = useRef({ mode, reducedMotion });
  const nameRef = useRef<HTMLElement>(null);
  opts.current = { mode, reducedMotion };

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const view = new VirtqueueView(svg, theme);
    let seq = -1;
    let runSeq = c.live.runSeq;
    let drawnMode = '';
    const paint = () => {
      const l = c.live;
      if (l.seq === seq && drawnMode === opts.current.mode) return;
      seq = l.seq;
      drawnMode = opts.current.mode;
      if (l.runSeq !== runSeq) {
        runSeq = l.runSeq;
        view.clear();
      }
      view.update({ snapshot: l.virtqueue, events: l.takeVqEvents(), ...opts.current });
      // The queue differs by mode (free_pages, free_page_vq, reporting_vq): name the one drawn.
      const name = nameRef.current;
      if (name && l.virtqueue && name.textContent !== l.virtqueue.name) name.textContent = l.virtqueue.name;
    };
    const remove = scheduler.add(paint);
    return remove;
  }, [c, scheduler, theme]);

  // Mode changes must redraw (idle overlay) even when no frame follows.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `mode` is a trigger for one more paint
  useEffect(() => scheduler.requestFrame(), [mode, scheduler]);

  return (
    <section className="panel vq-panel" aria-labelledby="vq-title">
      <header className="panel-head">
        <h2 id="vq-title">
          virtio-balloon virtqueue <code ref={nameRef} data-testid="vq-name" />
        </h2>
      </header>
      <svg ref={svgRef} className="vq-svg" data-testid="virtqueue" />
      <VqCounters />
    </section>
  );
}

function VqCounters() {
  const stats = usePanelState((s) => s.snapshot.stats);
  const m = stats?.migviz;
  return (
    <dl className="counters" data-testid="vq-counters">
      <div>
        <dt>buffers</dt>
        <dd>{formatInt(m?.['virtqueue-buffers'] ?? 0)}</dd>
      </div>
      <div>
        <dt>bytes</dt>
        <dd>{formatBytes(m?.['virtqueue-bytes'] ?? 0)}</dd>
      </div>
      <div>
        <dt>kicks</dt>
        <dd>{formatInt(m?.kicks ?? 0)}</dd>
      </div>
      <div>
        <dt>interrupts</dt>
        <dd>{formatInt(m?.interrupts ?? 0)}</dd>
      </div>
    </dl>
  );
}
