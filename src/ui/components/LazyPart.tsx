/**
 * Parts of the page that come in their own chunk (React.lazy): while the chunk loads the place
 * says so, and if the load fails (the network) it says what could not be loaded instead of
 * leaving a blank.
 */
import { Component, type ComponentType, lazy, type ReactNode, Suspense } from 'react';
import { ChunkLoadError } from '../load-once';

/**
 * A component loaded by `load` (a dynamic import) when it first renders inside a LazyPart. React
 * keeps the outcome, a failed load too: the message asks for a reload.
 */
export function lazyComponent<P extends object>(part: string, load: () => Promise<ComponentType<P>>) {
  return lazy(() =>
    load().then(
      (c) => ({ default: c }),
      (e: unknown) => {
        throw new ChunkLoadError(part, e);
      },
    ),
  );
}

interface Props {
  /** The part, as the messages name it: "the sweep view". */
  part: string;
  /** Nothing while loading (a callout over a chart, where a line of text would be in the way). */
  quiet?: boolean;
  children: ReactNode;
}

export function LazyPart({ part, quiet = false, children }: Props) {
  return (
    <LoadFailed part={part}>
      <Suspense
        fallback={
          quiet ? null : (
            <p className="lazy-loading" role="status">
              Loading {part}…
            </p>
          )
        }
      >
        {children}
      </Suspense>
    </LoadFailed>
  );
}

/**
 * Says on the page that a chunk did not load (a lazy component's, or one its part awaited with
 * loadOnce); any other error goes on up as before.
 */
class LoadFailed extends Component<Props, { error: ChunkLoadError | null; other: unknown }> {
  override state: { error: ChunkLoadError | null; other: unknown } = { error: null, other: undefined };

  static getDerivedStateFromError(e: unknown): { error: ChunkLoadError | null; other: unknown } {
    return e instanceof ChunkLoadError ? { error: e, other: undefined } : { error: null, other: e };
  }

  override render(): ReactNode {
    if (this.state.other !== undefined) throw this.state.other;
    if (this.state.error === null) return this.props.children;
    return (
      <div className="error-banner" role="alert">
        {this.state.error.message}.
      </div>
    );
  }
}
