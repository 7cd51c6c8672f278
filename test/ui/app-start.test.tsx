// @vitest-environment jsdom
/**
 * The App starts its engines once its parts are on screen (src/ui/render/mount-turns.ts: the
 * engines' scenario setup took the second core from the mount's layouts, issue 13).
 */
import { render, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { InProcessEngineClient } from '../../src/client/in-process-client';
import { App } from '../../src/ui/App';
import { FakeSimulation } from '../worker/fake-simulation';
import { appTestEnvironment, manualScheduler, SMALL } from './app-harness';

appTestEnvironment();

describe('App start', () => {
  it('mounting in turns, no engine is created until the last part is shown', async () => {
    const partsWhenCreated: boolean[] = [];
    const createClient = () => {
      partsWhenCreated.push(document.querySelector('.charts-panel') !== null);
      return new InProcessEngineClient({ createSimulation: (s) => new FakeSimulation(s) });
    };
    const { scheduler } = manualScheduler();
    render(<App createClient={createClient} scheduler={scheduler} search={`?${SMALL}`} mountInTurns />);
    expect(partsWhenCreated).toEqual([]);
    expect(document.querySelector('.charts-panel')).toBeNull();
    await waitFor(() => expect(partsWhenCreated).toEqual([true]), { timeout: 3000 });
  });
});
