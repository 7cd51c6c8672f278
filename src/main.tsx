/** Browser entry: the app with the worker-backed engine. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { WorkerEngineClient } from './client/worker-client';
import { App } from './ui/App';
import './ui/styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
const createClient = () => new WorkerEngineClient();
createRoot(root).render(
  <StrictMode>
    <App createClient={createClient} />
  </StrictMode>,
);
