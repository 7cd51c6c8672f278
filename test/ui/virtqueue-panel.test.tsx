// @vitest-environment jsdom
/** The virtqueue panel on a restarted run: the ring shows the state, no token flies the history. */
import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { appTestEnvironment, SMALL, setup } from './app-harness';

appTestEnvironment();

describe('VirtqueuePanel', () => {
  it('a seek shows where the queue stands and flies no token for what happened before it', async () => {
    const { s, flush } = setup(`?${SMALL}&view=pv`);
    await waitFor(() => expect(s().panels[0].live.epoch).toBe(1));
    const vq = screen.getByTestId('virtqueue');
    // The fake engine posts a hint buffer at 2 ms (add, kick) and the device pops it at 3 ms.
    act(() => s().seek(3));
    await waitFor(() => {
      flush();
      expect(s().panels[0].live.simTimeMs).toBe(3);
    });
    flush();
    expect(vq.querySelector('.vq-ring-count')?.textContent).toMatch(/^1\//); // the buffer is out
    expect(vq.querySelectorAll('.vq-tokens g.vq-token')).toHaveLength(0);
    // As the run moves on, the device pushes the buffer back (4 ms): that token moves.
    act(() => s().step());
    await waitFor(() => {
      flush();
      expect(vq.querySelectorAll('.vq-tokens g').length).toBeGreaterThan(0);
    });
  });
});
