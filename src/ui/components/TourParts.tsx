/**
 * The tour's parts on the page, in the tour's chunk (tour/tour-chunk.ts): rendered only while a
 * tour step is on screen, so the default view never loads them. The Session has loaded the chunk
 * by then (a step is set by the tour's runner, in the same chunk).
 */
import type { PanelController } from '../state/panel-controller';
import { useAppState } from '../state/context';
import { LazyPart, lazyComponent } from './LazyPart';

const PART = 'the tour';
const load = () => import('../tour/tour-chunk');
const Caption = lazyComponent(PART, async () => (await load()).TourCaption);
const ChartMarks = lazyComponent(PART, async () => (await load()).ChartAnnotations);
const MapMarks = lazyComponent(PART, async () => (await load()).PageMapAnnotations);

function useInTour(): boolean {
  return useAppState((s) => s.tourStep !== null);
}

export function TourCaption() {
  if (!useInTour()) return null;
  return (
    <LazyPart part={PART}>
      <Caption />
    </LazyPart>
  );
}

/** The charts' annotations of the step (a callout says nothing while the chunk loads). */
export function ChartAnnotations(props: { panels: readonly PanelController[]; overlay: boolean }) {
  if (!useInTour()) return null;
  return (
    <LazyPart part={PART} quiet>
      <ChartMarks {...props} />
    </LazyPart>
  );
}

export function PageMapAnnotations() {
  if (!useInTour()) return null;
  return (
    <LazyPart part={PART} quiet>
      <MapMarks />
    </LazyPart>
  );
}
