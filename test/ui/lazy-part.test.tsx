// @vitest-environment jsdom
/** The parts in their own chunks: what the page says while one loads and when it does not arrive. */
import { render, screen } from '@testing-library/react';
import { Component, type ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { LazyPart, lazyComponent } from '../../src/ui/components/LazyPart';

/** Catches what LazyPart lets through, to show that it did. */
class Outer extends Component<{ children: ReactNode }, { error: string | null }> {
  override state = { error: null as string | null };
  static getDerivedStateFromError(e: unknown) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
  override render() {
    return this.state.error === null ? this.props.children : <p data-testid="outer">{this.state.error}</p>;
  }
}

describe('LazyPart', () => {
  it('says "Loading …" while the chunk loads, then shows the part', async () => {
    let arrive: (c: () => ReactNode) => void = () => {};
    const Part = lazyComponent('the sweep view', () => new Promise<() => ReactNode>((r) => (arrive = r)));
    render(
      <LazyPart part="the sweep view">
        <Part />
      </LazyPart>,
    );
    expect(screen.getByRole('status')).toHaveTextContent('Loading the sweep view…');
    arrive(() => <p>the sweep</p>);
    expect(await screen.findByText('the sweep')).toBeInTheDocument();
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('a chunk that does not arrive is a message on the page, not a blank', async () => {
    const Part = lazyComponent('the clip export', () => Promise.reject(new TypeError('Failed to fetch dynamically imported module')));
    vi.spyOn(console, 'error').mockImplementation(() => {});
    render(
      <LazyPart part="the clip export">
        <Part />
      </LazyPart>,
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load the clip export (Failed to fetch dynamically imported module); check the connection and reload the page.',
    );
    vi.restoreAllMocks();
  });

  it("the part's own error is not called a failed load: it goes on up", async () => {
    const Broken = lazyComponent('the tour', async () => () => {
      throw new Error('a bug in the part');
    });
    vi.spyOn(console, 'error').mockImplementation(() => {});
    render(
      <Outer>
        <LazyPart part="the tour">
          <Broken />
        </LazyPart>
      </Outer>,
    );
    expect(await screen.findByTestId('outer')).toHaveTextContent('a bug in the part');
    expect(screen.queryByRole('alert')).toBeNull();
    vi.restoreAllMocks();
  });
});
