/**
 * The tour's chunk: everything the tour needs and the default view does not (the runner, the
 * steps, the caption, the annotations). The Session and the page load it by dynamic import() of
 * this one module, so it comes as one chunk at the first tour key (or on hovering Tour).
 */
export { TourRunner } from '../state/tour-runner';
export { TourCaption } from '../components/TourCaption';
export { ChartAnnotations, PageMapAnnotations } from '../components/TourAnnotations';
