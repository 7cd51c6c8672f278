/** The tour's caption: the step's title and text, where it is in the tour, Previous / Next / end. */
import { useAppState, useSession } from '../state/context';
import { stepHeading, TOUR } from '../tour/tour';
import { ResultsPanel } from './CompareView';

export function TourCaption() {
  const session = useSession();
  const i = useAppState((s) => s.tourStep);
  const held = useAppState((s) => s.tourHeld);
  const panels = useAppState((s) => s.panels);
  if (i === null) return null;
  const step = TOUR[i];
  return (
    <section className={`tour-caption${step.summary ? ' tour-summary' : ''}`} aria-label="Tour" data-testid="tour-caption">
      <div className="tour-text">
        <h2>{stepHeading(i)}</h2>
        <p>{step.caption}</p>
        {step.summary && panels.length === 2 && <ResultsPanel a={panels[0]} b={panels[1]} />}
      </div>
      <div className="tour-nav chrome">
        <span className="muted" data-testid="tour-progress">
          {i + 1} / {TOUR.length}
          {held ? '' : ' · playing to the moment…'}
        </span>
        <button type="button" onClick={() => void session.prevStep()} disabled={i === 0} title="PageUp">
          Previous
        </button>
        <button type="button" onClick={() => void session.nextStep()} disabled={i === TOUR.length - 1} title="PageDown or .">
          Next
        </button>
        <button type="button" onClick={() => session.endTour()} aria-label="End tour" title="Escape">
          ×
        </button>
      </div>
    </section>
  );
}
