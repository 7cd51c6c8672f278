// @vitest-environment jsdom
/**
 * Chunks that do not arrive (the network): the tour's and the importers' loads fail here (their
 * modules throw on import; vitest words the reason its own way, so only the sentence around it
 * is checked), and the page says so in a notice; the rest of it keeps working.
 */
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { setup } from './app-harness';

vi.mock('../../src/ui/tour/tour-chunk', () => {
  throw new TypeError('Failed to fetch dynamically imported module');
});
vi.mock('../../src/import', () => {
  throw new TypeError('Failed to fetch dynamically imported module');
});

const CHECK = /; check the connection and reload the page$/;

describe('a chunk that does not arrive', () => {
  it('the tour: a load notice, and the page goes on (no tour step, keys still work)', async () => {
    const { s } = setup('?scenario=rfc-case-1&gib=0.0625');
    fireEvent.keyDown(window, { key: 'PageDown' });
    const notice = await screen.findByTestId('load-notice');
    expect(notice).toHaveTextContent(/^Part of the page did not load:Could not load the tour \(.+\); check the connection and reload the page/);
    expect(s().store.getState().loadError).toMatch(CHECK);
    expect(s().store.getState().tourStep).toBeNull();
    fireEvent.keyDown(window, { key: 'p' });
    expect(s().store.getState().view).toEqual({ kind: 'single', mode: 'pv' });
  });

  it('the importers: the file notice says why, nothing else changes', async () => {
    const { s } = setup('?scenario=rfc-case-1&gib=0.0625');
    const before = s().lead.store.getState().scenario;
    await s().openFile('{"scenario": "rfc-case-2"}', 'case2.json');
    expect(s().store.getState().fileError).toMatch(/^Could not load the file importers \(.+\); check the connection and reload the page$/);
    await waitFor(() => expect(screen.getByTestId('file-notice')).toBeInTheDocument());
    expect(s().lead.store.getState().scenario).toBe(before);
  });
});
